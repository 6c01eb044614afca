"""The admin theme (django-unfold): sidebar groups follow the shop's menus."""

from django.templatetags.static import static
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

UNFOLD = {
    "SITE_TITLE": _("Sklep — panel"),
    "SITE_HEADER": _("Sklep"),
    "SITE_SYMBOL": "storefront",
    "SHOW_LANGUAGES": True,
    "STYLES": [lambda request: static("backoffice/backoffice.css")],
    "SCRIPTS": [
        lambda request: static("django_htmx/htmx-2.min.js"),
        lambda request: static("backoffice/backoffice.js"),
    ],
    "DASHBOARD_CALLBACK": "shop.backoffice.dashboard.dashboard_callback",
    "SIDEBAR": {
        "show_search": True,
        "show_all_applications": False,
        "navigation": [
            {
                "title": _("Produkty"),
                "items": [
                    {
                        "title": _("Produkty"),
                        "icon": "inventory_2",
                        "link": reverse_lazy("admin:catalog_product_changelist"),
                    },
                    {
                        "title": _("Ruchy magazynowe"),
                        "icon": "swap_vert",
                        "link": reverse_lazy("admin:catalog_stockmovement_changelist"),
                    },
                ],
            },
            {
                "title": _("Sprzedaż"),
                "items": [
                    {
                        "title": _("Zamówienia"),
                        "icon": "shopping_cart",
                        "link": reverse_lazy("admin:orders_order_changelist"),
                    },
                    {
                        "title": _("Zamówienia Allegro"),
                        "icon": "receipt_long",
                        "link": reverse_lazy("allegro:orders"),
                    },
                    {
                        "title": _("Faktury do dołączenia"),
                        "icon": "request_quote",
                        "link": reverse_lazy("allegro:invoices_awaiting"),
                        "badge": "shop.allegro.invoices.selectors.awaiting_badge",
                    },
                    {
                        "title": _("Zwroty"),
                        "icon": "assignment_return",
                        "link": reverse_lazy("allegro:returns"),
                    },
                    {
                        "title": _("Zwroty prowizji"),
                        "icon": "currency_exchange",
                        "link": reverse_lazy("allegro:claims"),
                    },
                    {
                        "title": _("Rozliczenia"),
                        "icon": "account_balance_wallet",
                        "link": reverse_lazy("allegro:settlements"),
                    },
                ],
            },
            {
                "title": pgettext_lazy("menu", "Kupujący"),
                "items": [
                    {
                        "title": _("Wiadomości"),
                        "icon": "mail",
                        "link": reverse_lazy("allegro:messages"),
                        "badge": "shop.allegro.messages.selectors.unread_badge",
                    },
                    {
                        "title": _("Dyskusje i reklamacje"),
                        "icon": "forum",
                        "link": reverse_lazy("allegro:issues"),
                        "badge": "shop.allegro.issues.selectors.issues_badge",
                    },
                    {
                        "title": _("Oceny"),
                        "icon": "reviews",
                        "link": reverse_lazy("allegro:ratings"),
                        "badge": "shop.allegro.ratings.selectors.ratings_badge",
                    },
                ],
            },
            {
                "title": _("Allegro"),
                "items": [
                    {
                        "title": _("Lista ofert"),
                        "icon": "sell",
                        "link": reverse_lazy("allegro:offers"),
                    },
                    {
                        "title": _("Do potwierdzenia"),
                        "icon": "rule",
                        "link": reverse_lazy("allegro:offer_review"),
                        "badge": "shop.allegro.offers.selectors.review_badge",
                    },
                    {
                        "title": _("Cenniki dostawy"),
                        "icon": "local_shipping",
                        "link": reverse_lazy("allegro:shipping_rates"),
                    },
                    {
                        "title": _("Stany i ceny"),
                        "icon": "sync",
                        "link": reverse_lazy("allegro:sync"),
                    },
                    {
                        "title": _("Wstrzymane zmiany"),
                        "icon": "pending_actions",
                        "link": reverse_lazy("allegro:sync_held"),
                        "badge": "shop.allegro.sync.views.held_changes_badge",
                    },
                ],
            },
            {
                "title": _("Aplikacje"),
                "items": [
                    {
                        "title": _("Allegro"),
                        "icon": "storefront",
                        "link": reverse_lazy("allegro:config"),
                    },
                ],
            },
            {
                "title": _("Harmonogram zadań"),
                "items": [
                    {
                        "title": _("Harmonogram zadań"),
                        "icon": "schedule",
                        "link": reverse_lazy("scheduler:tasks"),
                    },
                ],
            },
            {
                "title": _("Administracja"),
                "items": [
                    {
                        "title": _("Użytkownicy"),
                        "icon": "person",
                        "link": reverse_lazy("admin:auth_user_changelist"),
                    },
                    {
                        "title": _("Dziennik zmian"),
                        "icon": "history",
                        "link": reverse_lazy("admin:core_auditlogentry_changelist"),
                    },
                ],
            },
        ],
    },
}
