"""Settings for Improvement Tracker, all from the environment with safe defaults.

DATABASE_URL          any dj-database-url form; unset: SQLite file db.sqlite3 in the project folder
DJANGO_SECRET_KEY     required unless DJANGO_DEBUG=1
DJANGO_ALLOWED_HOSTS  comma-separated; required unless DJANGO_DEBUG=1
DJANGO_DEBUG          "1" turns debug on (never in production)
DJANGO_API_RATE_LIMIT API requests allowed per token, e.g. "600/m" (the default)
DJANGO_INSECURE_COOKIES  "1" lets session and CSRF cookies travel over plain HTTP: bench/run's loopback benchmark
                      only (it logs in over http://127.0.0.1); never in production
EMAIL_URL             how reminders are sent, the dj-email-url form: smtp://user:password@host:587 (STARTTLS on the
                      submission port), smtps://user:password@host (TLS from the start, port 465), console: (printed:
                      development); unset: console:
DEFAULT_FROM_EMAIL    the sender of the reminders
DJANGO_SITE_URL       the app's address as its users reach it, for the links in emails
REMINDER_DAYS_BEFORE_QISG  how many days before a QiSG meeting its digest is sent (7)
"""

from pathlib import Path
import os
import urllib.parse
import warnings

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent



def env_bool(name, default=False):
    """A yes/no setting: "1" or "0" (also true/false, yes/no, on/off); any other value stops the app starting."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0 (or true/false, yes/no, on/off), not {os.environ[name]!r}.")


DEBUG = env_bool("DJANGO_DEBUG")
# The benchmark's own views (improvement.demo.urls): bench/run turns them on; never in production.
BENCH_URLS = env_bool("DJANGO_BENCH_URLS")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
if DEBUG:
    SECRET_KEY = SECRET_KEY or "django-insecure-local-development-only"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost"]
elif not SECRET_KEY or not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is not 1."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django.contrib.humanize",
    "django_htmx",
    "simple_history",
    "axes",
    "improvement",
    "improvement.core",
    "goals",
    "training",
    "partners",
    "improvement.board",
    "improvement.api",
    "improvement.demo",
]

# The header middleware comes first: a response made where a later middleware failed (the 503 page when the session
# cannot be read) passes back only through the middleware above the failure, and must carry the headers too.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "improvement.core.sessions.IdleExpiryMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "improvement.core.stamp.WriteHookMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "improvement.urls"
WSGI_APPLICATION = "improvement.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
FORM_RENDERER = "improvement.core.forms.NHSFormRenderer"

# The board pages, cached under the data stamp (improvement.core.stamp), in files: shared by the gunicorn workers
# (a page or a PDF is built once, not once per worker), kept when a worker is recycled, and no cache server to
# run. Nothing personal is cached (partner pages are not). 300 entries bound the disk (a PDF is about 1 MB).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": Path(os.environ.get("DJANGO_CACHE_DIR") or BASE_DIR / ".cache"),
        "OPTIONS": {"MAX_ENTRIES": 300},
    },
    # Search results (goals.search), under the same data stamp, in their own folder: the many different searches
    # people make never push the board pages out of theirs.
    "search": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": Path(os.environ.get("DJANGO_CACHE_DIR") or BASE_DIR / ".cache") / "search",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
# DJANGO_DB_DEADLINE: the longest a request waits for PostgreSQL to answer a statement, in seconds. The web app sets 3
# (improvement/wsgi.py), so that a hung database gives a 503 within 5 s and the workers live; commands (migrate, the
# imports) run without one unless it is set. 0: none.
DB_DEADLINE = float(os.environ.get("DJANGO_DB_DEADLINE") or 0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "improvement.core.postgresql"  # Django's, with the deadline (see there)
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "connect_timeout": 2,  # down or unreachable: a 503 within seconds (libpq's least)
        # a server or network gone silent under an open connection is noticed (idle: ~25 s; sending: 10 s)
        "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5, "keepalives_count": 3, "tcp_user_timeout": 10_000,
    })
    if DB_DEADLINE:
        # the server stops a statement at the deadline itself (a lock wait, a slow query); the client's watchdog,
        # half a second later, covers a server that cannot (improvement/core/postgresql/base.py)
        DATABASES["default"]["OPTIONS"]["options"] = f"-c statement_timeout={int(DB_DEADLINE * 1000)}"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Single sign-on by OpenID Connect (improvement.core.sso; README "Single sign-on"): on when an issuer is set.
OIDC_ISSUER = os.environ.get("DJANGO_OIDC_ISSUER", "")  # e.g. https://login.microsoftonline.com/<tenant id>/v2.0
OIDC_DISCOVERY_URL = os.environ.get("DJANGO_OIDC_DISCOVERY_URL", "")  # default: <issuer>/.well-known/openid-configuration
OIDC_RP_CLIENT_ID = os.environ.get("DJANGO_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("DJANGO_OIDC_CLIENT_SECRET", "")
OIDC_RP_SCOPES = os.environ.get("DJANGO_OIDC_SCOPES", "openid email profile")
OIDC_ROLES_CLAIM = os.environ.get("DJANGO_OIDC_ROLES_CLAIM", "groups")  # Entra ID: "groups" (object ids) or "roles"
# Each role: the provider's group ids (or app role names) that give it, comma-separated.
OIDC_ROLES = {
    role: [value.strip() for value in os.environ.get(f"DJANGO_OIDC_ROLE_{variable}", "").split(",") if value.strip()]
    for role, variable in (("Board member", "BOARD_MEMBER"), ("QiSG member", "QISG_MEMBER"),
                           ("Partner admin", "PARTNER_ADMIN"), ("Site admin", "SITE_ADMIN"))
}
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True  # for the provider's logout (id_token_hint)
OIDC_TIMEOUT = 5  # seconds for each call to the provider
OIDC_AUTHENTICATION_CALLBACK_URL = "sso_callback"
if OIDC_ISSUER and not (OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET):
    raise ImproperlyConfigured("DJANGO_OIDC_ISSUER is set: DJANGO_OIDC_CLIENT_ID and DJANGO_OIDC_CLIENT_SECRET are needed too.")
LOCAL_LOGIN = env_bool("DJANGO_LOCAL_LOGIN", default=True)  # 0: usernames and passwords are refused, SSO alone
if not (LOCAL_LOGIN or OIDC_ISSUER):
    raise ImproperlyConfigured("DJANGO_LOCAL_LOGIN=0 needs single sign-on (DJANGO_OIDC_ISSUER): nobody could log in.")
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a login while its username and address are locked out
    "improvement.core.logins.PasswordBackend",  # usernames and passwords, unless LOCAL_LOGIN is off
    "improvement.core.sso.SignInBackend",
]
# Login throttling (improvement.core.logins): 5 failures for a username from one address lock that pair for 15 minutes;
# 20 failures from one address, whatever the usernames, lock the address.
AXES_HANDLER = "improvement.core.logins.LoginThrottle"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "improvement.core.views.locked_out"  # says when to try again (registration/locked_out.html)
# The client's address, read by django-ipware. DJANGO_PROXY_COUNT: how many proxies stand in front of the app, each
# appending the address it was reached from to X-Forwarded-For (the trust's proxy: 1). The client is then the entry
# that many places from the right (ipware counts the hops after it: one fewer, since the proxy nearest the app is
# REMOTE_ADDR); whatever a client wrote to the left of it is ignored. 0 (no proxy): REMOTE_ADDR alone.
PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT") or 0)
if PROXY_COUNT < 0:
    raise ImproperlyConfigured("DJANGO_PROXY_COUNT must be 0 or more.")
if PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR",)
    AXES_IPWARE_PROXY_COUNT = PROXY_COUNT - 1
    IPWARE_STRICT = False  # at least that many hops: a client's own X-Forwarded-For entries sit further left
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
    AXES_IPWARE_PROXY_COUNT = None
    IPWARE_STRICT = True
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "landing"
LOGOUT_REDIRECT_URL = "login"

# The API (improvement.api): requests per token, e.g. "600/m" (per second s, minute m, hour h, day d).
API_RATE_LIMIT = os.environ.get("DJANGO_API_RATE_LIMIT") or "600/m"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False  # English only: no translation catalogues to load
USE_TZ = True

# Evidence attachments: outside the static files, never served directly (goals.views.evidence_file serves them).
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = "/files/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# The first handler keeps a file whose name Django would drop (".."), so that its field refuses it (core.uploads).
FILE_UPLOAD_HANDLERS = [
    "improvement.core.uploads.KeepUnusableNames",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Security: the same headers in every environment; HTTPS-only settings when not in DEBUG.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    # Plotly sets style attributes on its SVG; styles cannot run code.
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    # Logging out after a single sign-on goes on to the provider's end-session page: a form's redirect, which
    # form-action governs too (the provider's origin: its issuer's scheme and host).
    "form-action": [CSP.SELF, *([urllib.parse.urlsplit(OIDC_ISSUER)._replace(path="", query="", fragment="").geturl()] if OIDC_ISSUER else [])],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8
# The 8 hours count from the last request, to the minute: an idle session expires (improvement.core.sessions).
CSRF_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers and Docker probe over plain HTTP
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("DJANGO_INSECURE_COOKIES"):  # bench/run on loopback only: see the docstring
        SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False



def email_settings(url):
    """EMAIL_* settings from an EMAIL_URL. As dj-email-url reads it, except that smtp:// on port 587 speaks STARTTLS
    and smtps:// is TLS from the start (port 465 unless given), as the two ports are used; ?tls= or ?ssl= decide."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # dj-email-url's notice that it may deprecate smtps://
        conf = dj_email_url.parse(url)
    if "EMAIL_BACKEND" not in conf:
        raise ImproperlyConfigured(f"EMAIL_URL must start smtp://, smtps:// or console:, not {url.split(':')[0]!r}.")
    parts = urllib.parse.urlparse(url)
    chosen = {"tls", "ssl"} & set(urllib.parse.parse_qs(parts.query))
    if parts.scheme == "smtps" and not chosen:
        conf.update(EMAIL_USE_SSL=True, EMAIL_USE_TLS=False, EMAIL_PORT=conf["EMAIL_PORT"] or 465)
    elif parts.scheme == "smtp" and conf["EMAIL_PORT"] == 587 and not chosen:
        conf["EMAIL_USE_TLS"] = True
    conf["EMAIL_TIMEOUT"] = conf["EMAIL_TIMEOUT"] or 20  # a server that does not answer fails the send, to be retried
    return conf


globals().update(email_settings(os.environ.get("EMAIL_URL") or "console:"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL") or globals().get("DEFAULT_FROM_EMAIL") or "improvement-tracker@localhost"
SITE_URL = (os.environ.get("DJANGO_SITE_URL") or "http://127.0.0.1:8000").rstrip("/")
REMINDER_DAYS_BEFORE_QISG = int(os.environ.get("REMINDER_DAYS_BEFORE_QISG") or 7)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "client_errors": {"()": "improvement.core.logs.ClientErrorsWithoutTraceback"},
        "no_clashing_values": {"()": "improvement.core.logs.NoClashingValues"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # One JSON line per write (improvement/core/audit.py): ids only, never personal data.
        "improvement.audit": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # 403s and 404s in one line each; an IntegrityError without the values that clashed (improvement/core/logs.py)
        "django.request": {"filters": ["client_errors", "no_clashing_values"]},
    },
}
