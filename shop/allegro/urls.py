from django.urls import path

from shop.allegro.views import accounts, offers
from shop.allegro.views import shipping_rates as shipping

app_name = "allegro"
urlpatterns = [
    path("config/", accounts.config, name="config"),
    path("link/", accounts.link, name="link"),
    path("callback/", accounts.callback, name="callback"),
    path("unlink/", accounts.unlink, name="unlink"),
    path("check/", accounts.check, name="check"),
    path("switch/", accounts.switch, name="switch"),
    path("accounts/add/", accounts.add_account, name="add_account"),
    path("offers/new/", offers.offer_new, name="offer_new"),
    path("offers/<int:offer_id>/edit/", offers.offer_edit, name="offer_edit"),
    path("offers/<int:offer_id>/status/", offers.offer_status, name="offer_status"),
    path("offers/form/parameters/", offers.offer_parameters, name="offer_parameters"),
    path("offers/terms/defaults/", offers.offer_terms_defaults, name="offer_terms_defaults"),
    path("offers/form/categories/", offers.offer_categories, name="offer_categories"),
    path("offers/form/catalog/", offers.offer_catalog_search, name="offer_catalog"),
    path(
        "offers/form/description-preview/",
        offers.offer_description_preview,
        name="offer_description_preview",
    ),
    path("shipping-rates/", shipping.rates_list, name="shipping_rates"),
    path("shipping-rates/add/", shipping.rates_add, name="shipping_rates_add"),
    path("shipping-rates/import/", shipping.rates_import, name="shipping_rates_import"),
    path("shipping-rates/preview/", shipping.rates_preview, name="shipping_rates_preview"),
    path("shipping-rates/<int:pk>/", shipping.rates_edit, name="shipping_rates_edit"),
    path("shipping-rates/<int:pk>/hide/", shipping.rates_hide, name="shipping_rates_hide"),
    path(
        "shipping-rates/<int:pk>/take-remote/",
        shipping.rates_take_remote,
        name="shipping_rates_take_remote",
    ),
    path("delivery-methods/refresh/", shipping.methods_refresh, name="delivery_methods_refresh"),
]
