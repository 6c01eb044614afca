from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import display

from shop.core.admin_audit import AuditedAdminMixin
from shop.orders.forms import OrderAdminForm
from shop.orders.models import Channel, Order, OrderCharge, OrderEvent, OrderItem, OrderStatus
from shop.orders.services.orders import order_set_status, order_totals_recalculate


class OrderItemInline(TabularInline):
    model = OrderItem
    extra = 0
    fields = [
        "product",
        "name",
        "sku",
        "ean",
        "quantity",
        "unit_price",
        "list_unit_price",
        "deposit",
        "vat_rate",
    ]
    raw_id_fields = ["product"]


class OrderChargeInline(TabularInline):
    model = OrderCharge
    extra = 0
    fields = ["kind", "name", "quantity", "amount", "in_total", "funded_by", "item"]
    raw_id_fields = ["item"]


class OrderEventInline(TabularInline):
    model = OrderEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "user", "note"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Order)
class OrderAdmin(AuditedAdminMixin, ModelAdmin):
    form = OrderAdminForm
    list_display = [
        "number",
        "placed_at",
        "channel",
        "buyer_display",
        "total_display",
        "status_badge",
        "payment_status",
        "needs_attention",
    ]
    list_filter = ["status", "channel", "payment_status", "needs_attention", "placed_at"]
    search_fields = [
        "number",
        "external_id",
        "customer_name",
        "customer_company",
        "customer_email",
        "customer_login",
    ]
    date_hierarchy = "placed_at"
    list_select_related = True
    inlines = [OrderItemInline, OrderChargeInline, OrderEventInline]
    raw_id_fields = ["billing_address", "shipping_address"]
    readonly_fields = [
        "number",
        "channel",
        "external_id",
        "items_total",
        "total",
        "total_difference",
        "invoice_flags",
        "created_at",
    ]
    fieldsets = [
        (None, {"fields": ["number", "channel", "external_id", "placed_at", "status"]}),
        (
            _("Klient"),
            {
                "fields": [
                    "customer_name",
                    "customer_company",
                    "customer_email",
                    "customer_login",
                    "customer_phone",
                    "billing_address",
                    "shipping_address",
                ]
            },
        ),
        (
            _("Punkt odbioru"),
            {"fields": ["pickup_point_id", "pickup_point_name", "pickup_point_address"]},
        ),
        (
            _("Faktura"),
            {
                "fields": [
                    "invoice_required",
                    "invoice_company_name",
                    "invoice_nip",
                    "invoice_due_date",
                    "invoice_flags",
                ]
            },
        ),
        (
            _("Dostawa i płatność"),
            {
                "fields": [
                    "delivery_method",
                    "delivery_cost",
                    "delivery_free_by_programme",
                    "payment_method",
                    "payment_status",
                    "paid_amount",
                    "refunded_amount",
                    "items_total",
                    "total",
                    "total_difference",
                    "currency",
                ]
            },
        ),
        (
            _("Uwagi"),
            {
                "fields": [
                    "customer_note",
                    "seller_note",
                    "internal_note",
                    "needs_attention",
                    "attention_reason",
                ]
            },
        ),
    ]

    @display(description=_("klient"), ordering="customer_name")
    def buyer_display(self, obj: Order) -> str:
        return obj.buyer_display

    @display(description=_("do zapłaty"), ordering="total")
    def total_display(self, obj: Order) -> str:
        return f"{obj.total} {obj.currency}"

    @display(
        description=_("status"),
        ordering="status",
        label={
            OrderStatus.NEW: "info",
            OrderStatus.PROCESSING: "warning",
            OrderStatus.READY_FOR_SHIPMENT: "warning",
            OrderStatus.SENT: "success",
            OrderStatus.DELIVERED: "success",
            OrderStatus.CANCELLED: "danger",
            OrderStatus.RETURNED: "danger",
        },
    )
    def status_badge(self, obj: Order) -> tuple[str, str]:
        return obj.status, obj.get_status_display()

    def get_queryset(self, request: HttpRequest) -> QuerySet[Order]:
        return super().get_queryset(request)

    def save_model(self, request: HttpRequest, obj: Order, form: ModelForm, change: bool) -> None:
        # The status goes through the pipeline (event + signal), not through a plain save.
        new_status = obj.status
        if change and "status" in form.changed_data:
            obj.status = form.initial["status"]
        super().save_model(request, obj, form, change)
        if change and new_status != obj.status:
            order_set_status(order=obj, status=new_status, user=request.user)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # A marketplace's order keeps the marketplace's total; the shop's own follow its lines.
        if form.instance.channel == Channel.SHOP:
            order_totals_recalculate(order=form.instance)
