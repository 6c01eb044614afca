"""Production: DEBUG off, secure cookies and HSTS; every secret must come from the environment."""

from django.core.exceptions import ImproperlyConfigured

from config.django.base import *  # noqa: F403
from config.django.base import FIELD_ENCRYPTION_KEY
from config.env import env_bool, env_int, env_str

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
# The development default and the example in .env.example start with "insecure-".
if len(SECRET_KEY) < 32 or SECRET_KEY.startswith("insecure-"):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set in production to a long random value of your own "
        '(python3 -c "import secrets; print(secrets.token_urlsafe(50))"), not the example.'
    )
if not FIELD_ENCRYPTION_KEY:
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEY must be set in production (every machine shares it); see README."
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
