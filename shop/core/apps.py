from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "shop.core"
    label = "core"
    verbose_name = _("Podstawy")

    def ready(self) -> None:
        from shop.core import checks  # noqa: F401  (registers the system checks)
