"""Settings shared by every environment; values that differ come from the environment.

Every variable read here is documented in README.md ("Configuration").
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc


def env_date(name, default=None):
    """A date written YYYY-MM-DD, or ``default`` when unset."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"{name} must be a date written YYYY-MM-DD, not {value!r}."
        ) from exc


def env_choice(name, default, choices):
    value = os.environ.get(name) or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}.")
    return value


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "charte",
    "search",
    "home",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",
    "django_comments_xtd",
    "django_comments",
    "rest_framework",  # the JSON API of the discussions (charte.discussions.api)
    "django.contrib.sites",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # First: a database that is down answers a bilingual 503, whatever layer hit it.
    "charte.core.middleware.DatabaseUnavailableMiddleware",
    "charte.core.logs.RequestContextMiddleware",
    # Each locale read once per request (Wagtail reads it at each call).
    "charte.core.locales.LocaleMemoMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "charte.core.middleware.NulCharacterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Public pages do not vary with the browser's language (their address says it).
    "charte.core.middleware.PublicVaryMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The site of the address, kept until the page tree changes (after the host is checked).
    "charte.core.tree.SiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "charte.core.middleware.StaffIdleTimeoutMiddleware",
    "charte.core.middleware.StaffTwoFactorMiddleware",
    "charte.core.middleware.PrivateCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "urls"
WSGI_APPLICATION = "wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # {{ site_identity.name }}: the site's identity (charte.core.identity)
                "charte.core.identity.context",
            ],
        },
    },
]

# Database: a SQLite file unless DATABASE_URL says otherwise (postgres://user@host:5432/name).
# SQLite runs in WAL mode with a busy timeout and IMMEDIATE transactions, so concurrent writers
# wait for each other instead of failing with "database is locked".
SQLITE_PATH = Path(env("SQLITE_PATH", BASE_DIR / "db.sqlite3"))
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{SQLITE_PATH}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED_STATEMENTS", True
):
    # Values travel apart from the query text (server-side binding), and psycopg prepares a
    # query its connection has run five times, so that PostgreSQL stops planning it: every
    # page runs the same few queries (the routing, the margins). A connection pooler in
    # transaction mode needs prepared statements support (PgBouncer 1.21 and newer, with
    # max_prepared_statements), or DATABASE_PREPARED_STATEMENTS=false.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 5}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "charte.User"

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # Django's and allauth's, reading the signed-in account with its role and its verified
    # address in one query (charte.accounts.backends).
    "charte.accounts.backends.ModelBackend",
    "charte.accounts.backends.AuthenticationBackend",
]

# Citizen accounts (django-allauth): sign in with an e-mail address, verified before use.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "charte.accounts.forms.SignupForm"
ACCOUNT_USER_DISPLAY = "charte.accounts.services.user_display"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# The proxies in front of the site that are the operator's own (each appends the address it saw
# to X-Forwarded-For). 0: the header is ignored and the client is the connection's address. Every
# limit, allauth's and the API's included, and the logs read the client as
# charte.core.clientip.client_ip does.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
ACCOUNT_ADAPTER = "charte.accounts.adapter.AccountAdapter"
# Wrong passwords: 10 a minute per client address, 5 in 5 minutes per account AND client (the
# adapter's key): a lockout never shuts the resident out from their own address.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
LOGIN_REDIRECT_URL = "account_profile"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("SITE_NAME", "Charte participative")
# Accept the code of the step before or after (RFC 6238 §5.2): a phone's clock drifts, and a
# code typed as it changes would otherwise be refused.
MFA_TOTP_TOLERANCE = 1

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Cache: Redis when REDIS_URL is set (redis://127.0.0.1:6379/0), else per-process memory.
# Redis down degrades, never fails: each process falls back to its own memory, the rate limits
# to the database (shared by every process), with one warning in the logs per outage
# (charte.core.cache). Sessions live in the database (Django's default SESSION_ENGINE), so a
# Redis outage signs nobody out.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "charte.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "charte"),
            "TIMEOUT": 300,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Internationalisation: French first, English second (/en/...).
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# A page submitted for translation starts as a draft in the other language, whoever submits it:
# it is put online from the translation editor, which asks for the permission to publish (so a
# group holding only the translation permission puts nothing online).
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False

# Static and media files.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# The largest draft the team may import (Word, OpenDocument, Markdown, HTML, text).
IMPORT_MAX_MB = env_int("IMPORT_MAX_MB", 10)

# E-mail: every message is queued in the database and delivered by the worker
# (`manage.py db_worker`) through DELIVERY_EMAIL_BACKEND: SMTP configured from the environment
# (the console in dev, memory in tests). Failed deliveries are tried again later.
EMAIL_BACKEND = "charte.core.mail.QueuedEmailBackend"
DELIVERY_EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", 12)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Charte participative <no-reply@localhost>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# The site's identity (charte.core.identity): what the team finds in « Settings › Site identity »
# until they change it there. Its name is SITE_NAME, its address BASE_URL, its sender
# DEFAULT_FROM_EMAIL; the postal address and the contact address come from these.
SITE_POSTAL_ADDRESS = env("SITE_POSTAL_ADDRESS", "")
SITE_CONTACT_EMAIL = env("SITE_CONTACT_EMAIL", "")

# Security headers that hold everywhere; production.py adds HTTPS-only ones.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content Security Policy (django-csp). The public site runs no inline script or style; the
# Wagtail admin still needs inline styles and scripts, so it gets its own policy
# (charte.core.middleware.AdminAwareCSPMiddleware).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "frame-ancestors": ["'self'"],
        "frame-src": ["'self'"],
    }
}
MIDDLEWARE[MIDDLEWARE.index("csp.middleware.CSPMiddleware")] = (
    "charte.core.middleware.AdminAwareCSPMiddleware"
)

