"""Production: DEBUG off, secure cookies and HSTS; every secret must come from the environment.

Static files are served by the application itself (WhiteNoise: hashed names, gzip and brotli
copies made by ``collectstatic``), so gunicorn alone serves a styled back office; a reverse proxy
in front only terminates TLS.
"""

from django.core.exceptions import ImproperlyConfigured

from config.django.base import *  # noqa: F403
from config.django.base import MIDDLEWARE
from config.env import env_bool, env_int, env_str

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set with DJANGO_SETTINGS_MODULE=config.django.production "
        "(the default of config/wsgi.py and config/celery.py). For development set "
        "DJANGO_SETTINGS_MODULE=config.django.base."
    )

MIDDLEWARE = [
    MIDDLEWARE[0],  # SecurityMiddleware first, then static files before anything else
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[1:],
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# One switch for plain HTTP (an internal network, a first try): SECURE_SSL_REDIRECT=false turns
# off the redirect, the Secure cookie flags and HSTS together; `check --deploy` warns about it.
# Behind a TLS proxy leave it on: the proxy's X-Forwarded-Proto says the request was https.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = SECURE_SSL_REDIRECT
CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000) if SECURE_SSL_REDIRECT else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
