"""Settings for the test suite: a SQLite file under var/ unless DATABASE_URL says otherwise.

A file (not ``:memory:``) so that a real Celery worker process, started by the worker tests,
sees the rows the test committed.
"""

import os

from config.django.base import *  # noqa: F403
from config.django.base import DATABASES
from config.env import VAR_DIR

if not os.environ.get("DATABASE_URL"):
    DATABASES["default"]["NAME"] = str(VAR_DIR / "test-main.sqlite3")
    # One file per test process, so that two runs at once never share a database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
FIELD_ENCRYPTION_KEY = "5tK0J0cHqQ8o2s2m2o5g0g4Zz7vVJ7sM8n6fQ1bY2kE="
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "test-media")},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "test-media"

# Tasks run inline unless a test starts a real worker (tests/shop/scheduler/test_worker.py).
CELERY_TASK_ALWAYS_EAGER = True

# Bulk parcels run in the test's thread: other threads would not see its transaction.
ALLEGRO_PARCEL_WORKERS = 1
