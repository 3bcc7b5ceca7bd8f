"""Settings shared by every deployment.

Everything that differs between deployments comes from the environment (django-environ);
durations, thresholds and pass marks that DOMAIN.md calls "settings" are declared once, in the
"DOMAIN settings" block below, each with its rule number and default; the processes read them
through their ``conf.py`` and repeat no default. Those that vary by deployment are read from
the environment; per-base incubation values are in the database (``IncubationBaseSettings``).
"""
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# A development key only while DEBUG is on; production.py refuses to start without one.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me" if DEBUG else "")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "django_fsm",
    "engine.api.lockout_app.LoginLockoutConfig",  # django-axes, named in the admin
    "viewflow",
    "viewflow.workflow",
    # the shared core
    "engine.api",
    "engine.directory",
    "engine.audit",
    "engine.workdays",
    "engine.cases",
    "engine.notifications",
    "engine.imports",
    "engine.documents",
    "engine.ui",
    "engine.dashboard",
    # the processes
    "processes.incubation",
    "processes.procurement",
    "processes.certification",
    "processes.timebank",
    "processes.recruitment",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "engine.ui.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "engine.ui.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "engine.ui.middleware.RejectNulMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "engine.ui.middleware.WorkbenchLoginMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "engine.cases.middleware.DatabaseRefusalMiddleware",
    # last: turns a login refused for lockout into the lockout page or API error
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
            # money and Asia/Shanghai dates in either language: {% load formatting %}
            "libraries": {"formatting": "engine.formatting"},
        },
    },
]

