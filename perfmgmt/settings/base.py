"""Settings shared by every environment; read from the environment via django-environ."""

from pathlib import Path

import environ

from perfmgmt.error_reporting import init_sentry
from perfmgmt.logs import configure_structlog, logging_config
from perfmgmt.security import NONCE

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="insecure-development-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_celery_beat",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "health_check",
    "django_structlog",
    "perfmgmt.accounts",
    "perfmgmt.tenancy",
    "perfmgmt.audit",
    "perfmgmt.privacy",
    "perfmgmt.notifications",
    "perfmgmt.api",
    "perfmgmt.web",
    "perfmgmt.integrations",
    "perfmgmt.analytics",
    "goals",
    "goals.development",
    "reviews",
    # Before its parent: start-up discovery imports each app's modules in this order, and
    # 1:1s registered their "what's next" items and API routes ahead of check-ins and
    # feedback before they became an app.
    "feedback.meetings",
    "feedback",
    "rewards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "perfmgmt.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "perfmgmt.web.input.InputValidationMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "perfmgmt.localization.LanguageResetMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "perfmgmt.localization.ReaderLocaleMiddleware",
    "django_structlog.middlewares.RequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "perfmgmt.tenancy.middleware.TenantContextResetMiddleware",
]

ROOT_URLCONF = "perfmgmt.urls"
WSGI_APPLICATION = "perfmgmt.wsgi.application"

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
                "perfmgmt.web.context_processors.shell",
                "perfmgmt.security.csp_nonce",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/perfmgmt"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# PostgreSQL's JIT compiles a statement whose estimated cost passes jit_above_cost; for a web
# application's short statements that costs 0.3-1.2 s of compiling to save milliseconds
# (measured: an API page, team goals, the people sync's INSERT of 50,000). Off for the
# application's connections unless DATABASE_JIT=on (reports run elsewhere may want it).
_OPTIONS = DATABASES["default"].setdefault("OPTIONS", {})
_OPTIONS["options"] = " ".join(
    filter(None, [_OPTIONS.get("options", ""), f"-c jit={env('DATABASE_JIT', default='off')}"])
)
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# The API's list pages run one constant statement each, bound on the server
# (perfmgmt/api/jsonrows.py): psycopg prepares it on its fifth run on a connection, and
# PostgreSQL plans it once per connection. Django's own cursors bind on the client and are
# never prepared. A connection pooler that hands one client several server connections
# without tracking prepared statements (PgBouncer in transaction mode before 1.21, or
# without max_prepared_statements) needs DATABASE_PREPARE=off.
if env.bool("DATABASE_PREPARE", default=True):
    _OPTIONS.setdefault("prepare_threshold", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "perfmgmt",
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:start"

# django-allauth: email is the login; every address is verified before use.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[perfmgmt] "
# Failed sign-ins count per account (the key: the address typed) and per client address (the
# real client, see TRUSTED_PROXY_COUNT). Per account, 5 in 5 minutes stops a guesser spread over
# many addresses; the price, accepted in allauth's design, is that anyone can keep one named
# login locked for those 5 minutes (even its owner, with the right password), never other
# logins. Per address, 20 in 5 minutes stops one client spraying guesses over many logins (it
# can lock at most four at a time), and lets an office behind one NAT address survive typos.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "20/5m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "10/m/ip,5/m/key",
}
ACCOUNT_ADAPTER = "perfmgmt.accounts.adapter.AccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Single sign-on: every provider is one organization's (perfmgmt/integrations/sso/). A sign-in
# through it finds an existing login by a verified address and needs a membership there; it
# never creates a login nor changes one (no email authentication, which can wipe passwords).
SOCIALACCOUNT_ADAPTER = "perfmgmt.accounts.adapter.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_STORE_TOKENS = False
# SAML metadata kept from the last good fetch is used while its URL cannot be fetched, for
# this many days after that fetch at most: then the provider's signing keys are too old to
# trust (they may have been rotated for a reason), and sign-in through it waits for a fetch.
SAML_KEPT_METADATA_MAX_AGE_DAYS = env.int("SAML_KEPT_METADATA_MAX_AGE_DAYS", default=7)
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
MFA_TOTP_ISSUER = "perfmgmt"

