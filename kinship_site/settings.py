"""Kinship settings: one module, every integration switched by the environment.

With nothing set, the *embedded default* runs: SQLite and media files under ``KINSHIP_DATA_DIR``,
a Celery broker on the local file system (no server) and a worker started beside the web server.
``DATABASE_URL`` selects PostgreSQL, ``REDIS_URL`` the Celery broker/result backend and cache,
``KINSHIP_S3_BUCKET`` S3-compatible media storage. ``KINSHIP_MODE=production`` refuses insecure
defaults: a secret key and allowed hosts must be given. Importing this module writes nothing; the
embedded default's data folder and secret key are made by ``manage.py`` (``kinship_site.embedded``).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from kinship_site.embedded import data_dir, secret_key_read

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    """Return an environment variable, or ``default`` when unset or empty."""
    return os.environ.get(name, "").strip() or default


def env_bool(name: str, default: bool = False) -> bool:
    """Return an environment flag ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    return value in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    """Return an integer environment variable."""
    value = env_str(name)
    return int(value) if value else default


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """Return a comma-separated environment variable as a list."""
    value = env_str(name)
    if not value:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


MODE = env_str("KINSHIP_MODE", "embedded")
if MODE not in {"embedded", "production"}:
    raise ImproperlyConfigured("KINSHIP_MODE must be 'embedded' or 'production'")
PRODUCTION = MODE == "production"
# The test suite runs with kinship_site.settings_test, which turns this on; a process the tests start
# (a worker, say) is told so by KINSHIP_TESTING=1.
TESTING = env_bool("KINSHIP_TESTING")

DATA_DIR = data_dir()


PLACEHOLDER_SECRET_KEYS = frozenset(
    {
        "changeme",
        "change-me",
        "change_me",
        "changethis",
        "secret",
        "secret-key",
        "secretkey",
        "your-secret-key",
        "your_secret_key",
        "insecure",
        "password",
        "dev",
        "development",
        "test",
        "kinship",
        "…",
        "...",
        "build-only-not-secret",  # the Dockerfile's collectstatic value: public, so never a key for a server
    }
)
"""Well-known example keys: anyone could sign sessions and tokens with them."""


def is_placeholder_secret_key(key: str) -> bool:
    """Return True for a key copied from an example: a known placeholder or Django's ``django-insecure-`` key."""
    return key.strip().lower() in PLACEHOLDER_SECRET_KEYS or key.startswith("django-insecure")


SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when KINSHIP_MODE=production")
    # The per-installation random key manage.py made in the data folder (kinship_site.embedded);
    # empty until then, and Django refuses to sign anything with an empty key.
    SECRET_KEY = secret_key_read(DATA_DIR)
elif PRODUCTION and is_placeholder_secret_key(SECRET_KEY) and not env_bool("KINSHIP_BUILD_STEP"):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is a well-known placeholder; set a long random value "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )

DEBUG = env_bool("DJANGO_DEBUG") and not PRODUCTION

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when KINSHIP_MODE=production")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "cases",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cases.middleware.ApplicationErrorMiddleware",
    "cases.middleware.ChangeHistoryMiddleware",
    "cases.middleware.TreesInUseMiddleware",
]

ROOT_URLCONF = "kinship_site.urls"
WSGI_APPLICATION = "kinship_site.wsgi.application"

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
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
elif PRODUCTION:
    raise ImproperlyConfigured("DATABASE_URL must be set when KINSHIP_MODE=production")
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "kinship.sqlite3",
            "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Celery ------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    # Unacknowledged jobs (a worker killed mid-job) are redelivered after this many seconds.
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {"visibility_timeout": env_int("KINSHIP_BROKER_VISIBILITY_TIMEOUT", 3600)}
else:
    # Embedded default: web and worker processes share the file system, so both the cache and
    # the broker live there and no server is needed. The Celery app creates these folders when it
    # starts (kinship_site/celery.py), not this module.
    _celery_dir = DATA_DIR / "celery"
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_dir / "queue"),
        "data_folder_out": str(_celery_dir / "queue"),
        "processed_folder": str(_celery_dir / "processed"),
        "control_folder": str(_celery_dir / "control"),  # kombu's default is ./control in the working directory
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = f"file://{_celery_dir / 'results'}"

