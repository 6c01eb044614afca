from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllegroConfig(AppConfig):
    name = "shop.allegro"
    label = "allegro"
    verbose_name = _("Allegro")

    def ready(self) -> None:
        from shop.allegro import checks, receivers  # noqa: F401  (checks and signal receivers)
        from shop.allegro.product_options import allegro_product_options
        from shop.catalog.hooks import PRODUCT_EXTRA_OPTIONS

        if allegro_product_options not in PRODUCT_EXTRA_OPTIONS:
            PRODUCT_EXTRA_OPTIONS.append(allegro_product_options)
        from shop.allegro.product_options import BULK_LIST_ACTION
        from shop.catalog.hooks import PRODUCT_LIST_ACTIONS

        if BULK_LIST_ACTION not in PRODUCT_LIST_ACTIONS:
            PRODUCT_LIST_ACTIONS.append(BULK_LIST_ACTION)