# An empty DATABASE_URL counts as unset: the embedded SQLite database under var/.
DATABASES = {
    "default": env.db_url_config(env("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# A worker keeps its connection between requests (opening one to PostgreSQL costs more than
# a whole cheap request); it is checked before reuse, so a restarted server costs one error-free
# reconnect. 0 closes after every request, as Django's default.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Several processes (web, worker, beat) share the file: wait for locks instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 30, "transaction_mode": "IMMEDIATE"})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "directory.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "engine.api.lockout.LoginLockoutBackend",  # first: a locked-out login never reaches a password check
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Login lockout (django-axes) and client addresses -------------------------------------
# Failed logins for one username from one address: after LOGIN_FAILURE_LIMIT the pair is
# locked out for LOGIN_COOLOFF_MINUTES on the login page, the admin login and the token endpoint.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "engine.api.client.client_ip"
AXES_LOCKOUT_CALLABLE = "engine.api.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# How many reverse proxies in front of the application append to X-Forwarded-For. 0: none,
# the header is ignored and the socket's address is the client (engine.api.client.client_ip).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# --- Request limits and web hardening -------------------------------------------------------
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)  # bytes, files excluded
DATA_UPLOAD_MAX_NUMBER_FIELDS = env.int("DATA_UPLOAD_MAX_NUMBER_FIELDS", default=1000)
API_JSON_MAX_DEPTH = env.int("API_JSON_MAX_DEPTH", default=64)
API_TOKEN_TTL_HOURS = env.int("API_TOKEN_TTL_HOURS", default=24)
CSRF_FAILURE_VIEW = "engine.api.error_views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# engine.ui.middleware.SecurityHeadersMiddleware; scripts only from this site, no inline script.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],  # style attributes of the Material UI and the dashboard
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# D7: Simplified Chinese by default, English available.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# The project's wording for third-party packages first, then its own texts (config/, templates/);
# each app of engine/ and processes/ carries its own catalog in <app>/locale.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "config" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "static"))
MEDIA_URL = "media/"
MEDIA_ROOT = env("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media"))

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="志愿郑州 <noreply@localhost>")
NOTIFICATION_MAIL_DOMAIN = env("NOTIFICATION_MAIL_DOMAIN", default="zhiyuan.localhost")  # in Message-IDs
NOTIFICATION_MAIL_LEASE_SECONDS = env.int("NOTIFICATION_MAIL_LEASE_SECONDS", default=300)  # then a sender is presumed dead
# SMTP, when DJANGO_EMAIL_BACKEND is django.core.mail.backends.smtp.EmailBackend (production's default)
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# Text messages: a backend's dotted path (engine/notifications/sms.py documents the interface)
SMS_BACKEND = env("SMS_BACKEND", default="engine.notifications.sms.ConsoleBackend")
# Reminders before a deadline of an organization's or volunteer's own, this many hours ahead
NOTIFICATION_REMINDER_LEAD_HOURS = {
    "reminder.bidding": env.int("REMINDER_BIDDING_LEAD_HOURS", default=48),  # a tender's bidding deadline
    "reminder.milestone": env.int("REMINDER_MILESTONE_LEAD_HOURS", default=72),  # a contract milestone's due date
    "reminder.appeal": env.int("REMINDER_APPEAL_LEAD_HOURS", default=72),  # the end of a dispute's appeal window
    "reminder.supplements": env.int("REMINDER_SUPPLEMENTS_LEAD_HOURS", default=72),  # a returned application's supplements
    "reminder.agreement": env.int("REMINDER_AGREEMENT_LEAD_HOURS", default=72),  # accepting an offered agreement
    "reminder.redemption": env.int("REMINDER_REDEMPTION_LEAD_HOURS", default=24),  # a provider's answer to a redemption
    "reminder.recruitment": env.int("REMINDER_RECRUITMENT_LEAD_HOURS", default=24),  # selecting a recruitment's volunteers
}
NOTIFICATION_DIGEST_DUE_SOON_HOURS = env.int("NOTIFICATION_DIGEST_DUE_SOON_HOURS", default=24)  # "due soon" in the digest

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# --- Celery: a real worker and beat; with no broker set, kombu's filesystem transport -------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "store_processed": False,
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_TIMEZONE = TIME_ZONE
# A task's message is acknowledged when the task has finished, and given back to the queue if
# its worker dies, so a killed worker's work is done again (every task is idempotent).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # a message taken by a worker that vanished is delivered again after this many seconds
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=CELERY_TASK_TIME_LIMIT + 60),
    }
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")
CELERY_BEAT_SCHEDULE = {
    "sla-sweep": {"task": "engine.cases.tasks.sla_sweep", "schedule": timedelta(minutes=5)},
    "viewflow-timers": {"task": "engine.cases.tasks.fire_flow_timers", "schedule": timedelta(minutes=1)},
    "procurement-chronograph": {
        "task": "processes.procurement.tasks.chronograph",
        "schedule": timedelta(minutes=1),
    },
    "incubation-advance": {
        "task": "processes.incubation.tasks.advance",
        "schedule": crontab(minute="*/10"),
    },
    "certification-sweep": {
        "task": "processes.certification.tasks.sweep",
        "schedule": crontab(minute="*/10"),
    },
    "timebank-expire": {"task": "processes.timebank.tasks.expire_redemptions", "schedule": crontab(minute="*/10")},
    "audit-seal": {"task": "engine.audit.tasks.seal_trail", "schedule": timedelta(minutes=1)},
    "mail-outbox": {"task": "engine.notifications.tasks.mail_outbox", "schedule": timedelta(minutes=5)},
    "notification-reminders": {"task": "engine.notifications.tasks.send_reminders", "schedule": timedelta(minutes=15)},
    "staff-digest": {"task": "engine.notifications.tasks.send_staff_digest", "schedule": crontab(hour=8, minute=0)},
    "import-sweep": {"task": "engine.imports.tasks.sweep_import_jobs", "schedule": timedelta(minutes=15)},
    "dashboard-snapshots": {
        "task": "engine.dashboard.tasks.refresh_snapshots",
        "schedule": timedelta(minutes=env.int("DASHBOARD_SNAPSHOT_MINUTES", default=15)),
    },
    "documents-orphans": {
        "task": "engine.documents.tasks.sweep_orphans",
        "schedule": timedelta(minutes=env.int("DOCUMENT_ORPHAN_SWEEP_MINUTES", default=60)),
    },
}

