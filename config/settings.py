"""Settings: one readable file of environment lookups (DESIGN §7).

Embedded defaults (SQLite, a filesystem broker) need no server; production sets DATABASE_URL,
CELERY_BROKER_URL / REDIS_URL, SECRET_KEY and ALLOWED_HOSTS, with DEBUG off.
"""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

INSECURE_SECRET_KEY = "insecure-dev-key-only-for-the-embedded-mode-never-in-production"
DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", INSECURE_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

if not DEBUG:
    if SECRET_KEY == INSECURE_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "DEBUG is off but SECRET_KEY is the insecure default or shorter than 50 characters: "
            "set SECRET_KEY to a long random value."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "DEBUG is off but ALLOWED_HOSTS is empty: set ALLOWED_HOSTS to the site's host names."
        )

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
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "enterprises",
    "taskforces",
    "cases",
    "notifications",
    "web",
    "api",
    "fieldwork",
    "office",
    "workspace",
    "portal",
    "analysis",
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "web.middleware.ActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "web.context_processors.roles_and_calendar",
            ],
        },
    },
]

# Database: SQLite by default; PostgreSQL (psycopg2) through DATABASE_URL.
SQLITE_PATH = VAR_DIR / "db.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{SQLITE_PATH}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one file: WAL lets readers run beside one writer, IMMEDIATE
    # transactions take the write lock up front (no deadlock on upgrade), and a busy timeout waits.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: 5 failures lock the username from that address for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Security in production mode.
SESSION_COOKIE_SECURE = not DEBUG and env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = not DEBUG and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Cache: Redis when REDIS_URL is set, local memory otherwise.
REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Celery: Redis when configured, kombu's filesystem transport (no server) otherwise.
BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    for sub in ("queue", "processed", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# Email: console in the embedded mode, SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "siji-siwen@localhost")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)

# Notifications and reminders (DESIGN §6). The sweep and the re-send run every minute; the daily
# dispatch digest at DAILY_DIGEST_AT (Beijing time) on working days. A pending notification not
# delivered NOTIFICATIONS_RESEND_AFTER_SECONDS after it was due is queued again; one whose sender
# died is handed out again once its claim is older than the lease (longer than a delivery may run).
REMINDER_SWEEP_SECONDS = env_int("REMINDER_SWEEP_SECONDS", 60)
REMINDER_SWEEP_BATCH_SIZE = env_int("REMINDER_SWEEP_BATCH_SIZE", 500)
NOTIFICATIONS_QUEUE = env_str("NOTIFICATIONS_QUEUE", "celery")
NOTIFICATIONS_RESEND_SECONDS = env_int("NOTIFICATIONS_RESEND_SECONDS", 60)
NOTIFICATIONS_RESEND_AFTER_SECONDS = env_int("NOTIFICATIONS_RESEND_AFTER_SECONDS", 60)
NOTIFICATIONS_SENDING_LEASE_SECONDS = env_int("NOTIFICATIONS_SENDING_LEASE_SECONDS", 300)
NOTIFICATIONS_MAX_ATTEMPTS = env_int("NOTIFICATIONS_MAX_ATTEMPTS", 8)
NOTIFICATIONS_RETRY_BASE_SECONDS = env_int("NOTIFICATIONS_RETRY_BASE_SECONDS", 30)
# Reminders from this level up also go by SMS to recipients with a phone number (2: 督办).
NOTIFICATIONS_SMS_MIN_LEVEL = env_int("NOTIFICATIONS_SMS_MIN_LEVEL", 2)
SMS_BACKEND = env_str("SMS_BACKEND", "notifications.channels.sms.ConsoleSmsBackend")
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)
DAILY_DIGEST_AT = env_str("DAILY_DIGEST_AT", "08:30")
try:
    _digest_hour, _digest_minute = (int(part) for part in DAILY_DIGEST_AT.split(":"))
    if not (0 <= _digest_hour < 24 and 0 <= _digest_minute < 60):
        raise ValueError
except ValueError:
    raise ImproperlyConfigured(
        f"DAILY_DIGEST_AT={DAILY_DIGEST_AT!r} is not a time like 08:30."
    ) from None
CELERY_BEAT_SCHEDULE = {
    "sweep-deadlines": {
        "task": "notifications.sweep_deadlines",
        "schedule": float(REMINDER_SWEEP_SECONDS),
        # A tick the worker could not take in time is dropped: the next one sweeps the same cases.
        "options": {"queue": NOTIFICATIONS_QUEUE, "expires": REMINDER_SWEEP_SECONDS},
    },
    "resend-pending-notifications": {
        "task": "notifications.resend_pending",
        "schedule": float(NOTIFICATIONS_RESEND_SECONDS),
        "options": {"queue": NOTIFICATIONS_QUEUE, "expires": NOTIFICATIONS_RESEND_SECONDS},
    },
    "daily-dispatch-digest": {
        "task": "notifications.send_daily_digest",
        "schedule": crontab(hour=_digest_hour, minute=_digest_minute),
        "options": {"queue": NOTIFICATIONS_QUEUE, "expires": 3 * 3600},
    },
}

