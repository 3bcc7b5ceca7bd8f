"""Periodic work runs once at a time, even when a second beat or a redelivered message starts
it again on another host: each periodic task takes a lease in the shared cache (Redis in
production) and a run that finds the lease taken does nothing. The tasks are idempotent too, so
a run after a crash simply does what is left."""
import functools
import logging
import uuid

from django.core.cache import cache

log = logging.getLogger(__name__)


def exclusive(name: str, lease_seconds: int = 15 * 60):
    """Decorate a periodic task so that only one run of ``name`` goes at a time."""
    def decorate(func):
        @functools.wraps(func)
        def run(*args, **kwargs):
            key, token = f"periodic-lease:{name}", uuid.uuid4().hex
            if not cache.add(key, token, lease_seconds):
                log.info("periodic task %s already running elsewhere; skipped", name)
                return None
            try:
                return func(*args, **kwargs)
            finally:
                if cache.get(key) == token:
                    cache.delete(key)
        return run
    return decorate
