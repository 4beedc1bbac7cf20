"""Settings, all read from the environment.

With no environment at all this is the *embedded default*: SQLite under
``data/``, a Celery broker on the file system (no server), e-mail written to
``.eml`` files under ``data/mail`` and a secret key generated once into
``data/secret_key``; DEBUG stays off unless set. Production sets DATABASE_URL,
REDIS_URL, SECRET_KEY, ALLOWED_HOSTS, SITE_URL and the EMAIL_* variables
(see README.md); ``manage.py check --deploy`` names any that are missing.
"""

import contextlib
import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def data_dir_secret_key(data_dir: Path) -> str:
    """The embedded default's secret key: made once per data folder, kept in ``secret_key``.

    Written to a temporary file and linked into place, so web, worker and beat starting
    at the same moment all read the same complete key.
    """
    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=data_dir, prefix=".secret_key-")
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", False)
DATA_DIR = Path(os.environ.get("DATA_DIR", BASE_DIR / "data"))
# The embedded default: no DATABASE_URL. Every manage.py command, `make run` and the
# worker then share the SQLite file, the queue, the mail folder and the key under DATA_DIR.
EMBEDDED = not os.environ.get("DATABASE_URL")
if EMBEDDED or not os.environ.get("REDIS_URL"):
    # The embedded default keeps its database, queue and mail here.
    DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
# True when the key was generated under DATA_DIR (`check --deploy` flags it: okr/checks.py).
SECRET_KEY_GENERATED = not SECRET_KEY
if not SECRET_KEY:
    if not (EMBEDDED or DEBUG):
        # A server with its own database must not invent a key per machine (sessions and
        # reset links would break between web processes): production sets it explicitly.
        raise ImproperlyConfigured(
            "SECRET_KEY must be set: DATABASE_URL is, so this is not the embedded default "
            "(see README.md, Configuration)."
        )
    SECRET_KEY = data_dir_secret_key(DATA_DIR)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The public address used in e-mails (links to "my check-ins", invitations). `make run`
# sets it from PORT: honcho gives each of its processes a PORT of its own, so the
# worker's PORT is not the web server's.
SITE_URL = (os.environ.get("SITE_URL") or "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "simple_history",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "accounts",
    "okr",
    "alignment",
]

MIDDLEWARE = [
    # First, so every response gets the security headers: static files, redirects, and the
    # error answers of any middleware below (a 400 for a bad host, a session that vanished).
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # The app's error page (JSON under /api/) for bare 400/403/404/405 answers (accounts/errors.py).
    "accounts.errors.ErrorPageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: turns a login lockout into the "too many attempts" page (django-axes).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "okr.urls"
WSGI_APPLICATION = "okr.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.tenancy",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'db.sqlite3'}"
# Connections to PostgreSQL, per process. The default closes each at the end of its request:
# a threaded server then holds at most one per request in flight, never one per idle thread.
# DATABASE_CONN_MAX_AGE (seconds) keeps them open between requests instead (one per thread);
# DATABASE_POOL=N shares at most N per process through psycopg's pool (a request waits up
# to DATABASE_POOL_TIMEOUT seconds for one, then fails, rather than exhausting the server).
DATABASE_CONN_MAX_AGE = int(os.environ.get("DATABASE_CONN_MAX_AGE") or 0)
DATABASE_POOL = int(os.environ.get("DATABASE_POOL") or 0)
DATABASE_POOL_TIMEOUT = float(os.environ.get("DATABASE_POOL_TIMEOUT") or 10)
if DATABASE_POOL and DATABASE_CONN_MAX_AGE:
    raise ImproperlyConfigured(
        "Set DATABASE_POOL or DATABASE_CONN_MAX_AGE, not both: a pooled connection goes back "
        "to the pool after each request (see README.md, Configuration)."
    )
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=DATABASE_CONN_MAX_AGE,
        conn_health_checks=DATABASE_CONN_MAX_AGE > 0,
    )
}
if DATABASE_POOL and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": DATABASE_POOL,
        "timeout": DATABASE_POOL_TIMEOUT,
    }
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # SQLite is the embedded default: web, worker and beat share one file.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Users and sessions ---------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out login before any password is checked (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
# Sessions: a new key at every login (Django rotates it), two weeks at most, ended
# when a membership is removed (accounts.services.membership_remove).
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
# Read through the cache (Redis in production), written to the database too: a page saves
# the session query, and a session survives a cache restart.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Login lockout (django-axes): 5 failed attempts for one e-mail from one address
# lock that pair for 15 minutes; attempts are kept in the database.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "accounts.ratelimit.axes_username"
AXES_LOCKOUT_CALLABLE = "accounts.ratelimit.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # failures only: no log of every successful login
AXES_VERBOSE = False
# The client's address (login lockout, token and password-reset limits; axes reads it with
# django-ipware). Without a proxy it is the connection's. Behind TRUSTED_PROXY_COUNT proxies
# (1 for one nginx or Caddy that appends to X-Forwarded-For) it is the entry the outermost
# proxy added: what a client wrote into the header itself, to the left of it, is ignored.
# Without this setting every client behind a proxy shares the proxy's address.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT") or 0)
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    # ipware counts the proxies *listed* in X-Forwarded-For; the nearest one is REMOTE_ADDR.
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT - 1
    AXES_IPWARE_PROXY_ORDER = "left-most"
    # Not strict: a header with extra entries a client made up still yields the proxy's entry.
    IPWARE_STRICT = False
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
# Failed API token attempts: after this many in the window (seconds) from one address, or
# for one token prefix, the API answers 429 with Retry-After until the window ends.
API_TOKEN_FAILURE_RATE = (20, 10 * 60)
# Password reset: at most this many requests per e-mail and address per hour (cache-based).
PASSWORD_RESET_RATE = (5, 60 * 60)
INVITATION_DAYS = 14
# Sign-up: the link mailed to confirm the address works this long (accounts.signup).
SIGNUP_CONFIRMATION_DAYS = 2

