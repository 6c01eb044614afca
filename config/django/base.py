"""Settings shared by every environment. Values come from the environment (config/env.py)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.env import BASE_DIR, VAR_DIR, env_bool, env_int, env_list, env_str

SECRET_KEY = env_str("SECRET_KEY", "insecure-dev-key-change-me-" + "x" * 32)
DEBUG = env_bool("DEBUG", True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
# PORT: where `make run` serves the back office; the default SITE_URL follows it.
PORT = env_int("PORT", 8000)
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{PORT}").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", SITE_URL)

INSTALLED_APPS = [
    "unfold",
    "unfold.contrib.filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_celery_beat",
    "django_htmx",
    "shop.core",
    "shop.catalog",
    "shop.orders",
    "shop.scheduler",
    "shop.allegro",
    "shop.backoffice",
]

MIDDLEWARE = [
    "shop.core.middleware.LocalDebugPagesMiddleware",
    "shop.core.middleware.PlainRequestMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "shop.core.middleware.PolishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "shop.core.middleware.StaffOnlyMiddleware",
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
                "shop.allegro.common.context_processors.allegro_accounts",
                "shop.backoffice.guide.context_processors.guide_link",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server, the worker and beat read while one of them writes.
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
]

LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", _("Polski")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"

LOGIN_URL = "admin:login"
# The bare login page (no ?next=) leads to the start page, not Django's /accounts/profile/.
LOGIN_REDIRECT_URL = "admin:index"

# Secrets at rest (client secrets, OAuth tokens) are encrypted with this Fernet key; several
# keys separated by commas rotate it (the first encrypts, all decrypt). Empty: a key is
# generated once into FIELD_ENCRYPTION_KEY_FILE, outside the data folder (one machine only).
FIELD_ENCRYPTION_KEY = env_str("FIELD_ENCRYPTION_KEY")
FIELD_ENCRYPTION_KEY_FILE = env_str(
    "FIELD_ENCRYPTION_KEY_FILE",
    str(
        Path(env_str("XDG_CONFIG_HOME", "~/.config")) / "sklep-backoffice" / "field-encryption.key"
    ),
)

# Celery: the embedded default is kombu's filesystem transport under var/, so `make run`
# needs no broker server. Production sets CELERY_BROKER_URL (or REDIS_URL) to Redis.
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
BROKER_DIR = Path(env_str("CELERY_BROKER_DIR", str(VAR_DIR / "broker")))
if CELERY_BROKER_URL.startswith("filesystem://"):
    for sub in ("in", "processed", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "in"),
        "data_folder_out": str(BROKER_DIR / "in"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
        "polling_interval": 0.2,
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# How long records of scheduled task runs are kept before the clean-up task removes them.
SCHEDULER_RUN_RETENTION_DAYS = env_int("SCHEDULER_RUN_RETENTION_DAYS", 30)

# Allegro. ALLEGRO_EMULATOR_URL points every account at the built-in emulator instead of
# Allegro (the demo sets it; a system check warns when it is used with DEBUG off).
ALLEGRO_EMULATOR_URL = env_str("ALLEGRO_EMULATOR_URL").rstrip("/")
# Allegro requires "AppName/version (+link)", the name equal to the registered application's.
ALLEGRO_USER_AGENT = env_str("ALLEGRO_USER_AGENT", f"SklepBackoffice/0.1.0 (+{SITE_URL})")
# Requests per minute of one Allegro application, shared by every worker (Redis when set,
# the database otherwise).
ALLEGRO_RATE_LIMIT_PER_MINUTE = env_int("ALLEGRO_RATE_LIMIT_PER_MINUTE", 9000)
# A callable (or its dotted path) returning the httpx transport Allegro clients send through;
# None is the network. Tests and benchmarks mount the emulator in-process with it.
ALLEGRO_TRANSPORT_FACTORY = None
# Seconds before expiry at which an access token is refreshed.
ALLEGRO_TOKEN_REFRESH_LEEWAY = env_int("ALLEGRO_TOKEN_REFRESH_LEEWAY", 300)
# Orders worked on at once when parcels are created in bulk (Wysyłam z Allegro).
ALLEGRO_PARCEL_WORKERS = env_int("ALLEGRO_PARCEL_WORKERS", 4)
# Stock/price sync: a change to an idle account (no flush for IDLE seconds) is sent at once;
# under load a flush waits for this many quiet seconds after a change, but never longer than
# the maximum delay after the round's first change (then one batch command per value carries
# them all, and changes made while it is sent wait for the next round).
ALLEGRO_SYNC_IDLE_SECONDS = float(env_str("ALLEGRO_SYNC_IDLE_SECONDS", "2.0"))
ALLEGRO_SYNC_QUIET_SECONDS = float(env_str("ALLEGRO_SYNC_QUIET_SECONDS", "0.3"))
ALLEGRO_SYNC_MAX_DELAY_SECONDS = float(env_str("ALLEGRO_SYNC_MAX_DELAY_SECONDS", "1.5"))
# Defaults of a new account's sync settings (editable per account on the sync page).
ALLEGRO_SYNC_SAFETY_RESERVE = env_int("ALLEGRO_SYNC_SAFETY_RESERVE", 0)
ALLEGRO_SYNC_END_AT_ZERO = env_bool("ALLEGRO_SYNC_END_AT_ZERO", True)
ALLEGRO_SYNC_PRICES = env_bool("ALLEGRO_SYNC_PRICES", True)

# Threads that list offers in parallel in one bulk-listing job (the rate budget still paces them).
ALLEGRO_BULK_CONCURRENCY = env_int("ALLEGRO_BULK_CONCURRENCY", 8)

# Commission refund claims ("zwrot prowizji"). Allegro takes a claim up to 45 days after the
# purchase (allegro-api #3001, #7749). How long an unpaid purchase must wait is not documented
# for the API: 7 days is the buyer's time to pay (Allegro's community answer). The commission at
# stake is estimated as this share of the price until Allegro states it on the filed claim.
ALLEGRO_CLAIM_WINDOW_DAYS = env_int("ALLEGRO_CLAIM_WINDOW_DAYS", 45)
ALLEGRO_CLAIM_UNPAID_WAIT_DAYS = env_int("ALLEGRO_CLAIM_UNPAID_WAIT_DAYS", 7)
ALLEGRO_CLAIM_COMMISSION_RATE = env_str("ALLEGRO_CLAIM_COMMISSION_RATE", "0.10")
ALLEGRO_CLAIM_REMIND_DAYS = env_int("ALLEGRO_CLAIM_REMIND_DAYS", 7)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every line is redacted: tokens, codes and secrets never reach a log (shop.core.redact).
    "formatters": {
        "plain": {
            "()": "shop.core.redact.RedactingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # httpx logs full URLs at INFO; query strings may carry buyer data. allegro_api logs
        # one scrubbed line per response instead.
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
        # runserver's request lines (the OAuth callback's code and state) go through the same
        # redacting handler instead of Django's own.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

from config.settings.unfold import UNFOLD  # noqa: E402, F401