# The figures pages (dashboard, evaluation) read snapshots the beat recomputes this often
# (analysis.snapshots); a page recomputes one older than twice this itself. The snapshots live in
# the cache: with Redis (production) web and worker share them; the embedded mode's local-memory
# cache is per process, so there each web process computes its own, read-through.
ANALYSIS_SNAPSHOT_SECONDS = env_int("ANALYSIS_SNAPSHOT_SECONDS", 300)
CELERY_BEAT_SCHEDULE["refresh-analysis-snapshots"] = {
    "task": "analysis.refresh_snapshots",
    "schedule": float(ANALYSIS_SNAPSHOT_SECONDS),
    "options": {"expires": ANALYSIS_SNAPSHOT_SECONDS},
}

# Field work: visit photos and how long before an enterprise counts as not visited.
VISIT_PHOTO_MAX_BYTES = env_int("VISIT_PHOTO_MAX_BYTES", 10 * 1024 * 1024)
VISIT_PHOTO_MAX_COUNT = env_int("VISIT_PHOTO_MAX_COUNT", 10)
VISIT_STALE_AFTER_DAYS = env_int("VISIT_STALE_AFTER_DAYS", 30)

# How often a long-running case owes a progress note (调度), in working days.
PROGRESS_NOTE_INTERVAL_WORKING_DAYS = env_int("PROGRESS_NOTE_INTERVAL_WORKING_DAYS", 5)

# A replied case the enterprise never rated may be closed as 未评价 after this many working days.
UNRATED_CLOSE_AFTER_WORKING_DAYS = env_int("UNRATED_CLOSE_AFTER_WORKING_DAYS", 10)

# Analysis: Excel import/export sizes and the minimum caseload for a department to be ranked.
ANALYSIS_IMPORT_MAX_BYTES = env_int("ANALYSIS_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
ANALYSIS_IMPORT_MAX_ROWS = env_int("ANALYSIS_IMPORT_MAX_ROWS", 20000)
ANALYSIS_IMPORT_INLINE_ROWS = env_int("ANALYSIS_IMPORT_INLINE_ROWS", 100)
ANALYSIS_EXPORT_INLINE_ROWS = env_int("ANALYSIS_EXPORT_INLINE_ROWS", 5000)
ANALYSIS_RANK_MIN_ASSIGNED = env_int("ANALYSIS_RANK_MIN_ASSIGNED", 5)

# Enterprise portal attachments: kept outside MEDIA_ROOT, served only through a scoped view.
PORTAL_ATTACHMENTS_ROOT = Path(
    env_str("PORTAL_ATTACHMENTS_ROOT", str(VAR_DIR / "private" / "attachments"))
)
PORTAL_ATTACHMENT_MAX_BYTES = env_int("PORTAL_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
PORTAL_ATTACHMENT_MAX_FILES = env_int("PORTAL_ATTACHMENT_MAX_FILES", 5)

# The campaign's rules (DESIGN §5).
CONTACT_DEADLINE_WORKING_DAYS = env_int("CONTACT_DEADLINE_WORKING_DAYS", 3)
# generate_load (bench/) refuses production mode unless this is set, for a benchmark database.
BENCH_ALLOW_LOAD = env_bool("BENCH_ALLOW_LOAD", False)
DEFAULT_RESOLVE_WORKING_DAYS = env_int("DEFAULT_RESOLVE_WORKING_DAYS", 15)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # The API's answers to the workflow's refusals: 403, 409 with the current status, 400.
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    # Per user (token or session) and per address; 429 with Retry-After. A rate of "" or "off"
    # disables that scope. Behind a reverse proxy set API_NUM_PROXIES (usually 1), or every client
    # shares the proxy's address.
    "DEFAULT_THROTTLE_CLASSES": ["api.throttles.UserThrottle", "api.throttles.AddressThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        scope: (None if rate.strip().lower() in ("", "off", "none") else rate.strip())
        for scope, rate in {
            "user": env_str("API_THROTTLE_USER", "1200/min"),
            "ip": env_str("API_THROTTLE_IP", "6000/min"),
            "auth": env_str("API_THROTTLE_AUTH", "30/min"),
        }.items()
    },
    "NUM_PROXIES": env_int("API_NUM_PROXIES", 0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "四进四问 case management API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "DESCRIPTION": "四进四问: visits, cases and their workflow (DESIGN §9). Authenticate with "
    "POST /api/v1/auth/token/, then send `Authorization: Token <token>`.",
    # Swagger UI and Redoc from the installed sidecar package: county networks have no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "cases.models.Case.Status",
        "CaseOutcomeEnum": "cases.models.Case.Outcome",
        "CaseRatingEnum": "cases.models.Case.Rating",
        "VisitKindEnum": "cases.models.Visit.Kind",
        "TaskForceRoleEnum": "taskforces.models.TaskForceMember.Role",
        "UserRoleEnum": ["office", "leader", "department", "cadre", "enterprise"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
