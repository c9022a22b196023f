"""Settings: one readable file of environment lookups (DESIGN §7).

Embedded defaults (SQLite, a filesystem broker) need no server; production sets DATABASE_URL,
CELERY_BROKER_URL / REDIS_URL, SECRET_KEY and ALLOWED_HOSTS, with DEBUG off.
"""

import ipaddress
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.cache import redis_cache
from config.env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

INSECURE_SECRET_KEY = "insecure-dev-key-only-for-the-embedded-mode-never-in-production"
DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", INSECURE_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Error pages: the project's own (Chinese) 404/400/500 pages in every mode, `make run` included
# (web.errors); 1 shows Django's debug pages instead while DEBUG is on, for a developer.
TECHNICAL_ERROR_PAGES = env_bool("TECHNICAL_ERROR_PAGES", False)
CSRF_FAILURE_VIEW = "web.errors.csrf_failure"
# The county, named in every letterhead (交办函, reports).
COUNTY_NAME = env_str("COUNTY_NAME", "进贤县")
# The office's phone a 交办函 names when the issuing clerk has none of their own (cases.letters).
OFFICE_CONTACT_PHONE = env_str("OFFICE_CONTACT_PHONE", "")

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

# The scale benchmark's app (bench/: generate_load, the /bench/baseline/ view) is installed and
# routed only when this is set; scripts/bench.py (make bench) sets it for what it starts.
BENCHMARK = env_bool("BENCHMARK", False)

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
    "counties",
    "enterprises",
    "taskforces",
    "taskforce_pages",
    "demo",
    "cases",
    "notifications",
    "web",
    "api",
    "signin",
    "fieldwork",
    "office",
    "workspace",
    "portal",
    "analysis",
    *(["bench"] if BENCHMARK else []),
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "web.middleware.ActorMiddleware",
    "web.replica.ReplicaMiddleware",  # which database the request reads (DATABASE_REPLICA_URL)
    "django.contrib.messages.middleware.MessageMiddleware",
    "api.middleware.JsonErrorsMiddleware",  # every answer under /api/ is JSON, errors too
    "web.errors.OwnErrorPagesMiddleware",
    "web.refusals.RefusalMiddleware",  # after OwnErrorPages: an uncaught ActionForbidden is a 403
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
                "web.context_processors.county",
            ],
        },
    },
]

# Form widgets (every select, input and their options) are written by Jinja2, from the copies of
# the widget templates Django ships for it: the same markup, and the case page's forms cost about
# 4 ms less of its 34 ms of Python at 10,000 cases (issue 23). The admin's own widget templates
# exist for Django's engine only and are rendered by it (web.form_renderer).
FORM_RENDERER = "web.form_renderer.FormRenderer"

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
    # The covering indexes' INCLUDE columns are a PostgreSQL optimisation; SQLite builds the same
    # indexes without them, which is all the embedded mode needs: nothing to act on.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