# --- Languages ------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("nb", _("Norwegian bokmål")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as each language writes them ("6 dec 2026", "6. des 2026"): see okr/formats.
FORMAT_MODULE_PATH = ["okr.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Stockholm"

# --- Static files ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("TESTING")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- E-mail ---------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "OKR <okr@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 20,
            },
        }
    }
else:
    # Embedded default: every e-mail becomes an .eml file a mail program opens.
    MAILERS = {
        "default": {
            "BACKEND": "accounts.emails.EmlFileBackend",
            "OPTIONS": {"file_path": str(DATA_DIR / "mail")},
        }
    }

# --- Celery ---------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # Fail fast when Redis is unreachable (web requests log and carry on).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 3}
    CELERY_RESULT_BACKEND = REDIS_URL
else:
    # Embedded default: a broker that needs no server (kombu's file-system
    # transport; in and out are the same folder so producers and workers meet).
    _broker_dir = DATA_DIR / "celery" / "queue"
    _processed_dir = DATA_DIR / "celery" / "processed"
    _results_dir = DATA_DIR / "celery" / "results"
    _control_dir = DATA_DIR / "celery" / "control"
    CELERY_BROKER_URL = "filesystem://"
    # The file-system transport with a prompt stop (Ctrl-C on `make run`): see the module.
    CELERY_BROKER_TRANSPORT = "okr.embedded_broker:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(_processed_dir),
        "store_processed": False,
        # Without this kombu writes its exchange files to ./control in the working directory.
        "control_folder": str(_control_dir),
    }
    CELERY_RESULT_BACKEND = f"file://{_results_dir}"
    for _folder in (_broker_dir, _processed_dir, _results_dir, _control_dir):
        _folder.mkdir(parents=True, exist_ok=True)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE: dict = {
    # Check-in reminders and team-lead summaries ahead of each review (exactly once each).
    "okr-send-due-reminders": {"task": "okr.send_due_reminders", "schedule": crontab(minute=5)},
    # Freeze the scores of quarters and years that ended more than the grace period ago.
    "okr-close-due-cycles": {
        "task": "okr.close_due_cycles",
        "schedule": crontab(hour=2, minute=30),
    },
    # The stored numbers' expected pace and verdict follow each organisation's new day.
    "okr-refresh-numbers": {"task": "okr.refresh_numbers", "schedule": crontab(minute=15)},
    # Conversation: the daily e-mail digest (each organisation's morning; once a day per
    # person) and "an action you own is due" (once per action), okr/conversation/tasks.py.
    "okr-send-digests": {"task": "okr.send_digests", "schedule": crontab(minute=25)},
    "okr-notify-actions-due": {
        "task": "okr.notify_actions_due",
        "schedule": crontab(hour=5, minute=0),
    },
    # Webhook deliveries whose retry is due, or whose worker died (accounts/webhooks/tasks.py).
    "accounts-webhooks-retry-due": {"task": "accounts.webhooks_retry_due", "schedule": 60.0},
    # Chat messages (Slack, Teams) whose retry is due, or whose worker died (okr/chat/tasks.py).
    "okr-chat-retry-due": {"task": "okr.chat_retry_due", "schedule": 60.0},
    # Organisations whose deletion's grace period is over (accounts/deletion/tasks.py).
    "accounts-delete-due-organisations": {
        "task": "accounts.delete_due_organisations",
        "schedule": crontab(minute=40),
    },
}
# Reviews and jobs: reminders go out this many days before a review, from this hour
# (the organisation's time); an unsent claim is taken over after the lease; a quarter
# closes this many days after its last day.
OKR_REMINDER_DAYS_BEFORE = int(os.environ.get("OKR_REMINDER_DAYS_BEFORE", "2"))
OKR_REMINDER_HOUR = int(os.environ.get("OKR_REMINDER_HOUR", "8"))
OKR_REMINDER_LEASE_MINUTES = int(os.environ.get("OKR_REMINDER_LEASE_MINUTES", "15"))
OKR_QUARTER_CLOSE_GRACE_DAYS = int(os.environ.get("OKR_QUARTER_CLOSE_GRACE_DAYS", "7"))
# Days between an admin's request to delete the organisation and the deletion (undo until then).
ORGANISATION_DELETION_GRACE_DAYS = int(os.environ.get("ORGANISATION_DELETION_GRACE_DAYS", "14"))
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")

