"""The WSGI application for gunicorn.

Production is the default: a server started without DJANGO_SETTINGS_MODULE must not come up with
development settings (DEBUG on, a known secret key). Production refuses to start without
SECRET_KEY and says so; development servers (`make run`) set config.django.base themselves.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.django.production")
application = get_wsgi_application()
