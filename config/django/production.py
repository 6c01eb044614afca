"""Production: DEBUG off, secure cookies and HSTS; every secret must come from the environment.

Static files are served by the application itself (WhiteNoise: hashed names, gzip and brotli
copies made by ``collectstatic``), so gunicorn alone serves a styled back office; a reverse proxy
in front only terminates TLS.
"""

from django.core.exceptions import ImproperlyConfigured

from config.django.base import *  # noqa: F403
from config.django.base import FIELD_ENCRYPTION_KEY, MIDDLEWARE
from config.env import env_bool, env_int, env_str

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
# The development default and the example in .env.example start with "insecure-".
if len(SECRET_KEY) < 32 or SECRET_KEY.startswith("insecure-"):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set with DJANGO_SETTINGS_MODULE=config.django.production (the "
        "default of config/wsgi.py and config/celery.py) to a long random value of your own "
        '(python3 -c "import secrets; print(secrets.token_urlsafe(50))"), not the example. '
        "For development set DJANGO_SETTINGS_MODULE=config.django.base."
    )
if not FIELD_ENCRYPTION_KEY:
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEY must be set in production (every machine shares it); see README."
    )

# Static files right after SecurityMiddleware, before anything else reads the request.
_SECURITY = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
MIDDLEWARE = [
    *MIDDLEWARE[:_SECURITY],
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[_SECURITY:],
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
