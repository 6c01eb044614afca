from django.urls import path

from shop.allegro.accounts import views as accounts
from shop.allegro.billing import views as billing
from shop.allegro.claims import views as claims
from shop.allegro.invoices import views as invoices
from shop.allegro.issues import views as issues
from shop.allegro.issues.schedule import IMPORT_ISSUES_JOB, IMPORT_RATINGS_JOB
from shop.allegro.messages import views as message_pages
from shop.allegro.offers.views import bulk
from shop.allegro.offers.views import form as offers
from shop.allegro.offers.views import listing as offer_list
from shop.allegro.offers.views import review as offer_review
from shop.allegro.orders import views as order_pages
from shop.allegro.ratings import views as ratings
from shop.allegro.returns import views as returns
from shop.allegro.shipments import views as parcels
from shop.allegro.shipping import views as shipping
from shop.allegro.sync import views as sync

app_name = "allegro"
urlpatterns = [
    path("config/", accounts.config, name="config"),
    path("link/", accounts.link, name="link"),
    path("callback/", accounts.callback, name="callback"),
    path("unlink/", accounts.unlink, name="unlink"),
    path("check/", accounts.check, name="check"),
    path("switch/", accounts.switch, name="switch"),
    path("accounts/add/", accounts.add_account, name="add_account"),
    path("offers/", offer_list.offer_list, name="offers"),
    path("bulk/new/", bulk.bulk_new, name="bulk_new"),
    path("bulk/<int:job_id>/", bulk.bulk_job, name="bulk_job"),
    path("offers/bulk/", offer_list.offers_bulk, name="offers_bulk"),
    path("offers/review/", offer_review.offer_review, name="offer_review"),
    path("offers/review/decide/", offer_review.offer_review_decide, name="offer_review_decide"),
    path(
        "offers/commands/<uuid:command_id>/",
        offer_list.offer_command_status,
        name="offer_command",
    ),
    path("offers/import/", offer_list.offers_import_now, name="offers_import"),
    path("offers/<int:offer_id>/preview/", offer_list.offer_preview, name="offer_preview"),
    path("offers/<int:offer_id>/similar/", offer_list.offer_similar, name="offer_similar"),
    path("offers/<int:offer_id>/delete/", offer_list.offer_delete, name="offer_delete"),
    path("offers/<int:offer_id>/link/", offer_list.offer_link, name="offer_link"),
    path("offers/new/", offers.offer_new, name="offer_new"),
    path("offers/<int:offer_id>/edit/", offers.offer_edit, name="offer_edit"),
    path("offers/<int:offer_id>/status/", offers.offer_status, name="offer_status"),
    path(
        "offers/<int:offer_id>/sync-restore/",
        offers.offer_sync_restore,
        name="offer_sync_restore",
    ),
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
    path("sync/", sync.sync_page, name="sync"),
    path("sync/settings/", sync.sync_settings_save, name="sync_settings"),
    path("held-changes/", sync.held_page, name="sync_held"),
    path("held-changes/resolve/", sync.held_resolve, name="sync_held_resolve"),
    path("sync/price-rule/", sync.price_rule, name="sync_price_rule"),
    path("sync/drift/check/", sync.drift_run, name="sync_drift_check"),
    path("sync/drift/<int:pk>/heal/", sync.drift_fix, name="sync_drift_heal"),
    path("settlements/", billing.settlements, name="settlements"),
    path("settlements/export.csv", billing.settlements_csv, name="settlements_csv"),
    path("settlements/import/", billing.settlements_import, name="settlements_import"),
    path("issues/", issues.issue_list, name="issues"),
    path(
        "issues/import/",
        issues.feedback_import_now,
        {"job": IMPORT_ISSUES_JOB, "back": "allegro:issues"},
        name="issues_import",
    ),
    path("issues/<int:pk>/", issues.issue_detail, name="issue"),
    path("issues/<int:pk>/answer/", issues.issue_answer, name="issue_answer"),
    path(
        "issues/<int:pk>/messages/<int:message_pk>/attachments/<str:attachment_id>/",
        issues.issue_attachment,
        name="issue_attachment",
    ),
    path("issues/<int:pk>/decide/", issues.issue_decide, name="issue_decide"),
    path("ratings/", ratings.rating_list, name="ratings"),
    path(
        "ratings/import/",
        issues.feedback_import_now,
        {"job": IMPORT_RATINGS_JOB, "back": "allegro:ratings"},
        name="ratings_import",
    ),
    path("ratings/<int:pk>/answer/", ratings.rating_answer_view, name="rating_answer"),
    path("ratings/<int:pk>/removal/", ratings.rating_removal_view, name="rating_removal"),
    path("orders/", order_pages.order_list, name="orders"),
    path("refund-claims/", claims.claims_page, name="claims"),
    path("refund-claims/file/", claims.claims_file_view, name="claims_file"),
    path("refund-claims/<int:pk>/cancel/", claims.claim_cancel_view, name="claim_cancel"),
    path("returns/", returns.returns_list, name="returns"),
    path("returns/import/", returns.returns_import_now, name="returns_import"),
    path("returns/<int:pk>/", returns.return_detail, name="return_detail"),
    path("returns/<int:pk>/accept/", returns.return_accept_view, name="return_accept"),
    path("returns/<int:pk>/reject/", returns.return_reject_view, name="return_reject"),
    path("orders/<int:pk>/refund/", returns.order_refund, name="order_refund"),
    path("refunds/<int:pk>/retry/", returns.refund_retry, name="refund_retry"),
    path("orders/import/", order_pages.import_now, name="orders_import"),
    path("orders/import/settings/", order_pages.import_settings, name="orders_import_settings"),
    path(
        "orders/quarantine/<int:pk>/retry/",
        order_pages.quarantine_retry_view,
        name="orders_quarantine_retry",
    ),
    path("orders/printout/", order_pages.orders_printout, name="orders_printout"),
    path("orders/products/", order_pages.product_suggest, name="orders_product_suggest"),
    path("orders/<int:pk>/", order_pages.order_detail, name="order_detail"),
    path("orders/<int:pk>/tracking/", order_pages.order_tracking, name="order_tracking"),
    path("orders/<int:pk>/shipments/", order_pages.order_shipments, name="order_shipments"),
    path("orders/<int:pk>/link/", order_pages.order_link, name="order_link"),
    path("orders/<int:pk>/printout/", order_pages.order_printout, name="order_printout"),
    path("orders/<int:pk>/invoices/", invoices.order_invoices, name="order_invoices"),
    path(
        "orders/<int:pk>/invoices/attach/",
        invoices.order_invoice_attach,
        name="order_invoice_attach",
    ),
    path(
        "orders/<int:pk>/invoices/generate/",
        invoices.order_invoice_generate,
        name="order_invoice_generate",
    ),
    path(
        "orders/<int:pk>/invoices/<int:invoice_pk>/retry/",
        invoices.order_invoice_retry,
        name="order_invoice_retry",
    ),
    path(
        "orders/<int:pk>/invoices/<int:invoice_pk>/file/",
        invoices.order_invoice_file,
        name="order_invoice_file",
    ),
    path("orders/<int:pk>/parcels/", parcels.order_parcel_create, name="order_parcel_create"),
    path(
        "orders/<int:pk>/parcels/<int:parcel_pk>/label/",
        parcels.order_parcel_label,
        name="order_parcel_label",
    ),
    path(
        "orders/<int:pk>/parcels/<int:parcel_pk>/cancel/",
        parcels.order_parcel_cancel,
        name="order_parcel_cancel",
    ),
    path(
        "orders/<int:pk>/parcels/<int:parcel_pk>/follow/",
        parcels.order_parcel_follow,
        name="order_parcel_follow",
    ),
    path("orders/parcels/bulk/", parcels.parcels_bulk, name="parcels_bulk"),
    path("parcels/settings/", parcels.parcel_settings, name="parcel_settings"),
    path("parcels/<int:batch_id>/", parcels.parcel_batch, name="parcel_batch"),
    path("parcels/<int:batch_id>/labels/", parcels.parcel_batch_labels, name="parcel_batch_labels"),
    path(
        "parcels/<int:batch_id>/protocol/",
        parcels.parcel_batch_protocol,
        name="parcel_batch_protocol",
    ),
    path(
        "parcels/<int:batch_id>/printout/",
        parcels.parcel_batch_printout,
        name="parcel_batch_printout",
    ),
    path("parcels/<int:batch_id>/pickup/", parcels.parcel_batch_pickup, name="parcel_batch_pickup"),
    path("orders/invoices/bulk/", invoices.invoices_bulk, name="invoices_bulk"),
    path("invoices/awaiting/", invoices.invoices_awaiting, name="invoices_awaiting"),
    path("messages/", message_pages.message_list, name="messages"),
    path("messages/import/", message_pages.messages_import_now, name="messages_import"),
    path("messages/templates/", message_pages.message_templates, name="message_templates"),
    path(
        "messages/templates/<int:pk>/delete/",
        message_pages.message_template_delete,
        name="message_template_delete",
    ),
    path("messages/<int:pk>/", message_pages.message_thread, name="message_thread"),
    path("messages/<int:pk>/read/", message_pages.message_thread_read, name="message_thread_read"),
    path(
        "messages/<int:pk>/attachments/<int:attachment_pk>/",
        message_pages.message_attachment,
        name="message_attachment",
    ),
]
