"""Settings for the benchmarks only: production-like (DEBUG off, persistent connections,
request transactions) on the scratch database ``zhiyuan_bench``, plus the example flow and a
constant view to measure against. Never used by the application."""
import os

os.environ.setdefault("DATABASE_URL", os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zhiyuan_bench"))

from config.settings.base import *  # noqa: E402,F401,F403
from config.settings.base import INSTALLED_APPS, REST_FRAMEWORK  # noqa: E402

DEBUG = False
SECRET_KEY = "bench-only-" + "k" * 40
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "bench.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "tests.example"]
# the throttle still runs on every verification (its cost is part of the figure) but never
# answers 429 to the load generator
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"public_verify": "100000000/min"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # users are made by the thousand
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "handlers": {"console": {"class": "logging.StreamHandler"}},
           "root": {"handlers": ["console"], "level": "WARNING"}}
# production caches verification answers in its shared Redis; here each gunicorn process has
# its own memory cache, which is safe because nothing is revoked during a run
CERT_VERIFY_CACHE_SECONDS = 300
