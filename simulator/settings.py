"""Settings for the training simulator.

The defaults are the embedded demo profile (SQLite in WAL mode, in-memory channel
layer, localhost). DATABASE_URL and REDIS_URL switch to the scale-out profile.
"""

import secrets
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from simulator.origins import parse_origins

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()


def env_bool(name: str, *, default: bool) -> bool:
    """A yes/no variable; unlike env.bool, a typo (`DEBUG=ture`) stops the server."""
    raw = env.str(name, default="").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is neither true nor false.")


DEBUG = env_bool("DEBUG", default=False)


def _secret_key() -> str:
    """Use SECRET_KEY from the environment; the embedded profile keeps one in an untracked file."""
    if key := env.str("SECRET_KEY", default=""):
        return key
    if not env.bool("EMBEDDED", default=True):
        raise ImproperlyConfigured("SECRET_KEY must be set outside the embedded profile.")
    path = BASE_DIR / ".secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=LOOPBACK_HOSTS)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- HTTPS (docs/deploy.md). Naming the site's hosts with DEBUG off makes a deployment, and a
# deployment is served over HTTPS unless HTTPS=false says otherwise. The embedded demo (no
# ALLOWED_HOSTS, loopback only, `make run`) stays on plain http.
HTTPS = env_bool("HTTPS", default=not DEBUG and "ALLOWED_HOSTS" in env.ENVIRON)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=HTTPS)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=HTTPS)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=HTTPS)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
# Behind a TLS-terminating proxy: SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https. Only
# when the proxy always sets (and overwrites) that header, or clients could claim HTTPS.
if proxy_header := env.list("SECURE_PROXY_SSL_HEADER", default=[]):
    if len(proxy_header) != 2 or not proxy_header[0].startswith("HTTP_"):
        raise ImproperlyConfigured("SECURE_PROXY_SSL_HEADER is HTTP_<HEADER>,<value>.")
    SECURE_PROXY_SSL_HEADER = (proxy_header[0], proxy_header[1])

# The pages that may open the websocket, as scheme://host:port (simulator/origins.py). The
# default is each named host as this server is reached: https://host, or http://host:PORT
# (PORT follows `make run PORT=…`); the embedded demo's is http://127.0.0.1:8000 and friends.
SITE_PORT = env.int("PORT", default=8000)
SITE_ORIGINS = env.list(
    "SITE_ORIGINS",
    default=[
        f"https://{host}" if HTTPS else f"http://{host}:{SITE_PORT}"
        for host in ALLOWED_HOSTS
        if host != "*" and not host.startswith(".")
    ],
)
try:
    parse_origins(SITE_ORIGINS)
except ValueError as error:
    raise ImproperlyConfigured(f"SITE_ORIGINS: {error}") from None
if not SITE_ORIGINS:
    raise ImproperlyConfigured("SITE_ORIGINS is empty: name the origins the site is served on.")

# --- Content-Security-Policy (django-csp): the pages' own scripts and styles only, no inline
# code, no other site's resources. The socket is reached at the site's own origins as ws(s)://.
# The one inline block is the error pages' <style>, which must render when static files cannot;
# it is allowed by its hash (tests/test_csp.py recomputes it, so an edit there fails loudly).
ERROR_PAGE_STYLE_HASH = "'sha256-PWf/RzT250X0JUWrZbhrRYi2W+iTNjvAfj/yWwoxkgk='"
SOCKET_ORIGINS = [
    origin.replace("https://", "wss://", 1).replace("http://", "ws://", 1)
    for origin in SITE_ORIGINS
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, ERROR_PAGE_STYLE_HASH],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF, *SOCKET_ORIGINS],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
    }
}

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "django_htmx",
    "csp",
    "axes",
    "scenarios",
    "simulator",
    "assessment",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "simulator.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "simulator.urls"
ASGI_APPLICATION = "simulator.asgi.application"
WSGI_APPLICATION = None

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
                "simulator.context_processors.demo",
            ],
        },
    },
]

# --- Database: SQLite in WAL mode by default; DATABASE_URL selects PostgreSQL. ---
SQLITE_PATH = Path(env.str("SQLITE_PATH", default=str(BASE_DIR / "var" / "db.sqlite3")))
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": {
                # WAL lets readers run beside the writer; IMMEDIATE takes the write lock up
                # front so a read-then-write transaction never fails with "database is locked".
                "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
# Keep the connection: all ORM work runs in Channels' one database thread, so this is one
# connection per process. Opening one costs ~1.8 ms and closing the last WAL connection
# checkpoints the log; per message that was a fifth of the chat path (docs/decisions.md).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=None)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "simulator.User"

# --- Channel layer: in-memory for one process; Redis for the scale-out profile. ---
if redis_url := env.str("REDIS_URL", default=""):
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # The default capacity of 100 drops silently; the database is the log, so a drop
            # costs a resync, but a drill's fan-out needs more headroom than that.
            "CONFIG": {"hosts": [redis_url], "capacity": 1000, "expiry": 30},
        }
    }