# A PostgreSQL streaming replica: the analysis pages, their downloads, the Excel export job and the
# API's lists read it; every write, and every other read, goes to the primary (web.replica). In
# the tests it mirrors the test database. Unset: one database, as before.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
DATABASE_REPLICA_PIN_SECONDS = env_int("DATABASE_REPLICA_PIN_SECONDS", 10)
if DATABASE_REPLICA_URL:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL is set but DATABASE_URL is not PostgreSQL: a replica is a "
            "PostgreSQL streaming replica of a PostgreSQL primary."
        )
    # A kept connection is checked before each request reuses it: a replica that went away is
    # noticed before a page's first query, not by it.
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0), conn_health_checks=True
    )
    if DATABASES["replica"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            f"DATABASE_REPLICA_URL={DATABASE_REPLICA_URL!r} is not a postgres:// URL."
        )
    # A replica that is down costs the eligible pages a few seconds, then they read the primary.
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["web.replica.ReplicaRouter"]
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
    "signin.backends.SmsCodeBackend",  # enterprise contacts: 短信验证码
    "signin.backends.VendorBackend",  # staff: 企业微信 / 钉钉
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Behind a reverse proxy: how many proxies in front of the app append to X-Forwarded-For (0: none,
# REMOTE_ADDR is the client; the compose stack's nginx makes it 1). One setting for the login
# lockout and the API's per-address throttle (web.proxies.client_address answers both).
# API_NUM_PROXIES is its older name, still read.
NUM_PROXIES = env_int("NUM_PROXIES", env_int("API_NUM_PROXIES", 0))

# Login throttling: 5 failures lock the username from that client address for 15 minutes. Keyed on
# both: a wrong password typed elsewhere (or behind the same proxy) never locks the owner out.
AXES_CLIENT_IP_CALLABLE = "web.proxies.client_address"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_VERBOSE = False  # no "AXES: BEGIN" banner from every process

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

# Content-Security-Policy on every page (django-csp). Scripts come only from our own static files:
# no inline script, no event-handler attribute, no eval (the pages' small behaviours live in
# static/site/site.js; htmx runs with allowEval off). Styles may also be inline attributes, which
# Bootstrap's markup, htmx's indicator and Swagger UI use. Images may be data:/blob: URLs
# (Bootstrap's icons, ECharts' "save as image"). Nothing frames us, forms post only to us.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Cache: Redis when REDIS_URL is set, local memory otherwise. A Redis that is down or hung costs
# what the cache would have saved, never the request (config.cache): errors are logged and
# ignored, and a call gives up after CACHE_SOCKET_TIMEOUT seconds.
REDIS_URL = env_str("REDIS_URL")
CACHE_SOCKET_TIMEOUT = env_float("CACHE_SOCKET_TIMEOUT", 0.25)
CACHES = {
    "default": (
        redis_cache(REDIS_URL, timeout=CACHE_SOCKET_TIMEOUT)
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# Celery: Redis when configured, kombu's filesystem transport (no server) otherwise.
BROKER_DIR = VAR_DIR / "broker"
# (kombu's filesystem transport ignores the host; naming one spares a warning per process.)
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "filesystem://localhost//")
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
# Publishing happens after commit, often inside a web request: fail fast when the broker is gone
# (one reconnect for a stale pooled connection). The outbox's re-send, or the job's own "not
# started" message, covers the rest. Every apply_async from a request uses this.
PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
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
# The beat's jobs (sweep, re-send, digest, snapshots) have a queue and a worker of their own: queued
# behind thousands of deliveries (after a restart, an outage) their ticks would expire unread and
# due cases would wait for their escalation. Deliveries and the Excel jobs stay on the default queue.
BEAT_QUEUE = env_str("BEAT_QUEUE", "beat")
if BEAT_QUEUE == NOTIFICATIONS_QUEUE:
    raise ImproperlyConfigured(
        f"BEAT_QUEUE and NOTIFICATIONS_QUEUE are both {BEAT_QUEUE!r}: the deadline sweep would wait "
        "behind every queued delivery. Give the beat's jobs a queue of their own."
    )
NOTIFICATIONS_RESEND_SECONDS = env_int("NOTIFICATIONS_RESEND_SECONDS", 60)
NOTIFICATIONS_RESEND_AFTER_SECONDS = env_int("NOTIFICATIONS_RESEND_AFTER_SECONDS", 60)
NOTIFICATIONS_SENDING_LEASE_SECONDS = env_int("NOTIFICATIONS_SENDING_LEASE_SECONDS", 300)
NOTIFICATIONS_MAX_ATTEMPTS = env_int("NOTIFICATIONS_MAX_ATTEMPTS", 8)
NOTIFICATIONS_RETRY_BASE_SECONDS = env_int("NOTIFICATIONS_RETRY_BASE_SECONDS", 30)
# Reminders from this level up also go by SMS to recipients with a phone number (2: 督办).
NOTIFICATIONS_SMS_MIN_LEVEL = env_int("NOTIFICATIONS_SMS_MIN_LEVEL", 2)
# Unset: the provider the office configured (阿里云), else the console (notifications.channels.sms).
SMS_BACKEND = env_str("SMS_BACKEND")
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)
# Group robots must be on the internet (enterprises.addresses); a robot gateway on the
# intranet needs its networks listed here, e.g. "10.8.0.0/16,fd00:8::/64".
WEBHOOK_ALLOWED_NETWORKS = env_list("WEBHOOK_ALLOWED_NETWORKS")
for _network in WEBHOOK_ALLOWED_NETWORKS:
    try:
        ipaddress.ip_network(_network)
    except ValueError:
        raise ImproperlyConfigured(
            f"WEBHOOK_ALLOWED_NETWORKS: {_network!r} is not a network like 10.8.0.0/16."
        ) from None
# 企业微信 and 钉钉 (notifications.integrations): the account set here is the default of a county
# whose office saved none of its own on its settings page (/office/integrations/); the API bases are changed only to point the tests at
# their local stand-ins.
WECOM_CORP_ID = env_str("WECOM_CORP_ID")
WECOM_AGENT_ID = env_str("WECOM_AGENT_ID")
WECOM_SECRET = env_str("WECOM_SECRET")
WECOM_API_BASE = env_str("WECOM_API_BASE", "https://qyapi.weixin.qq.com")
DINGTALK_APP_KEY = env_str("DINGTALK_APP_KEY")
DINGTALK_APP_SECRET = env_str("DINGTALK_APP_SECRET")
DINGTALK_AGENT_ID = env_str("DINGTALK_AGENT_ID")
DINGTALK_CORP_ID = env_str("DINGTALK_CORP_ID")
DINGTALK_API_BASE = env_str("DINGTALK_API_BASE", "https://oapi.dingtalk.com")
DINGTALK_NEW_API_BASE = env_str("DINGTALK_NEW_API_BASE", "https://api.dingtalk.com")
VENDOR_TIMEOUT_SECONDS = env_int("VENDOR_TIMEOUT_SECONDS", 10)
# The site's address as people reach it: the links in 企业微信/钉钉 cards open cases there.
SITE_URL = env_str("SITE_URL", "http://localhost:8000").rstrip("/")
# SMS through a provider (SMS_BACKEND names the class); these are the default account of a county
# whose office saved none (notifications.integrations).
SMS_PROVIDER = env_str("SMS_PROVIDER")
SMS_ACCESS_KEY_ID = env_str("SMS_ACCESS_KEY_ID")
SMS_ACCESS_KEY_SECRET = env_str("SMS_ACCESS_KEY_SECRET")
SMS_SIGN_NAME = env_str("SMS_SIGN_NAME")
SMS_TEMPLATE_LOGIN = env_str("SMS_TEMPLATE_LOGIN")
SMS_TEMPLATE_NOTICE = env_str("SMS_TEMPLATE_NOTICE")
SMS_API_BASE = env_str("SMS_API_BASE")
# SMS sign-in codes (signin.sms_codes): at most one per number a minute, a few per number and per
# client address an hour; a code is burnt after this many wrong guesses.
SIGNIN_SMS_INTERVAL_SECONDS = env_int("SIGNIN_SMS_INTERVAL_SECONDS", 60)
SIGNIN_SMS_PER_NUMBER_PER_HOUR = env_int("SIGNIN_SMS_PER_NUMBER_PER_HOUR", 5)
SIGNIN_SMS_PER_ADDRESS_PER_HOUR = env_int("SIGNIN_SMS_PER_ADDRESS_PER_HOUR", 20)
SIGNIN_SMS_WRONG_GUESSES = env_int("SIGNIN_SMS_WRONG_GUESSES", 3)
# County leaders hear of their task forces' late cases in one daily digest (1) or per case (0);
# unset, the office's choice on its settings page holds.
LEADER_DAILY_DIGEST = (
    env_bool("LEADER_DAILY_DIGEST", True) if env_str("LEADER_DAILY_DIGEST").strip() else None
)
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
        "options": {"queue": BEAT_QUEUE, "expires": REMINDER_SWEEP_SECONDS},
    },
    "resend-pending-notifications": {
        "task": "notifications.resend_pending",
        "schedule": float(NOTIFICATIONS_RESEND_SECONDS),
        "options": {"queue": BEAT_QUEUE, "expires": NOTIFICATIONS_RESEND_SECONDS},
    },
    "daily-dispatch-digest": {
        "task": "notifications.send_daily_digest",
        "schedule": crontab(hour=_digest_hour, minute=_digest_minute),
        "options": {"queue": BEAT_QUEUE, "expires": 3 * 3600},
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
    "options": {"queue": BEAT_QUEUE, "expires": ANALYSIS_SNAPSHOT_SECONDS},
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
# What an .xlsx may hold once unzipped, checked before openpyxl reads it (analysis.excel): a full
# 20,000-row import with long descriptions is about 20 MB unzipped, and openpyxl's reader holds
# ~1.4 times the shared strings; a 0.9 MB file can unzip to 400 MB.
ANALYSIS_IMPORT_MAX_UNCOMPRESSED_BYTES = env_int(
    "ANALYSIS_IMPORT_MAX_UNCOMPRESSED_BYTES", 50 * 1024 * 1024
)
ANALYSIS_IMPORT_INLINE_ROWS = env_int("ANALYSIS_IMPORT_INLINE_ROWS", 100)
ANALYSIS_EXPORT_INLINE_ROWS = env_int("ANALYSIS_EXPORT_INLINE_ROWS", 5000)
ANALYSIS_RANK_MIN_ASSIGNED = env_int("ANALYSIS_RANK_MIN_ASSIGNED", 5)

# Enterprise portal attachments: kept outside MEDIA_ROOT, served only through a scoped view.
PORTAL_ATTACHMENTS_ROOT = Path(
    env_str("PORTAL_ATTACHMENTS_ROOT", str(VAR_DIR / "private" / "attachments"))
)
PORTAL_ATTACHMENT_MAX_BYTES = env_int("PORTAL_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
PORTAL_ATTACHMENT_MAX_FILES = env_int("PORTAL_ATTACHMENT_MAX_FILES", 5)
# Files on one progress note or reply (cases.attachments), each within PORTAL_ATTACHMENT_MAX_BYTES.
CASE_EVENT_ATTACHMENT_MAX_FILES = env_int("CASE_EVENT_ATTACHMENT_MAX_FILES", 5)

# Uploaded pictures (visit photos, portal attachments) are measured from their header before a
# pixel is decoded (cases.uploads). 50 MP admits a phone's full-resolution photo (12–50 MP), whose
# decoding takes up to ~200 MB; a 560 KB PNG of 144 MP would take gigabytes.
UPLOAD_IMAGE_MAX_PIXELS = env_int("UPLOAD_IMAGE_MAX_PIXELS", 50_000_000)

# The campaign's rules (DESIGN §5).
CONTACT_DEADLINE_WORKING_DAYS = env_int("CONTACT_DEADLINE_WORKING_DAYS", 3)
# generate_load (bench/) refuses production mode unless this is set, for a benchmark database.
BENCH_ALLOW_LOAD = env_bool("BENCH_ALLOW_LOAD", False)
DEFAULT_RESOLVE_WORKING_DAYS = env_int("DEFAULT_RESOLVE_WORKING_DAYS", 15)
# 督办单: the department answers in writing this many working days after the issue day, unless
# the office picks another number (1–30) for the notice (cases.supervision_notices).
SUPERVISION_REPLY_WORKING_DAYS = env_int("SUPERVISION_REPLY_WORKING_DAYS", 5)

# An API token is good for this many days from its issue (0: until revoked); a password change or
# deactivation revokes it, and its owner may (api.tokens).
API_TOKEN_TTL_DAYS = env_int("API_TOKEN_TTL_DAYS", 30)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # JSON bodies only (issue 25): a form or multipart body is a 415, and the schema declares
    # application/json alone. JSON nested deeper than api.parsers.MAX_DEPTH is a 400.
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    # Answers are JSON, for a browser too (no HTML browsable API; /api/docs/ is the reading page).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # The API's answers to the workflow's refusals: 403, 409 with the current status, 400.
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    # Per user (token or session) and per address; 429 with Retry-After. A rate of "" or "off"
    # disables that scope. Behind a reverse proxy set NUM_PROXIES (usually 1), or every client
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
    "NUM_PROXIES": NUM_PROXIES,
}
SPECTACULAR_SETTINGS = {
    # One published contract (docs/openapi.yaml, `make openapi`): an ASCII title, from which
    # client generators name their package, and English whatever the reader's language.
    "TITLE": "Sijisiwen case management API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "DESCRIPTION": "四进四问 (Sijisiwen): visits, cases and their workflow (docs/design.md §9). "
    "Authenticate with POST /api/v1/auth/token/, then send `Authorization: Token <token>`. "
    "Request bodies are JSON (`application/json`) only; every answer, errors included, is JSON.",
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
        "UserRoleEnum": "cases.roles.ROLES",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
