"""Test settings: the same as base, with fast hashing, eager Celery and a fixed key."""
from .base import *  # noqa: F401,F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
SMS_BACKEND = env("SMS_BACKEND", default="engine.notifications.sms.LocmemBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default="/tmp/zyzz-test-mail")  # noqa: S108
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = env("DJANGO_MEDIA_ROOT", default="/tmp/zyzz-test-media")  # noqa: S108

# A small example flow that exercises the engine until (and beside) the processes.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.example"]  # noqa: F405
WORKFLOW_SLA_WORKING_DAYS = {**WORKFLOW_SLA_WORKING_DAYS, "example.prepare": 3}  # noqa: F405
SLOW_MAIL_SECONDS = env.float("SLOW_MAIL_SECONDS", default=0)  # tests/example/mail.py
DOCUMENT_FILE_ROOT = env("DOCUMENT_FILE_ROOT", default=f"{MEDIA_ROOT}/documents")
# The tests of procurement's other rules bid and sign without files; the documents' own tests
# (tests/processes/procurement/test_documents.py) require them as the production settings do.
DOCUMENT_REQUIRED_KINDS = {k: v for k, v in DOCUMENT_REQUIRED_KINDS.items() if not k.startswith("procurement.")}  # noqa: F405