LANGUAGE_CODE = "en"
# The product's languages: every message has a German translation (tests/test_translations.py).
LANGUAGES = [("en", "English"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date and time format per language for everything a person reads (perfmgmt/formats/).
FORMAT_MODULE_PATH = ["perfmgmt.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded and generated files (personal-data exports) of the default storage.
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="perfmgmt <no-reply@perfmgmt.invalid>")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "perfmgmt.api.authentication.ApiCredentialAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["perfmgmt.api.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "perfmgmt.api.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "perfmgmt.api.pagination.IdCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["perfmgmt.api.filters.SelectorFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "perfmgmt.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["perfmgmt.api.throttling.PrincipalRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"principal": env("API_RATE", default="600/min")},
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "perfmgmt API",
    "DESCRIPTION": (
        "Multi-tenant continuous performance management. Every resource lives under "
        "/api/v1/orgs/{org_slug}/. Authenticate with a session (browser) or an API "
        "credential: `Authorization: Bearer <key>`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "APPEND_COMPONENTS": {
        "securitySchemes": {
            "ApiCredential": {"type": "http", "scheme": "bearer", "bearerFormat": "pm_..."}
        }
    },
}

# Client addresses behind reverse proxies: how many proxies of ours stand in front, each
# appending the address it saw to X-Forwarded-For (perfmgmt/accounts/client_address.py reads
# it for sign-in limits and API throttling). 0 trusts no header: a client can then not choose
# its address, but behind a proxy every client looks like the proxy. production.py sets 1.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT

# Celery. Tasks are acknowledged after they finish (ACKS_LATE), so a worker that dies
# mid-task leaves its message to be delivered again; a worker reserves no more messages than
# it runs (PREFETCH_MULTIPLIER 1), except those with a countdown or ETA, which it holds until
# they are due. When the whole worker dies (its main process killed, not just a pool child:
# REJECT_ON_WORKER_LOST covers that case), nothing hands its messages back: Redis delivers
# them again after the broker's visibility timeout (kombu's default is an hour: a killed
# worker stranded a whole sweep for four beat ticks), found by a live worker's scan of the
# unacknowledged messages (kombu scans every 100 s by default; here every 60 s).
# tests/notifications/test_worker_faults.py kills real workers. The limits are chosen together:
#
#   sweep task (notifications/tasks.py):  soft 240 s, hard 300 s  (continues in a new task)
#   email batch task:                     hard 660 s   (the longest hard limit of any task)
#   beat interval of the sweep:           900 s (15 minutes)
#   visibility timeout + scan interval:   840 s + 60 s
#
# The visibility timeout is above the longest hard limit, so a task still running (a live
# worker) is never handed to a second one; and with the scan it is at most the sweep
# interval, so a message of a dead worker comes back within one tick, when the next sweep
# would have redone its work anyway (the ledger makes a redelivered sweep cost a few
# statements). A task's countdown or ETA beyond the visibility timeout is also delivered
# again after it: harmless for the email tasks (each email is claimed once) and webhook
# attempts (each checks that it is due), but keep retry countdowns under 14 minutes or move
# longer waits to the sweep.
CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 840,
    # Scan for a dead worker's messages every 60 s (kombu: interval x throttle).
    "unacked_restore_interval": 60,
    "unacked_restore_throttle": 1,
    # A producer (a request, a sweep queueing emails) gives up on an unreachable broker
    # after about a second instead of retrying forever; the outbox marks what it could not
    # queue and the next sweep queues it.
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ALWAYS_EAGER = False

# Models that are deliberately not tenant-scoped; every other model in a project app
# must carry an `organization` key (checked by perfmgmt.tenancy.checks).
GLOBAL_MODELS = {
    "accounts.User",
    "tenancy.Organization",
}

# Logs go to standard error: LOG_FORMAT=json writes one JSON object a line carrying the
# request id, user id and organization slug (perfmgmt/logs.py); "console" stays readable.
# Celery tasks carry the request id of the request that queued them (django-structlog).
LOG_FORMAT = env("LOG_FORMAT", default="console")
configure_structlog()
LOGGING = logging_config(log_format=LOG_FORMAT, level=env("LOG_LEVEL", default="INFO"))
DJANGO_STRUCTLOG_CELERY_ENABLED = True
# ipware would log the left-most X-Forwarded-For entry, which the client writes itself;
# perfmgmt/logs.py binds the address our proxies saw instead.
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False

# /health/ answers load balancers that probe over plain HTTP, even with SECURE_SSL_REDIRECT.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]

# Error reporting to Sentry when SENTRY_DSN is set, off otherwise (perfmgmt/error_reporting.py).
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    init_sentry(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=None),
    )

# Content-Security-Policy (perfmgmt.security; Django 6.0's setting names). Scripts and styles
# come from our origin or carry the request's nonce; no eval, no inline handler, no framing.
# CSP_REPORT_ONLY=true sends the same policy as Content-Security-Policy-Report-Only instead.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'", NONCE],
    "style-src": ["'self'", NONCE],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
CSP_REPORT_ONLY = env.bool("CSP_REPORT_ONLY", default=False)
SECURE_CSP = {} if CSP_REPORT_ONLY else CONTENT_SECURITY_POLICY
SECURE_CSP_REPORT_ONLY = CONTENT_SECURITY_POLICY if CSP_REPORT_ONLY else {}
# Powerful browser features nobody here needs, refused to the page and anything it embeds.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