# --- REST API ---------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "engine.api.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "engine.api.parsers.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # DRF's own reading of X-Forwarded-For, for any throttle not keyed on client_ip
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_PAGINATION_CLASS": "engine.api.pagination.Pagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "engine.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"public_verify": env("PUBLIC_VERIFY_RATE", default="30/min")},
}
# How long a public verification answer is cached (seconds). Unset: five minutes with a cache
# shared by the server's processes (Redis), none with a per-process memory cache — a revocation
# in one process could not reach the others' copies.
CERT_VERIFY_CACHE_SECONDS = env.int("CERT_VERIFY_CACHE_SECONDS", default=None)
SPECTACULAR_SETTINGS = {
    "TITLE": _("Zhiyuan Zhengzhou API"),
    "DESCRIPTION": _("The workflow engine API for incubating volunteer service organizations, government-purchased "
                     "services, and volunteer service records and certificates (v1)."),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # every operation documents the shared error answers, and its description reads in the
    # request's language (engine/api/schema.py)
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "engine.api.schema.add_error_responses",
        "engine.api.schema.translate_descriptions",
    ],
    # Served from the installed sidecar package: nothing is fetched from the internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "status" or "kind" field with their own choices: name them.
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStatusEnum": "processes.incubation.models.Status",
        "MilestoneKindEnum": "processes.incubation.models.Milestone.Kind",
        "NominationKindEnum": "processes.incubation.models.Nomination.Kind",
        "RecruitmentKindEnum": "processes.recruitment.models.Recruitment.Kind",
        "SignUpSourceEnum": "processes.recruitment.models.SignUp.Source",
        "ServiceRecordSourceEnum": "processes.certification.models.ServiceRecord.Source",
        "AccountKindEnum": "processes.timebank.models.Account.Kind",
        "LedgerTransactionKindEnum": "processes.timebank.models.LedgerTransaction.Kind",
    },
}

# --- DOMAIN settings (../shared/DOMAIN.md "setting"; the README lists them) -----------------
# Due times in working days per task type (D2), keyed "<process>.<step>"; "default" otherwise.
WORKFLOW_SLA_WORKING_DAYS = {
    "default": 5,
    "incubation.intake": 5,  # I1: completeness check within 5 working days
    "incubation.score": 10,
    "incubation.approval": 10,
    "incubation.agreement": 10,
    "incubation.midterm": 10,
    "incubation.graduation": 15,
    "certification.verify": 10,  # R6-like verification within 10 working days
    "certification.organizer_review": 10,  # R6: corrections within 10 working days
    "certification.supervisor_review": 15,
    "procurement.precheck": 5,
    "procurement.award_review": 5,
    "procurement.payment": 10,
}
# Still overdue this many working days later, a task escalates to the parent department (D2).
WORKFLOW_ESCALATION_WORKING_DAYS = env.int("WORKFLOW_ESCALATION_WORKING_DAYS", default=3)
# Working hours: a due time falls at the end of the working day.
WORKFLOW_DAY_END_HOUR = 18

# Incubation (I1–I6). A base starts from these; its own values live in IncubationBaseSettings.
INCUBATION_PERIOD_MONTHS = 12  # I4: incubation period
INCUBATION_MIDTERM_ENABLED = env.bool("INCUBATION_MIDTERM_ENABLED", default=False)  # I4: optional mid-term review
INCUBATION_EXPERT_COUNT = 3  # I2: at least this many experts score an application
INCUBATION_PASS_MARK = Decimal("60")  # I2: the experts' average must reach it (of 100)
INCUBATION_EXTENSION_LIMIT = 1  # I5: the period may be extended this many times
INCUBATION_EXTENSION_MONTHS = 6  # I5: length of one extension
INCUBATION_GRADUATION_PASS_MARK = Decimal("60")  # I5: graduation review average needed to graduate
INCUBATION_SUPPLEMENTS_WORKING_DAYS = 10  # I1: supplements due this many working days after a return
INCUBATION_AGREEMENT_WORKING_DAYS = 10  # I4: an offered agreement is to be accepted within this many working days

