from importlib import import_module
from importlib.util import find_spec

from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _

# The app is cut by feature; each feature folder holds its own layers.
FEATURES = (
    "accounts",
    "shipping",
    "offers",
    "orders",
    "sync",
    "billing",
    "invoices",
    "claims",
    "returns",
    "issues",
    "ratings",
    "shipments",
    "messages",
)
# The modules of a feature whose import registers something: scheduled jobs, Celery tasks and
# signal receivers, and the sources of the response-time guard. They are imported here,
# once, and nowhere else for that effect.
REGISTERING_MODULES = ("jobs", "tasks", "receivers", "awaiting")


class AllegroConfig(AppConfig):
    name = "shop.allegro"
    label = "allegro"
    verbose_name = _("Allegro")

    def ready(self) -> None:
        for feature in FEATURES:
            for part in REGISTERING_MODULES:
                module = f"{self.name}.{feature}.{part}"
                if find_spec(module) is not None:
                    import_module(module)

        from shop.allegro.common.checks import emulator_in_production_check
        from shop.allegro.offers.product_options import BULK_LIST_ACTION, allegro_product_options
        from shop.catalog.hooks import PRODUCT_EXTRA_OPTIONS, PRODUCT_LIST_ACTIONS

        checks.register(emulator_in_production_check)
        if allegro_product_options not in PRODUCT_EXTRA_OPTIONS:
            PRODUCT_EXTRA_OPTIONS.append(allegro_product_options)
        if BULK_LIST_ACTION not in PRODUCT_LIST_ACTIONS:
            PRODUCT_LIST_ACTIONS.append(BULK_LIST_ACTION)