# The read-only JSON API of the discussions (charte.discussions.api): JSON only, the site's
# session, and a per-client rate so that it cannot be used to hammer the database.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON for the site's API; forms too, for wagtail-localize's translation editor, which
    # sends each translated string as a multipart form (CSRF is checked on every write).
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": [
        "charte.core.throttle.ApiAnonThrottle",
        "charte.core.throttle.ApiUserThrottle",
    ],
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_RATE_ANON", "120/minute"),
        "user": env("API_RATE_USER", "300/minute"),
    },
}

# Search: the database's own full-text search, or Elasticsearch 8 when ELASTICSEARCH_URL is set
# (OpenSearch 2.x with ELASTICSEARCH_FLAVOUR=opensearch: the client then sends plain JSON).
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", "")
ELASTICSEARCH_FLAVOUR = env("ELASTICSEARCH_FLAVOUR", "elasticsearch")
ELASTICSEARCH_INDEX = env("ELASTICSEARCH_INDEX", "charte-entries")
# Replicas of the index (0 on a single node; 1 or more on a cluster).
ELASTICSEARCH_REPLICAS = env_int("ELASTICSEARCH_REPLICAS", 0)
# The time one search may take in the engine (PostgreSQL statement timeout, SQLite progress
# handler, Elasticsearch's own timeout); past it the reader is asked to narrow the search (503).
SEARCH_STATEMENT_TIMEOUT_MS = env_int("SEARCH_STATEMENT_TIMEOUT_MS", 3000)
# Past this many matches the embedded engine stops counting: « more than 10,000 results »,
# the best chosen among that many matches, the filters' counts theirs.
SEARCH_COUNT_LIMIT = env_int("SEARCH_COUNT_LIMIT", 10_000)
# Seconds the search engine (Elasticsearch) is left alone after it failed or did not answer in
# time: meanwhile search answers « unavailable » at once, without waiting on it.
SEARCH_ENGINE_RETRY_AFTER = env_int("SEARCH_ENGINE_RETRY_AFTER", 30)

# Expensive public pages (documents to download, open data, synthesis, comparison of versions):
# requests allowed per address and per account, « count/seconds », comma-separated, each kind
# of page in its own budget; and the time each SQL statement building one may take (503 past it).
DOCUMENT_RATE_LIMITS = env("DOCUMENT_RATE_LIMITS", "10/60,60/3600")
DOCUMENT_STATEMENT_TIMEOUT_MS = env_int("DOCUMENT_STATEMENT_TIMEOUT_MS", 5000)

# Comments (django-comments-xtd), written only through charte.discussions.services.comment_post.
SITE_ID = 1
COMMENTS_APP = "django_comments_xtd"
COMMENTS_XTD_MODEL = "charte.discussions.models.Comment"
# How long browsers and the reverse proxy may keep a public page (a frozen text, a comparison,
# a closed synthesis) shown to anonymous readers, in seconds (charte.core.httpcache): what a
# contribution changes there is seen within this delay.
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 1)
# How long an answer of the page tree (the site of an address, a charter's versions, a page's
# translations) is kept at most (charte.core.tree): a change of the tree renews them at once;
# this bounds only what a process sees of another's change while Redis is down.
TREE_CACHE_SECONDS = env_int("TREE_CACHE_SECONDS", 300)