# Procurement (P1–P10).
# P3: minimum bidding period (days, calendar or working) and minimum number of bids per method;
# ``invitation``: only the organizations the department names may bid (邀请招标, 单一来源);
# ``ocds``: the OCDS procurementMethod (P10). A deployment changes single keys in its settings
# module; the methods and their labels are fixed (they are the model's choices).
PROCUREMENT_METHODS = {
    "open": {"label": "公开招标", "min_days": 20, "working": False, "min_bids": 3, "ocds": "open"},
    "invited": {"label": "邀请招标", "min_days": 20, "working": False, "min_bids": 3, "ocds": "selective",
                "invitation": True},
    "negotiation": {"label": "竞争性谈判", "min_days": 3, "working": True, "min_bids": 3, "ocds": "limited"},
    "consultation": {"label": "竞争性磋商", "min_days": 10, "working": False, "min_bids": 3, "ocds": "limited"},
    "single_source": {"label": "单一来源", "min_days": 5, "working": True, "min_bids": 1, "ocds": "direct",
                      "invitation": True},
    "inquiry": {"label": "询价", "min_days": 3, "working": True, "min_bids": 3, "ocds": "limited"},
}
PROCUREMENT_MIN_EXPERTS = 3  # P5: experts on an evaluation panel
PROCUREMENT_PRICE_WEIGHT = Decimal("30")  # P5: share of the total score given by the price
PROCUREMENT_DEFAULT_CRITERIA = [  # P5: technical criteria and weights when the department names none
    {"code": "plan", "name": "服务方案", "weight": 40},
    {"code": "team", "name": "团队与经验", "weight": 30},
]
PROCUREMENT_COMPLAINT_WORKING_DAYS = 7  # P7: complaints within this many working days after the award
PROCUREMENT_CONTRACT_MAX_YEARS = 1  # P8: contract term
PROCUREMENT_CONTRACT_MAX_YEARS_RECURRING = 3  # P8: term for stable recurring services
PROCUREMENT_ENQUIRY_ANSWER_WORKING_DAYS = 3  # P10: the department answers an enquiry within this many working days
PROCUREMENT_ENQUIRY_RATE = env("PROCUREMENT_ENQUIRY_RATE", default="10/hour")  # enquiries one account may ask
# P10: the OCDS 1.1 schema (offline; empty: ../shared/ocds-1.1, else the vendored copy), the
# prefix of every ocid and the publisher named in releases.
OCDS_SCHEMA_DIR = env("OCDS_SCHEMA_DIR", default="")
# P10: the site's address for links in OCDS releases built outside a request (the API uses the request's)
PROCUREMENT_PUBLIC_BASE_URL = env("PROCUREMENT_PUBLIC_BASE_URL", default="http://localhost:8000")
OCDS_OCID_PREFIX = env("OCDS_OCID_PREFIX", default="ocds-zyzz01")
OCDS_PUBLISHER_NAME = env("OCDS_PUBLISHER_NAME", default="郑州市财政局（志愿郑州）")

# Time bank (seed 二(四), processes/timebank/README.md T1–T8).
TIMEBANK_FAMILY_TRANSFER = env.bool("TIMEBANK_FAMILY_TRANSFER", default=False)  # T7: hours may be given to family
TIMEBANK_REDEMPTION_ANSWER_DAYS = 5  # T6: working days a provider has to confirm or decline a redemption

# Certification (R1–R15).
CERTIFICATION_RECORD_LATE_WORKING_DAYS = 10  # R3: entered later than this after the activity: flagged late
CERTIFICATION_ACTIVITY_YEARS_BACK = 10  # R3: late entries are allowed, a date decades ago is a typo
CERTIFICATION_ACTIVITY_YEARS_AHEAD = 2  # R3: how far ahead an activity may be registered
CERTIFICATION_CLAIM_CODE_DAYS = 14  # R4: a claim code for an organization-entered volunteer stays valid
CERTIFICATION_CLAIM_CODE_ATTEMPTS = 5  # R4: wrong tries after which a claim code stops working
# R6's answer period is WORKFLOW_SLA_WORKING_DAYS["certification.organizer_review"] above.
CERTIFICATION_APPEAL_DAYS = 15  # dispute lifecycle: appeal within this many days of a refusal
CERTIFICATION_APPEAL_WORKING_DAYS = False  # ... counted as calendar days (True: working days)
# R10: certificates are signed with an Ed25519 key (PEM); without one, a development key is made
# at CERTIFICATION_DEV_KEY_PATH (`check --deploy` reports a missing key). Public keys of
# earlier keys ({key id: PEM}) keep certificates signed before a rotation verifiable.
CERTIFICATION_SIGNING_KEY = env("CERTIFICATION_SIGNING_KEY", default="")
CERTIFICATION_DEV_KEY_PATH = env("CERTIFICATION_DEV_KEY_PATH",
                                 default=str(VAR_DIR / "certification" / "dev-signing-key.pem"))
