"""Gunicorn settings for production: ``gunicorn -c config/gunicorn.py config.wsgi``.

Everything comes from the environment, with defaults for a small server. Workers are
synchronous processes: each keeps one persistent PostgreSQL connection (``CONN_MAX_AGE``),
so the database sees at most ``workers`` connections from one server. The access log
records method, path, status, size and duration but neither the query string (certificate
numbers and verification codes travel there) nor the client's address, user or referrer.
"""
import multiprocessing
import os

from django.db import connections


def _int(name, default):
    return int(os.environ.get(name) or default)


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers are CPU-bound on rendering: one per core plus one to cover a worker blocked
# on the database, unless told otherwise.
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1)
worker_class = "sync"
# A request taking longer than this is killed and answered 502 by the proxy; imports and
# reports run in Celery, not in a request.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then so a slow leak cannot grow without bound; the jitter keeps
# them from restarting together.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 500)
# Load Django once in the master and fork: faster starts, shared memory. Connections are
# opened lazily by each worker after the fork, never inherited.
preload_app = True
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
limit_request_line = 8190

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# %(U)s is the path without the query string; no %(h)s, %(u)s, %(q)s, %(f)s or %(a)s.
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


def pre_fork(server, worker):
    """A connection the master opened while loading the app (preload) is closed before each
    fork: a socket shared by two processes corrupts both sessions."""
    connections.close_all()