# --- Cache (rate limits) -------------------------------------------------------
if env_bool("TESTING"):
    # Each test process starts empty: rate limits never carry over between runs.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif REDIS_URL:
    CACHES = {
        "default": {
            # Django's, with one Redis client per connection pool (okr/redis_cache.py).
            "BACKEND": "okr.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "okr",
        }
    }
else:
    # Embedded default: web and worker processes share a folder.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }

# --- Security -------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
X_FRAME_OPTIONS = "DENY"
# A form without a valid CSRF token gets the app's 403 page, saying to reload and try again.
CSRF_FAILURE_VIEW = "accounts.errors.csrf_failure"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SESSION_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Outbound requests to URLs that admins type (SSO provider, webhooks, chat): accounts/outbound.py
# refuses loopback, private, link-local (cloud metadata) and other non-public addresses, and
# plain http. Both are allowed under DEBUG (and in the tests, okr/settings_test.py), whose
# identity provider and receivers run on 127.0.0.1; production leaves them off.
OUTBOUND_ALLOW_PRIVATE = env_bool("OUTBOUND_ALLOW_PRIVATE", DEBUG)
OUTBOUND_ALLOW_HTTP = env_bool("OUTBOUND_ALLOW_HTTP", DEBUG)

# --- REST API -------------------------------------------------------------
REST_FRAMEWORK = {
    # Bearer first: a request without credentials is answered 401 (WWW-Authenticate: Bearer).
    # The browser's session works too, with CSRF enforced on every change.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # drf-spectacular's, with the rules a serializer states across its fields.
    "DEFAULT_SCHEMA_CLASS": "accounts.api.schema.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["accounts.api.parsers.JSONParser"],  # size, depth
    "DEFAULT_PAGINATION_CLASS": "accounts.api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "accounts.api.pagination.StrictOrdering",
    ],
    "EXCEPTION_HANDLER": "okr.api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "OKR API",
    "DESCRIPTION": (
        "Everything in an organisation under `/api/v1/<org-slug>/`. Authenticate with a personal "
        "token made at `/accounts/tokens/` (`Authorization: Bearer okr_...`, for one organisation) "
        "or the browser session (send the CSRF token with changes). Ids are UUIDs. A non-member "
        "gets 404 for everything in an organisation; a member without the role 403; bad input "
        "400 with the fields that are wrong."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # A PATCH body is read whole (OrganisationAPI.parse): its required fields stay required.
    "COMPONENT_SPLIT_PATCH": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1/[^/]+",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "accounts.api.base.schema_hook",
        "accounts.api.schema.apply_schema_rules",  # after the enum hook
        "accounts.webhooks.schema.add_webhooks",  # the signed webhooks, as x-webhooks
    ],
    "ENUM_NAME_OVERRIDES": {
        "CycleKindEnum": "okr.models.Cycle.Kind",
        "KeyResultKindEnum": "okr.models.KeyResult.Kind",
        "ObjectiveStatusEnum": "okr.models.Objective.Status",
        "InitiativeStatusEnum": "okr.models.Initiative.Status",
        "CycleStateEnum": "okr.models.Cycle.State",
        "DependencyStateEnum": "alignment.models.Dependency.State",
        "ReviewStateEnum": "okr.models.Review.State",
        "ReviewEntryKindEnum": "okr.models.ReviewEntry.Kind",
        "ChatHookKindEnum": "okr.models.ChatHook.Kind",
        "WebhookEventEnum": "accounts.webhooks.serializers.EVENT_CHOICES",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