CERTIFICATION_PREVIOUS_PUBLIC_KEYS = {}
CERTIFICATION_PUBLIC_BASE_URL = env("CERTIFICATION_PUBLIC_BASE_URL", default="http://localhost:8000")  # R10: QR codes
# Recruitment (seed 二(一)): an emergency recruitment's answer window when it names none, and the
# longest one allowed ("a short answer window").
RECRUITMENT_EMERGENCY_WINDOW_MINUTES = 120
RECRUITMENT_EMERGENCY_WINDOW_MAX_MINUTES = 24 * 60
CERTIFICATION_SIGNIN_OPENS_MINUTES = 30  # R12: sign-in opens this long before the activity starts
CERTIFICATION_SIGNOUT_CLOSES_MINUTES = 120  # R12: sign-out closes this long after it ends
# Seed 五(一): student practice credits are counted per school term. The first term of a school
# year starts on the first (month, day), the second on the second; an activity's hours belong to
# the term in which it started.
CERTIFICATION_SCHOOL_TERM_STARTS = ((9, 1), (2, 1))
CERTIFICATION_STAR_THRESHOLDS = (100, 300, 600, 1000, 1500)  # R14: approved hours for one to five stars
CERTIFICATION_PUBLIC_NOTICE = env.bool("CERTIFICATION_PUBLIC_NOTICE", default=False)  # R15: notice before final
CERTIFICATION_PUBLIC_NOTICE_DAYS = env.int("CERTIFICATION_PUBLIC_NOTICE_DAYS", default=7)  # R15: its length
# D6: rate of the forms and endpoints that take an ID number
CERTIFICATION_IDENTITY_RATE = env("CERTIFICATION_IDENTITY_RATE", default="30/min")

# The 2025 goal (dashboard): registered volunteers against this share of the resident population.
VOLUNTEER_TARGET_SHARE = Decimal("0.15")
VOLUNTEER_TARGET_DATE = env("VOLUNTEER_TARGET_DATE", default="2025-12-31")  # the goal's date, for the projection
DASHBOARD_DUE_SOON_HOURS = env.int("DASHBOARD_DUE_SOON_HOURS", default=48)  # a task "due soon" on the dashboard
DASHBOARD_SOCIAL_SHARE_GUIDELINE = Decimal("0.30")  # guideline share of purchases awarded to social organizations

