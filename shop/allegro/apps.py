from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllegroConfig(AppConfig):
    name = "shop.allegro"
    label = "allegro"
    verbose_name = _("Allegro")

    def ready(self) -> None:
        from shop.allegro import checks, receivers  # noqa: F401  (checks and signal receivers)