COMMENTS_XTD_MAX_THREAD_LEVEL = 3  # a comment and three levels of replies
COMMENTS_XTD_CONFIRM_EMAIL = False  # no anonymous comments, so no pickled confirmation links
COMMENTS_XTD_LIST_ORDER = ("thread_id", "order")
COMMENT_MAX_LENGTH = 3000
COMMENT_AUTO_HIDE_REPORTS = env_int("COMMENT_AUTO_HIDE_REPORTS", 3)
# Daily e-mails (the team's digest, the residents' digest of the discussions they follow) go
# out at the first run of `manage.py send_notifications` after this hour, Europe/Paris.
NOTIFICATION_DIGEST_HOUR = env_int("NOTIFICATION_DIGEST_HOUR", 7)
# Above this many paragraphs, a text is edited article by article (charte.texts.article_editor).
CHARTE_EDIT_BY_ARTICLE_ABOVE = env_int("EDIT_BY_ARTICLE_ABOVE", 100)
# Posting limits per account and per IP address: « count/seconds », comma-separated.
POST_RATE_LIMITS = env("POST_RATE_LIMITS", "5/60,30/3600")

# Background tasks: Wagtail's own (reference and search index) run at once; the site's durable
# work (e-mail, notifications, search refreshes, documents) is stored in the database and run
# by `manage.py db_worker`, one or more workers per queue (README « Deploying »).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    # One queue per kind of work, so that a worker may be given to each: e-mail never waits
    # behind the indexing of a long version or the building of a document.
    "durable": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "mail", "notifications", "search", "documents"],
    },
}

# Wagtail.
WAGTAIL_SITE_NAME = env("SITE_NAME", "Charte participative")
WAGTAILADMIN_BASE_URL = env("BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "txt", "xlsx", "zip"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_COMMENTS_ENABLED = True
WAGTAILREDIRECTS_AUTO_CREATE = True
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no e-mail hash leaves the server

# One line per event: time, level, request id, account id, client address, logger, message.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "charte.core.logs.RequestContextFilter"}},
    "formatters": {
        "line": {
            "format": "%(asctime)s %(levelname)s request=%(request_id)s user=%(user_id)s "
            "ip=%(client_ip)s %(name)s: %(message)s",
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request"],
            "formatter": "line",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Wagtail and the task queue report every publication and task at INFO level.
        "wagtail": {"level": env("WAGTAIL_LOG_LEVEL", "WARNING")},
        "django_tasks": {"level": env("TASKS_LOG_LEVEL", "WARNING")},
        # The PDF library reports each step of each document, and its font subsetting more.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# The accessibility statement (RGAA 4.1, « Déclaration d’accessibilité »): who publishes the site,
# the state of conformance established by the last audit (none: « non conforme », as the RGAA
# says of a site never audited; partial; full), its date and rate, and whom to write to.
ACCESSIBILITY_ORGANISATION = env("ACCESSIBILITY_ORGANISATION", "")
ACCESSIBILITY_STATUS = env_choice("ACCESSIBILITY_STATUS", "none", ("none", "partial", "full"))
ACCESSIBILITY_AUDIT_DATE = env_date("ACCESSIBILITY_AUDIT_DATE")
ACCESSIBILITY_AUDIT_RATE = env_int("ACCESSIBILITY_AUDIT_RATE", None)
ACCESSIBILITY_CONTACT = env("ACCESSIBILITY_CONTACT", "")
ACCESSIBILITY_STATEMENT_DATE = env_date("ACCESSIBILITY_STATEMENT_DATE", datetime.date(2026, 12, 3))

LOGIN_URL = "account_login"
# Restricted pages send to the site's sign-in too (verification, limits, second factor).
WAGTAIL_FRONTEND_LOGIN_URL = reverse_lazy("account_login")
# Forgotten passwords and e-mail changes go through the site's account pages too (rate limits,
# the reset e-mail purged once sent, a new address verified before it signs anyone in): the
# admin's own reset form and e-mail field are off, its old addresses lead to the site's.
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False

# Seconds a client is told to wait (Retry-After) when the database is down and the site answers
# 503 (charte.core.middleware.DatabaseUnavailableMiddleware).
DATABASE_RETRY_AFTER = env_int("DATABASE_RETRY_AFTER", 30)


def require_secret_key(value):
    """Outside dev, refuse to start without a SECRET_KEY from the environment."""
    if not value:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'` "
            "and export it as SECRET_KEY."
        )
    return value


# Labels of the two languages, for templates that name them.
LANGUAGE_LABELS = {"fr": _("French"), "en": _("English")}

# Personal data (README « Security and operations »): a staff account idle for this long is
# signed out; delivered e-mails are kept this many days; the IP addresses of comments are
# erased this many days after the consultation closes (0: at its close). purge_personal_data
# (run it daily from cron) applies the last two.
STAFF_SESSION_IDLE_SECONDS = env_int("STAFF_SESSION_IDLE_SECONDS", 1800)
RETENTION_DELIVERED_EMAIL_DAYS = env_int("RETENTION_DELIVERED_EMAIL_DAYS", 30)
RETENTION_IP_DAYS_AFTER_CLOSE = env_int("RETENTION_IP_DAYS_AFTER_CLOSE", 0)
