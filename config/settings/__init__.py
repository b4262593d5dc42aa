"""The one settings module of vanphong. Everything that differs between a laptop and a
province comes from the environment (see README, "Cấu hình"); there is no separate
production settings file, so nothing behaves differently only in production."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.settings.database import Pool, parse_database, parse_replica
from config.settings.env import env_bool, env_choice, env_int, env_list, env_path, env_str
from config.settings.storage import S3, storages_setting
from vanphong.core.schedule import parse_cron

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = env_path("VANPHONG_DATA_DIR", BASE_DIR / "var")
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _generated_secret(name: str, file_name: str) -> str:
    """A secret from the environment (``NAME`` or ``NAME_FILE``), or one generated once
    into the data folder, so that an embedded install needs no configuration and never
    runs on a known value. The file is created with mode 0600 atomically (O_EXCL), so two
    processes starting together agree on one value."""
    value = env_str(name)
    if value:
        return value
    path = DATA_DIR / file_name
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(64))
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _generated_secret("SECRET_KEY", "secret_key")
# Keys the audit trail's hash chain (HMAC): without it, someone with write access to the
# database could rewrite entries and recompute every hash. Keep it outside the database
# and back it up apart from it.
VANPHONG_AUDIT_KEY = _generated_secret("VANPHONG_AUDIT_KEY", "audit_key")
DEBUG = env_bool("VANPHONG_DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "captcha",
    "vanphong.core",
    "vanphong.accounts",
    "vanphong.orgs",
    "vanphong.audit",
    "vanphong.documents",
    "vanphong.search",
    "vanphong.programs",
    "vanphong.reporting",
    "vanphong.petitions",
    "vanphong.records",
    "vanphong.logistics",
    "vanphong.exchange",
    "vanphong.notifications",
    "vanphong.tasks",
    "vanphong.api",
    "vanphong.web",
    "vanphong.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "vanphong.web.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "vanphong.accounts.middleware.SecondFactorMiddleware",
    "vanphong.audit.middleware.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
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
                "vanphong.web.context_processors.shell",
            ],
        },
    },
]

# --- Database ------------------------------------------------------------------------------
# A pool per process (VANPHONG_DB_POOL_MAX_SIZE > 0), or PgBouncer in transaction pooling in
# front of PostgreSQL (VANPHONG_DB_PGBOUNCER): docs/deployment.md, "Connection pooling".
_DB_CONN_MAX_AGE = env_int("VANPHONG_DB_CONN_MAX_AGE", 60, minimum=0)
_DB_POOL = Pool(
    max_size=env_int("VANPHONG_DB_POOL_MAX_SIZE", 0, minimum=0),
    min_size=env_int("VANPHONG_DB_POOL_MIN_SIZE", 2, minimum=0),
    timeout=env_int("VANPHONG_DB_POOL_TIMEOUT", 10, minimum=1),
)
_DB_PGBOUNCER = env_bool("VANPHONG_DB_PGBOUNCER", False)
DATABASES = {
    "default": parse_database(
        env_str("DATABASE_URL"),
        default_sqlite=DATA_DIR / "vanphong.sqlite3",
        conn_max_age=_DB_CONN_MAX_AGE,
        pool=_DB_POOL,
        pgbouncer=_DB_PGBOUNCER,
    )
}
# A read replica for search and reports: reads inside ``reading_from_replica()`` go there,
# everything else to the primary (vanphong/core/dbrouter.py).
if DATABASE_REPLICA_URL := env_str("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = parse_replica(  # vanphong.core.dbrouter.REPLICA
        DATABASE_REPLICA_URL,
        default=DATABASES["default"],
        conn_max_age=_DB_CONN_MAX_AGE,
        pool=_DB_POOL,
        pgbouncer=_DB_PGBOUNCER,
    )
DATABASE_ROUTERS = ["vanphong.core.dbrouter.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache and background jobs ------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Without Redis the broker is a folder on disk (kombu's filesystem transport): the embedded
# install runs a real worker and beat with no broker server.
BROKER_DIR = DATA_DIR / "broker"
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any] = (
    # A Redis that does not answer (host down, packets dropped) fails a publish in seconds,
    # not after the system's TCP timeout: uploads then answer at once (vanphong/core/jobs.py).
    {"socket_connect_timeout": 2}
    if REDIS_URL
    else {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        # Exchange tables (worker remote control); kombu's default is a folder in the cwd.
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
)
CELERY_TASK_ALWAYS_EAGER = env_bool("VANPHONG_JOBS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = env_int("VANPHONG_JOB_TIME_LIMIT", 1800, minimum=10)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 5
CELERY_TASK_ACKS_LATE = True
# A job whose worker child dies (killed at the hard limit, out of memory) is acknowledged,
# never delivered again: a file that kills workers cannot loop (documents/jobs.py).
CELERY_TASK_REJECT_ON_WORKER_LOST = False
CELERY_TASK_ACKS_ON_FAILURE_OR_TIMEOUT = True
# A child that grew past this (KB) is replaced after its job; VANPHONG_WORKER_MEMORY_LIMIT_MB
# is the hard ceiling of one child's heap (RLIMIT_DATA, config/celery.py; 0: none).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("VANPHONG_WORKER_MAX_MEMORY_MB", 400, minimum=64) * 1024
VANPHONG_WORKER_MEMORY_LIMIT_MB = env_int("VANPHONG_WORKER_MEMORY_LIMIT_MB", 1536, minimum=0)
# The jobs reading files' text and OCR (documents/jobs.py): soft limit, then hard limit.
VANPHONG_EXTRACT_SOFT_TIME_LIMIT = env_int("VANPHONG_EXTRACT_SOFT_TIME_LIMIT", 600, minimum=60)
VANPHONG_EXTRACT_TIME_LIMIT = env_int("VANPHONG_EXTRACT_TIME_LIMIT", 660, minimum=70)
if VANPHONG_EXTRACT_TIME_LIMIT <= VANPHONG_EXTRACT_SOFT_TIME_LIMIT:
    raise ImproperlyConfigured(
        "VANPHONG_EXTRACT_TIME_LIMIT must be more than VANPHONG_EXTRACT_SOFT_TIME_LIMIT"
    )
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
# Beat entries: cron strings from the environment ("minute hour day month weekday").
VANPHONG_SCHEDULE_VERIFY_AUDIT = env_str("VANPHONG_SCHEDULE_VERIFY_AUDIT", "30 1 * * *")
# Parsed here as well, so that a bad string stops every process at start-up: Celery would
# only log the error from its finalize signal and run beat without the entry.
parse_cron("VANPHONG_SCHEDULE_VERIFY_AUDIT", VANPHONG_SCHEDULE_VERIFY_AUDIT)
VANPHONG_SCHEDULE_AUDIT_ANCHOR = env_str("VANPHONG_SCHEDULE_AUDIT_ANCHOR", "0 6 * * *")
parse_cron("VANPHONG_SCHEDULE_AUDIT_ANCHOR", VANPHONG_SCHEDULE_AUDIT_ANCHOR)

# --- Files -----------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env_path("VANPHONG_STATIC_ROOT", DATA_DIR / "static")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request without it
STATICFILES_DIRS = [BASE_DIR / "static"]
# Before `collectstatic` has run (a fresh `runserver`, `vanphong serve`), pages link the
# files by their plain names (vanphong/core/staticfiles.py) and WhiteNoise finds them here.
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "media/"
MEDIA_ROOT = env_path("VANPHONG_MEDIA_ROOT", DATA_DIR / "media")
# Uploaded files: the folder above, or an S3-compatible bucket (docs/deployment.md, section 7).
VANPHONG_STORAGE = env_choice("VANPHONG_STORAGE", ("filesystem", "s3"), "filesystem")
STORAGES = storages_setting(
    VANPHONG_STORAGE,
    s3=S3(
        bucket=env_str("VANPHONG_S3_BUCKET"),
        endpoint_url=env_str("VANPHONG_S3_ENDPOINT_URL"),
        access_key=env_str("VANPHONG_S3_ACCESS_KEY"),
        secret_key=env_str("VANPHONG_S3_SECRET_KEY"),
        region=env_str("VANPHONG_S3_REGION"),
        prefix=env_str("VANPHONG_S3_PREFIX"),
        addressing_style=env_choice("VANPHONG_S3_ADDRESSING_STYLE", ("path", "virtual", "auto"), "path"),
        ca_bundle=env_str("VANPHONG_S3_CA_BUNDLE"),
    ),
)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Largest document file accepted (uploads, e-mail drop folder, capture), in MB.
VANPHONG_MAX_UPLOAD_MB = env_int("VANPHONG_MAX_UPLOAD_MB", 100, minimum=1)
# The citizens' public petition form (/cong-dan/): how many letters and tracking lookups it takes
# (vanphong.petitions.submissions), counted in the cache.
VANPHONG_PUBLIC_PETITION_LIMITS = {
    "per_hour": env_int("VANPHONG_PUBLIC_PETITIONS_PER_HOUR", 5, minimum=1),
    "per_day": env_int("VANPHONG_PUBLIC_PETITIONS_PER_DAY", 20, minimum=1),
    "per_organization_day": env_int("VANPHONG_PUBLIC_PETITIONS_PER_ORGANIZATION_DAY", 300, minimum=1),
    "lookups_per_hour": env_int("VANPHONG_PUBLIC_PETITION_LOOKUPS_PER_HOUR", 30, minimum=1),
}
VANPHONG_PUBLIC_PETITION_MAX_FILE_MB = env_int("VANPHONG_PUBLIC_PETITION_MAX_FILE_MB", 10, minimum=1)
# Preservation packages of the records (vanphong.records.package; docs/records.md): PDF/A renditions
# made with Ghostscript/LibreOffice when installed, and the import limits (the upload itself is also
# bounded by VANPHONG_MAX_UPLOAD_MB on the web).
VANPHONG_PACKAGE_RENDITIONS = env_bool("VANPHONG_PACKAGE_RENDITIONS", True)
VANPHONG_PACKAGE_MAX_BYTES = env_int("VANPHONG_PACKAGE_MAX_MB", 2048, minimum=1) * 1024 * 1024
VANPHONG_PACKAGE_MAX_ENTRIES = env_int("VANPHONG_PACKAGE_MAX_ENTRIES", 20_000, minimum=10)
# The exchange (vanphong.exchange; docs/exchange.md): this instance's code as its peers know it,
# the CA bundle that verifies the peers' HTTPS certificates (empty: the system's), plain HTTP only
# for a closed test network, the request timeout, the clock skew a signed request may carry, the
# largest package, and how many times the outbox tries a delivery before giving up.
VANPHONG_INSTANCE_CODE = env_str("VANPHONG_INSTANCE_CODE", "vanphong")
VANPHONG_EXCHANGE_CA_FILE = env_str("VANPHONG_EXCHANGE_CA_FILE", "")
VANPHONG_EXCHANGE_ALLOW_HTTP = env_bool("VANPHONG_EXCHANGE_ALLOW_HTTP", False)
VANPHONG_EXCHANGE_TIMEOUT = env_int("VANPHONG_EXCHANGE_TIMEOUT", 30, minimum=1)
VANPHONG_EXCHANGE_CLOCK_SKEW = env_int("VANPHONG_EXCHANGE_CLOCK_SKEW", 600, minimum=30)
VANPHONG_EXCHANGE_MAX_BYTES = env_int("VANPHONG_EXCHANGE_MAX_MB", 100, minimum=1) * 1024 * 1024
VANPHONG_EXCHANGE_MAX_ATTEMPTS = env_int("VANPHONG_EXCHANGE_MAX_ATTEMPTS", 12, minimum=1)
# Digital signatures (vanphong.core.signatures): the trusted root certificates (a PEM file or a
# folder of .pem/.crt/.cer; empty: none trusted) and the timestamp authority (empty: none).
VANPHONG_SIGNATURE_TRUST_ROOTS = env_str("VANPHONG_SIGNATURE_TRUST_ROOTS", "")
VANPHONG_SIGNATURE_TSA_URL = env_str("VANPHONG_SIGNATURE_TSA_URL", "")
VANPHONG_SIGNATURE_FONT = env_str("VANPHONG_SIGNATURE_FONT", "")
# Bounds on unpacking and parsing uploaded files, checked before reading (vanphong/core/limits.py).
VANPHONG_UNPACK_MAX_MB = env_int("VANPHONG_UNPACK_MAX_MB", 50, minimum=1)
VANPHONG_UNPACK_MEMBER_MAX_MB = env_int("VANPHONG_UNPACK_MEMBER_MAX_MB", 20, minimum=1)
VANPHONG_UNPACK_MAX_RATIO = env_int("VANPHONG_UNPACK_MAX_RATIO", 100, minimum=2)
VANPHONG_UNPACK_MAX_MEMBERS = env_int("VANPHONG_UNPACK_MAX_MEMBERS", 5000, minimum=10)
VANPHONG_XML_MAX_MB = env_int("VANPHONG_XML_MAX_MB", 10, minimum=1)
VANPHONG_IMAGE_MAX_MPIXELS = env_int("VANPHONG_IMAGE_MAX_MPIXELS", 50, minimum=1)
VANPHONG_OCR_MAX_PAGES = env_int("VANPHONG_OCR_MAX_PAGES", 50, minimum=1)
VANPHONG_PDF_TEXT_MAX_PAGES = env_int("VANPHONG_PDF_TEXT_MAX_PAGES", 2000, minimum=1)

# Search (docs/search.md): counting stops at this many visible matches ("hơn 1.000 kết quả");
# with more, pages come from the best RANK_WINDOW matches of the index; a reader whose reach
# holds at most NARROW_LIMIT documents has the matches narrowed to it first (0: never).
VANPHONG_SEARCH_COUNT_CAP = env_int("VANPHONG_SEARCH_COUNT_CAP", 1000, minimum=1)
# Lists (pages and API) count at most this many rows: "hơn 1.000", count_capped (core/paging.py).
VANPHONG_LIST_COUNT_CAP = env_int("VANPHONG_LIST_COUNT_CAP", 1000, minimum=1)
# A reader whose organisations hold at most this many register entries has the lists read from
# that side (documents/access.py entry_reach; 0: never).
VANPHONG_ENTRY_NARROW_LIMIT = env_int("VANPHONG_ENTRY_NARROW_LIMIT", 20_000, minimum=0)
VANPHONG_SEARCH_RANK_WINDOW = env_int("VANPHONG_SEARCH_RANK_WINDOW", 1000, minimum=1)
VANPHONG_SEARCH_NARROW_LIMIT = env_int("VANPHONG_SEARCH_NARROW_LIMIT", 50_000, minimum=0)

# Task engine (docs/tasks.md). Weekend days as weekday numbers (Monday 0 … Sunday 6).
VANPHONG_WEEKEND_DAYS = [int(d) for d in env_list("VANPHONG_WEEKEND_DAYS", ["5", "6"])]
if any(d not in range(7) for d in VANPHONG_WEEKEND_DAYS):
    raise ImproperlyConfigured("VANPHONG_WEEKEND_DAYS holds weekday numbers 0 (Monday) to 6 (Sunday)")
# "Sắp đến hạn": due within this many working days from today.
VANPHONG_TASK_DUE_SOON_DAYS = env_int("VANPHONG_TASK_DUE_SOON_DAYS", 3, minimum=0)
# Recurring tasks: occurrences due within this many days are created ahead.
VANPHONG_TASK_SERIES_HORIZON_DAYS = env_int("VANPHONG_TASK_SERIES_HORIZON_DAYS", 45, minimum=1)
# Reminders (docs/tasks.md): this many working days before the due date (a list), on it,
# then on the first working day late and every N working days after; escalation to the
# lead's head and to the Văn phòng once a task is that many working days late.
try:
    VANPHONG_TASK_REMIND_BEFORE_DAYS = sorted(
        {int(d) for d in env_list("VANPHONG_TASK_REMIND_BEFORE_DAYS", ["3", "1"])}, reverse=True
    )
except ValueError as exc:
    raise ImproperlyConfigured("VANPHONG_TASK_REMIND_BEFORE_DAYS is a list of working days: 3,1") from exc
if any(d < 1 for d in VANPHONG_TASK_REMIND_BEFORE_DAYS):
    raise ImproperlyConfigured("VANPHONG_TASK_REMIND_BEFORE_DAYS holds whole numbers of at least 1")
VANPHONG_TASK_REMIND_OVERDUE_EVERY = env_int("VANPHONG_TASK_REMIND_OVERDUE_EVERY", 5, minimum=1)
VANPHONG_TASK_ESCALATE_HEAD_DAYS = env_int("VANPHONG_TASK_ESCALATE_HEAD_DAYS", 1, minimum=1)
VANPHONG_TASK_ESCALATE_OFFICE_DAYS = env_int("VANPHONG_TASK_ESCALATE_OFFICE_DAYS", 5, minimum=1)
# Notification kinds e-mailed at once; every other kind waits for the daily digest.
VANPHONG_NOTIFY_IMMEDIATE_KINDS = env_list(
    "VANPHONG_NOTIFY_IMMEDIATE_KINDS", ["task.escalate_head", "task.escalate_office"]
)
# The site's address as users reach it, for the links in e-mails (no trailing slash).
VANPHONG_SITE_URL = env_str("VANPHONG_SITE_URL").rstrip("/")
VANPHONG_SCHEDULE_TASK_REMINDERS = env_str("VANPHONG_SCHEDULE_TASK_REMINDERS", "30 6 * * *")
parse_cron("VANPHONG_SCHEDULE_TASK_REMINDERS", VANPHONG_SCHEDULE_TASK_REMINDERS)
VANPHONG_SCHEDULE_DAILY_DIGEST = env_str("VANPHONG_SCHEDULE_DAILY_DIGEST", "0 7 * * *")
parse_cron("VANPHONG_SCHEDULE_DAILY_DIGEST", VANPHONG_SCHEDULE_DAILY_DIGEST)
VANPHONG_SCHEDULE_RECURRING_TASKS = env_str("VANPHONG_SCHEDULE_RECURRING_TASKS", "30 0 * * *")
parse_cron("VANPHONG_SCHEDULE_RECURRING_TASKS", VANPHONG_SCHEDULE_RECURRING_TASKS)
# The reporting regime: each request's coming period given to its recipients as tasks.
VANPHONG_SCHEDULE_REPORT_PERIODS = env_str("VANPHONG_SCHEDULE_REPORT_PERIODS", "40 0 * * *")
parse_cron("VANPHONG_SCHEDULE_REPORT_PERIODS", VANPHONG_SCHEDULE_REPORT_PERIODS)
# Rapid situation reporting: every hour, before the hour, the next day or slot of each daily or
# hourly request (a slot is given ten minutes before it opens).
VANPHONG_SCHEDULE_RAPID_REPORT_PERIODS = env_str("VANPHONG_SCHEDULE_RAPID_REPORT_PERIODS", "50 * * * *")
parse_cron("VANPHONG_SCHEDULE_RAPID_REPORT_PERIODS", VANPHONG_SCHEDULE_RAPID_REPORT_PERIODS)
# E-mail drop folder: .eml files and PDF/DOCX files put here become arrivals of
# VANPHONG_DROP_ORGANIZATION (slug or id); read by beat when VANPHONG_DROP_DIR is set.
VANPHONG_DROP_DIR = env_str("VANPHONG_DROP_DIR")
VANPHONG_DROP_ORGANIZATION = env_str("VANPHONG_DROP_ORGANIZATION")
VANPHONG_SCHEDULE_DROP_FOLDER = env_str("VANPHONG_SCHEDULE_DROP_FOLDER", "*/5 * * * *")
parse_cron("VANPHONG_SCHEDULE_DROP_FOLDER", VANPHONG_SCHEDULE_DROP_FOLDER)
# Text extraction still pending this many minutes after the upload is queued again (its job
# was lost: the broker was down when the file came); the sweep runs on its own schedule.
VANPHONG_EXTRACTION_REQUEUE_MINUTES = env_int("VANPHONG_EXTRACTION_REQUEUE_MINUTES", 30, minimum=1)
VANPHONG_SCHEDULE_EXTRACTION_SWEEP = env_str("VANPHONG_SCHEDULE_EXTRACTION_SWEEP", "*/10 * * * *")
parse_cron("VANPHONG_SCHEDULE_EXTRACTION_SWEEP", VANPHONG_SCHEDULE_EXTRACTION_SWEEP)
# The exchange's outbox (retries after back-off) and the figures sent up to the level above.
VANPHONG_SCHEDULE_EXCHANGE_OUTBOX = env_str("VANPHONG_SCHEDULE_EXCHANGE_OUTBOX", "* * * * *")
parse_cron("VANPHONG_SCHEDULE_EXCHANGE_OUTBOX", VANPHONG_SCHEDULE_EXCHANGE_OUTBOX)
VANPHONG_SCHEDULE_EXCHANGE_FIGURES = env_str("VANPHONG_SCHEDULE_EXCHANGE_FIGURES", "15 5 * * *")
parse_cron("VANPHONG_SCHEDULE_EXCHANGE_FIGURES", VANPHONG_SCHEDULE_EXCHANGE_FIGURES)
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

# --- E-mail ----------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "vanphong@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    # No mail server on an isolated laptop: messages are written as files to read later.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"

# --- Language, time, formats -----------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt"))]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Sign-in and sessions --------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "vanphong.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("VANPHONG_PASSWORD_MIN_LENGTH", 10, minimum=8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "vanphong.accounts.validators.CharacterClassValidator"},
]
# With Redis, sessions are cached there; without it every web worker reads the database,
# since a per-process cache would keep a signed-out session alive in the other workers.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"
)
SESSION_COOKIE_AGE = env_int("VANPHONG_SESSION_IDLE_MINUTES", 120, minimum=5) * 60
SESSION_SAVE_EVERY_REQUEST = True  # the age above is an idle timeout
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
VANPHONG_LOGIN_MAX_FAILURES = env_int("VANPHONG_LOGIN_MAX_FAILURES", 5, minimum=1)
VANPHONG_LOGIN_LOCKOUT_MINUTES = env_int("VANPHONG_LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
VANPHONG_LOGIN_LOCKOUT_MAX_MINUTES = env_int("VANPHONG_LOGIN_LOCKOUT_MAX_MINUTES", 24 * 60, minimum=1)
VANPHONG_LOGIN_ADDRESS_MAX_FAILURES = env_int("VANPHONG_LOGIN_ADDRESS_MAX_FAILURES", 50, minimum=1)
VANPHONG_LOGIN_ADDRESS_WINDOW_MINUTES = env_int("VANPHONG_LOGIN_ADDRESS_WINDOW_MINUTES", 15, minimum=1)
# Who must use a TOTP second factor: "classified" (anyone cleared for Mật or above, and
# administrators), "all", or "none".
VANPHONG_TOTP_REQUIRED = env_choice("VANPHONG_TOTP_REQUIRED", ("classified", "all", "none"), "classified")
OTP_TOTP_ISSUER = env_str("VANPHONG_TOTP_ISSUER", "Văn phòng số")
VANPHONG_API_TOKEN_DAYS = env_int("VANPHONG_API_TOKEN_DAYS", 30, minimum=1)

# --- HTTPS (behind nginx in production) ------------------------------------------------------
VANPHONG_HTTPS = env_bool("VANPHONG_HTTPS", False)
# Reverse proxies in front of gunicorn whose X-Forwarded-For is trusted for the client's
# address in the audit trail (1 behind one nginx; 0 = use the TCP peer address).
VANPHONG_TRUSTED_PROXY_HOPS = env_int("VANPHONG_TRUSTED_PROXY_HOPS", 0, minimum=0)
if VANPHONG_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("VANPHONG_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("VANPHONG_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("VANPHONG_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("VANPHONG_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy, set by vanphong.web.csp on every response: local assets only, no
# inline scripts or styles (templates keep behaviour in static/js and looks in static/css).
VANPHONG_CSP = env_str(
    "VANPHONG_CSP",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'; object-src 'none'",
)
# The API's Swagger and Redoc pages (drf-spectacular) run inline scripts and styles.
_CSP_API_DOCS = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self' blob:; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
)
VANPHONG_CSP_PATHS = {"/api/docs/": _CSP_API_DOCS, "/api/redoc/": _CSP_API_DOCS}
CSRF_COOKIE_HTTPONLY = True  # htmx sends the token from the hx-headers attribute in base.html

# --- REST API --------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "vanphong.accounts.authentication.BearerTokenAuthentication",
        "vanphong.accounts.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: DRF's browsable API would answer browsers (and their errors) in English HTML.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "vanphong.core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "vanphong.core.api.errors.exception_handler",
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
    "DATE_INPUT_FORMATS": ["iso-8601"],
    "COERCE_DECIMAL_TO_STRING": False,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "vanphong API",
    "DESCRIPTION": "API v1 của Văn phòng số cấp ủy. Xem docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # validatorUrl: Swagger UI would otherwise fetch a badge from validator.swagger.io.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    # Clearance (people) and classification (documents) are the same ordered scale.
    "ENUM_NAME_OVERRIDES": {
        "ClassificationEnum": ["none", "mat", "toi_mat", "tuyet_mat"],
        "UrgencyEnum": ["thuong", "khan", "thuong_khan", "hoa_toc"],
        "MeetingKindEnum": "vanphong.programs.models.MeetingKind",
        # A document's state is shared by several components (incoming, outgoing); the modules
        # added after it name their own "state" choice sets, which made its name ambiguous.
        "DocumentStateEnum": ["received", "draft", "in_review", "approved", "issued", "withdrawn"],
        # The exchange's packages and deliveries name their own "state"/"status" choice sets.
        "ExchangePackageStateEnum": "vanphong.exchange.models.PackageState",
        "ExchangeReceivedStatusEnum": ["accepted", "refused"],
        "StatusEnum": ["registered", "presented", "directed", "processing", "done", "filed"],
        "ExchangeDeliveryStateEnum": "vanphong.exchange.models.DeliveryState",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("VANPHONG_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every step of every PDF at INFO (hundreds of lines per demo seed).
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # pyHanko logs a traceback for every signature by an untrusted authority; the checks
        # stored on the file already say so.
        "pyhanko": {"level": "ERROR"},
        "pyhanko_certvalidator": {"level": "ERROR"},
    },
}
