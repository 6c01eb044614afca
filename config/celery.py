"""The Celery application: tasks are discovered in every installed app's tasks.py.

Production settings are the default (as in config/wsgi.py): a worker started without
DJANGO_SETTINGS_MODULE never runs with DEBUG on; `make run` sets config.django.base.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.django.production")

app = Celery("shop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