else:
    CHANNEL_LAYERS = {
        "default": {
            # Channels' own, minus a sweep of every channel on every frame (simulator/layers.py).
            "BACKEND": "simulator.layers.SweepingInMemoryChannelLayer",
            "CONFIG": {"capacity": 1000},
        }
    }

# Overridable so the browser tests' throwaway server does not spend seconds hashing demo passwords.
PASSWORD_HASHERS = env.list(
    "PASSWORD_HASHERS",
    default=[
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
        "django.contrib.auth.hashers.ScryptPasswordHasher",
    ],
)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "simulator:home"
LOGOUT_REDIRECT_URL = "login"

# --- Sign-in throttling (django-axes): by username only, since a classroom shares one address.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked username, right password or not
    "django.contrib.auth.backends.ModelBackend",
]
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
# The lock runs from the last counted failure; tries while locked do not prolong it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True  # a right password before the limit forgets earlier typos
AXES_LOCKOUT_CALLABLE = "simulator.views.login_locked_out"
# W006 asks to lock by address too: a classroom behind one NAT address would lock out together.
# Failures count per username whatever the browser or cookie (tests/simulator/test_accounts.py).
# W021 asks for HSTS preload: a promise for the whole domain, which anyone may then submit to
# the browsers' preload list; only the domain's owner should opt in (SECURE_HSTS_PRELOAD=true).
SILENCED_SYSTEM_CHECKS = ["axes.W006", "security.W021"]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# The browser tests collect into their own folder, not under a tree others are serving from.
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed names let browsers cache for a year; `collectstatic` runs in `make run`.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

SESSION_COOKIE_HTTPONLY = True
# The scenario editor's form face posts one field per value of the document: a large library
# scenario is ~900 (Django's default limit is 1,000); the body stays capped by its size limit.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# The login page names the demo accounts only in the embedded demo profile.
# Beside the database whose accounts it lists, so two demo databases do not share one file.
DEMO_LOGINS_FILE = Path(
    env.str("DEMO_LOGINS_FILE", default=str(SQLITE_PATH.parent / "demo-logins.txt"))
)
SHOW_DEMO_LOGINS = env.bool("SHOW_DEMO_LOGINS", default=not env.str("DATABASE_URL", default=""))

# --- Chat limits (see docs/protocol.md). ---
CHAT_MAX_TEXT = 2000
CHAT_SCENARIO_DIR = BASE_DIR / "fixtures" / "scenarios"
# Flood control on the socket: per frame type, (burst, sustained frames per second) for one
# socket and for all sockets of one user in this server process. Over the limit a frame gets
# `rate_limited` (typing.start is dropped silently) and the socket stays open.
# CHAT_RATE_SCALE multiplies every burst and rate (the load benchmark lifts them).
_RATE_SCALE = env.float("CHAT_RATE_SCALE", default=1.0)
CHAT_RATE_LIMITS = {
    kind: {
        who: (round(burst * _RATE_SCALE), rate * _RATE_SCALE)
        for who, (burst, rate) in limits.items()
    }
    for kind, limits in {
        "message.send": {"socket": (10, 2.0), "user": (20, 3.0)},
        "typing.start": {"socket": (5, 1.0), "user": (10, 2.0)},
        "subscribe": {"socket": (5, 0.5), "user": (20, 2.0)},
        "conversation.end": {"socket": (5, 0.5), "user": (10, 1.0)},
        # The live monitor's teacher frames: as chat lines, subscribes and ends.
        "customer.send": {"socket": (10, 2.0), "user": (20, 3.0)},
        "coach.send": {"socket": (10, 2.0), "user": (20, 3.0)},
        "monitor.subscribe": {"socket": (5, 0.5), "user": (20, 2.0)},
        "takeover.start": {"socket": (5, 0.5), "user": (10, 1.0)},
        "takeover.end": {"socket": (5, 0.5), "user": (10, 1.0)},
        # The order panel's tools: a card is a line of the chat.
        "tool.use": {"socket": (10, 2.0), "user": (20, 3.0)},
    }.items()
}
# A subscribe sends at most this many messages; `subscribed.more` asks for the next page.
CHAT_RESUME_PAGE = 200
# The scripted customer's clock runs this much faster in tests (1.0 = real time).
CUSTOMER_TIME_SCALE = env.float("CUSTOMER_TIME_SCALE", default=1.0)
# A rush drill's clock likewise (browser journeys, demos): a 30-minute drill lasts 30 × this
# minutes with the same customers, arriving on the same curve.
DRILL_TIME_SCALE = env.float("DRILL_TIME_SCALE", default=1.0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    "loggers": {
        "simulator": {"level": env.str("LOG_LEVEL", default="INFO")},
        "django.channels.server": {"level": "WARNING"},
    },
}
