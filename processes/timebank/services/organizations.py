def organization_ended(organization_id):
    """An organization merged or dissolved: its services are no longer offered (redemption
    refuses an inactive provider) and open redemptions expire at their due time (T6)."""
