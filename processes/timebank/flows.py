"""The time bank has no workflow of its own: a redemption waits for the provider, an
organization, in its portal queue with a due time (T6), and the periodic task
``tasks.expire_redemptions`` closes what was not answered. Its movements are in ``services``."""