CELERY_TASK_ALWAYS_EAGER = env_bool("KINSHIP_TASKS_EAGER", TESTING)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
# Job state lives in the database; no caller waits on Celery results (and none subscribes to them).
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {"workers.tasks.generation.*": {"queue": "gpu"}}
CELERY_RESULT_EXPIRES = 86400
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# A dead worker loses nothing, whatever the broker: the worker running a job stamps its heartbeat
# every KINSHIP_JOB_HEARTBEAT_SECONDS; every worker sweeps every KINSHIP_JOB_SWEEP_SECONDS and
# re-queues running jobs whose heartbeat is older than KINSHIP_JOB_STALE_SECONDS, at most
# KINSHIP_JOB_MAX_ATTEMPTS claims in all (cases/services/generation/recovery.py).
KINSHIP_JOB_HEARTBEAT_SECONDS = env_int("KINSHIP_JOB_HEARTBEAT_SECONDS", 5)
KINSHIP_JOB_STALE_SECONDS = env_int("KINSHIP_JOB_STALE_SECONDS", 30)
KINSHIP_JOB_SWEEP_SECONDS = env_int("KINSHIP_JOB_SWEEP_SECONDS", 10)
KINSHIP_JOB_MAX_ATTEMPTS = env_int("KINSHIP_JOB_MAX_ATTEMPTS", 3)
# Every task has a soft limit (the task stops cleanly and says why) and a hard one (its process is
# killed), in seconds, per task kind: KINSHIP_TIME_LIMIT_<KIND>="soft,hard". Enforced by prefork
# pools only (the solo pool has no timer), which is why `serve` and the compose workers use prefork.
_TIME_LIMIT_DEFAULTS = {
    "generation": ("workers.tasks.generation.generation_run_task", 1800, 1900),
    "gedcom_preview": ("workers.tasks.gedcom.gedcom_preview_task", 300, 330),
    "gedcom_import": ("workers.tasks.gedcom.gedcom_import_task", 3600, 3700),
    "photo_detect": ("workers.tasks.photos.photo_detect_faces_task", 120, 150),
    "recovery": ("workers.tasks.generation.generation_recover_task", 60, 90),
}
KINSHIP_TASK_TIME_LIMITS: dict[str, tuple[int, int]] = {}
for _kind, (_task, _soft, _hard) in _TIME_LIMIT_DEFAULTS.items():
    _soft_hard = env_list(f"KINSHIP_TIME_LIMIT_{_kind.upper()}", [str(_soft), str(_hard)])
    KINSHIP_TASK_TIME_LIMITS[_task] = (int(_soft_hard[0]), int(_soft_hard[1]))
CELERY_TASK_ANNOTATIONS = {
    task: {"soft_time_limit": soft, "time_limit": hard} for task, (soft, hard) in KINSHIP_TASK_TIME_LIMITS.items()
}
# Any task not named above still has a limit.
CELERY_TASK_SOFT_TIME_LIMIT = env_int("KINSHIP_TIME_LIMIT_DEFAULT_SOFT", 600)
CELERY_TASK_TIME_LIMIT = env_int("KINSHIP_TIME_LIMIT_DEFAULT_HARD", 660)

