from importlib import import_module

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class SchedulerConfig(AppConfig):
    name = "shop.scheduler"
    label = "scheduler"
    verbose_name = _("Harmonogram zadań")

    def ready(self) -> None:
        # Every app declares its scheduled jobs in jobs.py.
        autodiscover_modules("jobs")
        # The Celery task that runs them; services queue it by name (shop.core.queue).
        import_module(f"{self.name}.tasks")
