"""When an organization merges or dissolves (the engine's ``organization_ended`` hook)."""
from ..tasks import sweep


def organization_ended(organization_id):
    """R9: an issuer merged or dissolved; move its open requests and disputes now rather than
    at the next beat."""
    sweep.delay()