# --- Storage ------------------------------------------------------------------------------------
MEDIA_ROOT = Path(env_str("KINSHIP_MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "/media/"  # never served directly: every file goes through a permission-checked view
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("KINSHIP_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
S3_BUCKET = env_str("KINSHIP_S3_BUCKET")
if S3_BUCKET:
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("KINSHIP_S3_ENDPOINT_URL") or None,
            "access_key": env_str("KINSHIP_S3_ACCESS_KEY"),
            "secret_key": env_str("KINSHIP_S3_SECRET_KEY"),
            "region_name": env_str("KINSHIP_S3_REGION") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
# Outside production WhiteNoise re-reads a static file's size on every request: with the sizes cached
# at start-up, a stylesheet edited while `make run` serves came back truncated and the page never loaded.
WHITENOISE_AUTOREFRESH = not PRODUCTION

# --- Auth, i18n ---------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "tree-list"
LOGOUT_REDIRECT_URL = "login"
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Security (production) ----------------------------------------------------------------------
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- REST API -----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous API request gets 401 with a WWW-Authenticate header.
        "cases.api.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "cases.api.errors.exception_handler",
    # Log-in attempts (token endpoint and log-in page) per client address, counted in the cache.
    "DEFAULT_THROTTLE_RATES": {"login": env_str("KINSHIP_LOGIN_RATE", "10/min")},
}
KINSHIP_TOKEN_LIFETIME_HOURS = env_int("KINSHIP_TOKEN_LIFETIME_HOURS", 24)
"""An API token stops working this many hours after it was issued; asking again issues a new one."""
SPECTACULAR_SETTINGS = {
    "TITLE": "Kinship API",
    "DESCRIPTION": "Family trees, persons, families and photos; generated faces are synthetic.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "cases.api.schema.schema_complete"],
}

# --- Kinship ------------------------------------------------------------------------------------
KINSHIP_LIVING_AGE_LIMIT = env_int("KINSHIP_LIVING_AGE_LIMIT", 100)
"""A person without a recorded death counts as living until their estimated age passes this."""
KINSHIP_NAME_FORMAT = env_str("KINSHIP_NAME_FORMAT", "given_surname")
"""How names are shown where a tree chose no format: "given_surname" (John Fitzgerald Kennedy), "surname_given"
(KENNEDY, John Fitzgerald), "surname_comma_given" (Kennedy, John Fitzgerald) or "given_surname_caps"."""
KINSHIP_MAX_UPLOAD_BYTES = env_int("KINSHIP_MAX_UPLOAD_BYTES", 30 * 1024 * 1024)
KINSHIP_MAX_IMAGE_PIXELS = env_int("KINSHIP_MAX_IMAGE_PIXELS", 60_000_000)
KINSHIP_FACE_DETECTION_MAX_SIDE = env_int("KINSHIP_FACE_DETECTION_MAX_SIDE", 1600)
KINSHIP_THUMBNAIL_SIZE = env_int("KINSHIP_THUMBNAIL_SIZE", 320)
KINSHIP_CHECKPOINT_DIR = env_str("KINSHIP_CHECKPOINT_DIR")
KINSHIP_ENGINE = env_str("KINSHIP_ENGINE", "auto")
KINSHIP_DEVICE = env_str("KINSHIP_DEVICE", "cpu")
KINSHIP_REFERENCES_CSV = env_str("KINSHIP_REFERENCES_CSV")
"""Reference faces of known age (``path,age,sex[,ancestry]``) for the offline engine's age prototypes."""
KINSHIP_GENERATION_QUEUE_QUOTA = env_int("KINSHIP_GENERATION_QUEUE_QUOTA", 5)
"""Queued or running generation jobs allowed per tree at once."""
KINSHIP_SYNTHETIC_MARK_PLACEMENT = env_str("KINSHIP_SYNTHETIC_MARK_PLACEMENT", "band-bottom")
KINSHIP_MARK_DOWNLOADS = env_bool("KINSHIP_MARK_DOWNLOADS", True)
KINSHIP_WATERMARK_KEY = env_str("KINSHIP_WATERMARK_KEY", "kinship-candidate-watermark-v1")
"""Seeds the invisible watermark (cases/provenance/watermark.py); change it and older candidates go undetected."""
KINSHIP_C2PA_CERT = env_str("KINSHIP_C2PA_CERT")
KINSHIP_C2PA_KEY = env_str("KINSHIP_C2PA_KEY")
KINSHIP_C2PA_ALG = env_str("KINSHIP_C2PA_ALG", "es256")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("KINSHIP_LOG_LEVEL", "INFO")},
}