# --- Documents (issue #9; engine/documents) --------------------------------------------------
# Files of cases go through STORAGES["documents"]: a private directory by default (no URL; the
# download view checks the right and streams the file), S3-compatible object storage when
# DOCUMENTS_S3_BUCKET is set (django-storages; credentials from DOCUMENTS_S3_ACCESS_KEY_ID /
# DOCUMENTS_S3_SECRET_ACCESS_KEY or boto3's usual environment), so several servers share one store.
DOCUMENT_FILE_ROOT = env("DOCUMENT_FILE_ROOT", default=str(Path(MEDIA_ROOT) / "documents"))
DOCUMENTS_S3_BUCKET = env("DOCUMENTS_S3_BUCKET", default="")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "documents": {"BACKEND": "engine.documents.storage.PrivateDocumentStorage"},
}
if DOCUMENTS_S3_BUCKET:
    STORAGES["documents"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": DOCUMENTS_S3_BUCKET,
        "endpoint_url": env("DOCUMENTS_S3_ENDPOINT_URL", default=None),  # e.g. MinIO, Ceph, OSS
        "region_name": env("DOCUMENTS_S3_REGION", default=None),
        "access_key": env("DOCUMENTS_S3_ACCESS_KEY_ID", default=None),
        "secret_key": env("DOCUMENTS_S3_SECRET_ACCESS_KEY", default=None),
        "location": env("DOCUMENTS_S3_PREFIX", default="documents"),
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }}
# Types judged from the bytes (engine/documents/detection.py), sizes in bytes.
DOCUMENT_ALLOWED_TYPES = ["pdf", "docx", "xlsx", "jpeg", "png"]
DOCUMENT_MAX_FILE_BYTES = env.int("DOCUMENT_MAX_FILE_BYTES", default=20 * 1024 * 1024)
DOCUMENT_MAX_CASE_BYTES = env.int("DOCUMENT_MAX_CASE_BYTES", default=200 * 1024 * 1024)
DOCUMENT_MAX_FILES_PER_UPLOAD = 20
# The sweep of stored files no version names (left by a caller's rolled-back transaction):
# every DOCUMENT_ORPHAN_SWEEP_MINUTES, files older than DOCUMENT_ORPHAN_MIN_AGE_MINUTES.
DOCUMENT_ORPHAN_SWEEP_MINUTES = env.int("DOCUMENT_ORPHAN_SWEEP_MINUTES", default=60)
DOCUMENT_ORPHAN_MIN_AGE_MINUTES = env.int("DOCUMENT_ORPHAN_MIN_AGE_MINUTES", default=60)
# Optional virus scan: dotted path of a callable scan(file, name) -> None (clean) or a reason.
DOCUMENT_VIRUS_SCAN = env("DOCUMENT_VIRUS_SCAN", default="")
# The kinds a step needs before it proceeds ("<process>.<step>": [kind codes]); the process's
# service calls engine.documents.services.require_documents(case, "<process>.<step>").
DOCUMENT_REQUIRED_KINDS = {
    "incubation.intake": ["charter", "board_members"],  # I1: complete application before acceptance
    # procurement (P4, P8): a bid's own files; the contract before signing; per milestone, the
    # acceptance materials before acceptance and the invoice with the payment request
    "procurement.bid": ["bid_technical", "bid_price"],
    "procurement.contract": ["contract"],
    "procurement.milestone_accept": ["acceptance"],
    "procurement.payment_request": ["invoice"],
    # certification (R12): a back-fill's evidence before it is approved; off by default, on with
    # "certification.backfill_approve": ["backfill_evidence"],
}

# --- Audit trail (D4) ---------------------------------------------------------------------
# Writers only append; a periodic job seals events into a chain and appends signed checkpoints
# to a file in AUDIT_CHECKPOINT_DIR, which belongs on storage the database's users cannot
# write (another disk, an object-store mount). The key signs those checkpoints.
# By default one directory per database, so a second database on this machine has its own.
AUDIT_CHECKPOINT_DIR = env(
    "AUDIT_CHECKPOINT_DIR",
    default=str(VAR_DIR / "audit" / Path(str(DATABASES["default"]["NAME"])).name.replace(".", "_")),
)
AUDIT_SIGNING_KEY = env("AUDIT_SIGNING_KEY", default="")  # Ed25519 private key, PEM
AUDIT_SIGNING_KEY_FILE = env("AUDIT_SIGNING_KEY_FILE", default=str(VAR_DIR / "keys" / "audit-ed25519.pem"))
# A transaction that appended an event must commit within this time, or the event is reported
# as unsealed (sealing then no longer scans that old part of the trail).
AUDIT_SEAL_GRACE_MINUTES = env.int("AUDIT_SEAL_GRACE_MINUTES", default=60)
AUDIT_SEAL_BATCH = 10000

DEMO_MODE = env.bool("DEMO_MODE", default=False)
DEMO_PASSWORD = env("DEMO_PASSWORD", default="zhiyuan-demo-2026")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # D6: ID-card and mobile numbers are masked in every record written
    "filters": {"mask_personal_data": {"()": "config.log_filters.MaskPersonalDataFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_personal_data"]}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}
