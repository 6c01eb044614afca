from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    """The back office as a whole: the start page and the demo set-up, above every domain app."""

    name = "shop.backoffice"
    label = "backoffice"
    verbose_name = _("Zaplecze sklepu")
