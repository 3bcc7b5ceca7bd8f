from celery import shared_task

from engine.periodic import exclusive

from .sealing import seal_pending


@shared_task(name="engine.audit.tasks.seal_trail", ignore_result=True)
@exclusive("audit-seal")
def seal_trail():
    """Periodic and idempotent: seals whatever is waiting; two runs at once take turns."""
    return seal_pending()
