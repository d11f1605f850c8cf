"""Settings for ISA Portal, read from the environment.

Local defaults are safe for a developer's machine: SQLite under ``var/`` and DEBUG on.
With ``DEBUG`` off there is no default secret key: production must set ``SECRET_KEY``.
See ``.env.example`` for every variable.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ISA_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Only ever used with DEBUG on, on a developer's machine.
    SECRET_KEY = "insecure-local-development-key-not-for-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "guardian",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",  # sign-in throttling (issue 12; see the sign-in and sessions block below)
    "django_tasks",  # background tasks (issue 15, item 5; see the block below, docs/decisions/0050)
    "django_tasks_db",
    "govuk_blocks",
    "isa_portal",
    "partners",
    "agreements",
    "sharing_log",
    "ninja",  # the API's docs page serves Swagger UI from the package's own static files
    "api",  # issue 16: the REST API for case systems (docs/decisions/0051)
    "sso",  # issue 17, item 1: sign-in through each organisation's identity provider (docs/decisions/0060)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "partners.middleware.MembershipSessionMiddleware",
    "isa_portal.middleware.SessionLimitsMiddleware",  # issue 12: idle and absolute session limits
    "isa_portal.middleware.VerifiedLoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # issue 12: a locked-out sign-in answers 429 (last, so it sees the flag)
]

ROOT_URLCONF = "isa_portal.urls"

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
                "isa_portal.context_processors.navigation",
                "isa_portal.context_processors.service",
            ],
        },
    },
]

# Django's form renderer, writing its commonest widget templates in Python: the same HTML, for
# less (govuk_blocks.renderers; issue 15).
FORM_RENDERER = "govuk_blocks.renderers.FormRenderer"

WSGI_APPLICATION = "isa_portal.wsgi.application"

DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or DEFAULT_SQLITE,
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Writes are atomic; SQLite holds the write lock for the transaction instead of
    # failing half-way with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["default"]["ATOMIC_REQUESTS"] = False

# --- Issue 12, item 4 (a log that cannot be quietly changed; docs/decisions/0023) -----------------
# On PostgreSQL the application connects (DATABASE_URL) as DATABASE_APP_ROLE, which may read and
# add to the sharing log but not change it. Migrations run as an owner role: `make migrate` runs
# `manage.py migrate` with DATABASE_URL=$DATABASE_OWNER_URL when that is set, and installs the
# grants to DATABASE_APP_ROLE, the triggers and the functions (sharing_log.database). Nothing of
# this applies to SQLite, where `make run` is unchanged.
DATABASE_APP_ROLE = os.environ.get("DATABASE_APP_ROLE", "isa_portal_app")
# --- end of issue 12, item 4 -------------------------------------------------------------------

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # issue 12: refuses a locked-out sign-in before any password check
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-guardian: no anonymous user row; anonymous visitors have no object permissions.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

OTP_TOTP_ISSUER = "ISA Portal"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
# --- Welsh (issue 16, item 5; docs/decisions/0058) ----------------------------------------------
# English and Welsh. django.middleware.locale.LocaleMiddleware (inserted below) picks the language
# from the language cookie, set by the switch in the header (isa_portal.views.language), then from
# the browser's Accept-Language. The translations are locale/cy/LC_MESSAGES/django.po, compiled
# to the committed django.mo (tests/isa_portal/test_translations.py proves the two agree).
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60  # remembered for a year
LANGUAGE_COOKIE_HTTPONLY = True  # no script reads it
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = not DEBUG
# After sessions (and before CommonMiddleware, as Django asks), so every later middleware and view
# answers in the chosen language.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware") + 1,
    "django.middleware.locale.LocaleMiddleware",
)
# --- end of Welsh ------------------------------------------------------------------------------
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded files (signature scans) live outside the web root and are served only by views
# that check permissions.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "private-media"))
# The largest scan of a returned signature form accepted (PDF, PNG or JPEG), in bytes.
SIGNATURE_SCAN_MAX_BYTES = int(os.environ.get("SIGNATURE_SCAN_MAX_BYTES", 10 * 1024 * 1024))
# The PAdES seal on signed copies (agreements/seal.py): PEM certificate and key. Locally they
# default to var/seal/, made by `make seal-certificate`; with DEBUG off they must be set.
# Without them signed copies are not frozen (logged; retried), never frozen unsealed.
SEAL_DIR = VAR_DIR / "seal"
PDF_SEAL_CERT = os.environ.get("PDF_SEAL_CERT", str(SEAL_DIR / "cert.pem") if DEBUG else "")
PDF_SEAL_KEY = os.environ.get("PDF_SEAL_KEY", str(SEAL_DIR / "key.pem") if DEBUG else "")
PDF_SEAL_KEY_PASSWORD = os.environ.get("PDF_SEAL_KEY_PASSWORD", "")

# GOV.UK Notify (docs/decisions/0045): one generic e-mail template with ((subject)) and ((body)).
# With NOTIFY_API_KEY set it is the default backend; check --deploy warns (isa_portal.W002) when
# Notify is chosen without a key or a template.
NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "").strip()
NOTIFY_TEMPLATE_ID = os.environ.get("NOTIFY_TEMPLATE_ID", "").strip()
NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL", "").strip()  # empty: Notify's own API
NOTIFY_REPLY_TO_ID = os.environ.get("NOTIFY_REPLY_TO_ID", "").strip()
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "").strip() or (
    "isa_portal.notify_email.NotifyEmailBackend" if NOTIFY_API_KEY
    else "django.core.mail.backends.console.EmailBackend" if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# The portal's public address, for links in e-mails. Locally the development server; with DEBUG
# off it must be set, to an https address (``check --deploy`` warns: isa_portal.W001).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ISA Portal <no-reply@isa-portal.example>")

# --- Background tasks (issue 15, item 5; docs/decisions/0050) ---------------------------------
# Freezing a signed copy, rendering a large agreement's PDF and sending e-mail run as tasks
# (``partners.tasks``, ``agreements.tasks``). "database" (django-tasks-db) keeps them in a table of
# this database, run by `manage.py db_worker` processes on any machine that reaches it, retried
# after a failure; "immediate" runs each one at once in the process that asks (the default with
# DEBUG on, so `make run` needs no worker, and the test suite's). With DEBUG off the default is
# "database": a production deployment runs at least one worker (README, "Production layout").

# The REST API (docs/decisions/0051): requests a token may make, in ninja's notation ("120/m" is 120 a
# minute); over it the client is answered 429 with Retry-After.
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120/m")

# Steps of the daily scheduler from apps above isa_portal, which it must not import (isa_portal.scheduler).
SCHEDULER_MORE_STEPS = ["api.scheduler.RETIRE_EXPIRED_TOKENS"]

TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "").strip().lower() or ("immediate" if DEBUG else "database")
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured("TASKS_BACKEND must be 'immediate' or 'database'.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}
# An agreement PDF whose HTML is longer than this is laid out by a task, not while its reader waits:
# about twice the demo's longest agreement (67,000 characters, about 2 s of WeasyPrint; decision 0050).
PDF_IN_REQUEST_MAX_CHARS = int(os.environ.get("PDF_IN_REQUEST_MAX_CHARS", 120_000))

# Who runs this copy of the portal, and what its footer says (decision 0038). A council or an
# NHS body runs it, not the Crown: no Crown copyright and no Open Government Licence unless set.
SERVICE_OPERATOR = os.environ.get("SERVICE_OPERATOR", "").strip() or "ISA Portal"
# The copyright line; empty: "© <SERVICE_OPERATOR>".
FOOTER_COPYRIGHT = os.environ.get("FOOTER_COPYRIGHT", "").strip()
FOOTER_COPYRIGHT_URL = os.environ.get("FOOTER_COPYRIGHT_URL", "").strip()
# The licence sentence (for example the Open Government Licence's); empty: none shown.
FOOTER_LICENCE_TEXT = os.environ.get("FOOTER_LICENCE_TEXT", "").strip()
FOOTER_LICENCE_URL = os.environ.get("FOOTER_LICENCE_URL", "").strip()
# Where people get help; either, both or neither.
SUPPORT_EMAIL = os.environ.get("SUPPORT_EMAIL", "").strip()
SUPPORT_PHONE = os.environ.get("SUPPORT_PHONE", "").strip()
# The phase banner's feedback link: an https:// address or a mailto:. Empty: no feedback wording.
FEEDBACK_URL = os.environ.get("FEEDBACK_URL", "").strip()

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HTTPS-only settings (HSTS, the redirect to https): "Security headers and deployment" below.

# Application logs carry no personal data: no request bodies, no case references.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint announces every rendering step at INFO, some of them on import: noise.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}

# --- Issue 12, items 1 and 2: sign-in throttling and session limits (docs/decisions/0021) -----
# A session ends after SESSION_IDLE_SECONDS without a request, and SESSION_ABSOLUTE_SECONDS after
# sign-in whatever happens (isa_portal.middleware.SessionLimitsMiddleware). The cookie and the
# session store never outlive the absolute limit.
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_SECONDS", 30 * 60))
SESSION_ABSOLUTE_SECONDS = int(os.environ.get("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60))
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
# django-axes counts failed checks of a password or a code at every door (partners.throttle) and
# refuses further tries with HTTP 429 for AXES_COOLOFF_TIME after the last failure. Three counts,
# each with its own limit per cool-off period: one account from one address, one account from
# anywhere (a spread-out guess at one person), one address whatever the account (spraying).
SIGN_IN_FAILURE_LIMITS = {
    "username+ip_address": int(os.environ.get("SIGN_IN_LIMIT_ACCOUNT_AND_ADDRESS", 5)),
    "username": int(os.environ.get("SIGN_IN_LIMIT_ACCOUNT", 10)),
    "ip_address": int(os.environ.get("SIGN_IN_LIMIT_ADDRESS", 30)),
}
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
AXES_HANDLER = "partners.throttle.FailureLimitsHandler"
AXES_FAILURE_LIMIT = SIGN_IN_FAILURE_LIMITS["username+ip_address"]
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("SIGN_IN_COOLOFF_MINUTES", 15)))
# A successful sign-in does not wipe failures: with address-wide counting it would let anyone
# with a login clear the count of guesses made from their address at other people's accounts.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "partners.throttle.lockout_response"
# Behind a proxy, set AXES_IPWARE_PROXY_COUNT and AXES_IPWARE_META_PRECEDENCE_ORDER (README).
AXES_IPWARE_PROXY_COUNT = int(os.environ["AXES_IPWARE_PROXY_COUNT"]) if os.environ.get("AXES_IPWARE_PROXY_COUNT") \
    else None
AXES_IPWARE_META_PRECEDENCE_ORDER = tuple(env_list("AXES_IPWARE_META_PRECEDENCE_ORDER", "REMOTE_ADDR"))
# Nothing personal in logs or stored request bodies: no usernames, addresses or secrets.
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = [
    "username", "ip_address", "password", "otp_token", "token", "new_password1", "new_password2",
    "password_again", "email", "csrfmiddlewaretoken",
]
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are not kept by axes
LOGGING["loggers"]["axes"] = {"level": "WARNING"}  # its INFO lines say nothing an operator needs
# A refused single-use link is logged by its pattern, not its secret.
LOGGING.setdefault("filters", {})["no_link_secrets"] = {"()": "isa_portal.log_filters.NoLinkSecrets"}
for _handler in LOGGING["handlers"].values():
    _handler.setdefault("filters", []).append("no_link_secrets")
# --- end of issue 12 sign-in and sessions block ------------------------------------------------

# --- Issue 17, item 1: single sign-on (docs/decisions/0060 and its amendment of 2026-12-07) -------
# How long a provider's discovery document is kept in Django's cache before it is read again.
SSO_METADATA_CACHE_SECONDS = int(os.environ.get("SSO_METADATA_CACHE_SECONDS", 60 * 60))
# A session signed in through a provider that signs out too may send its sign-out form on to that
# provider's end_session_endpoint: that session's pages (and no one else's) allow its origin in
# form-action. Inside django-csp's middleware, so that it sees what this one adds.
MIDDLEWARE.insert(MIDDLEWARE.index("django_otp.middleware.OTPMiddleware") + 1,
                  "sso.middleware.ProviderSignOutFormActionMiddleware")
# --- end of single sign-on ---------------------------------------------------------------------

# --- Access log (issue 12, item 5; docs/decisions/0025) -----------------------------------------
# Who opened which entry, export, PDF or scan, and every refused object access, kept this many
# days (a year's audit cycle and its follow-up), then deleted by the daily scheduler.
ACCESS_LOG_RETENTION_DAYS = int(os.environ.get("ACCESS_LOG_RETENTION_DAYS", "400"))
# Records refusals and gives each request its id: after authentication and django-otp, so the
# user is known, and around the membership check, whose copy of their memberships it reuses.
MIDDLEWARE.insert(MIDDLEWARE.index("django_otp.middleware.OTPMiddleware") + 1, "partners.access.AccessLogMiddleware")
# Its lines are written whatever LOG_LEVEL says: when the row cannot be stored, the line is the record.
LOGGING["loggers"]["partners.access"] = {"level": "INFO"}
# --- end of access log --------------------------------------------------------------------------

# --- Security headers and deployment (issue 12, item 3; docs/decisions/0022) -------------------
# Kept in one block. Middleware is placed relative to Django's own, so that the list above can
# change without this block changing.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

INSTALLED_APPS.append("csp")  # its system checks catch settings in django-csp 3's old form
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware")
MIDDLEWARE.insert(
    MIDDLEWARE.index("csp.middleware.CSPMiddleware") + 1, "django_permissions_policy.PermissionsPolicyMiddleware",
)
# Outside sessions, CSRF and the slash-appending redirect, so that their answers are covered too.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
    "isa_portal.security_headers.NoStoreWhenSignedInMiddleware",
)

# No inline script or style anywhere, and no 'unsafe-inline': scripts and stylesheets are the
# portal's own static files. A script element in a template also carries the response's nonce
# (``nonce="{{ request.csp_nonce }}"``), so that an inline one, if ever needed, can be allowed
# without weakening the policy. 'self' stays in script-src for the 500 page, rendered without
# a request, and for the ES modules init.js imports.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

# Powerful browser features the portal never uses, denied to it and to anything it could frame.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media",
        "fullscreen", "geolocation", "gyroscope", "hid", "idle-detection", "local-fonts", "magnetometer",
        "microphone", "midi", "payment", "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
    )
}

if not DEBUG:
    # Production is served over https only, behind a proxy that terminates TLS (README,
    # "Production"). HSTS for a year, subdomains included. Not preloaded by default: the preload
    # list takes a whole registrable domain (a council's), which is its owner's decision, not
    # this application's; a deployment that owns its domain sets SECURE_HSTS_PRELOAD=true.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # "Not preloaded": deliberate, as above. Added to, not replacing, any silenced elsewhere.
        SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "security.W021"]
    # Trust X-Forwarded-Proto only where a proxy sets it (and strips a client's own); without a
    # proxy, set TLS_PROXY=false.
    if env_bool("TLS_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Cookies are secure with DEBUG off: SESSION_COOKIE_SECURE and CSRF_COOKIE_SECURE above.
# --- end of security headers and deployment ---------------------------------------------------
