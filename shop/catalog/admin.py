from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import display

from shop.catalog.forms import StockAdjustForm
from shop.catalog.hooks import PRODUCT_LIST_ACTIONS, ListAction, product_extra_options
from shop.catalog.models import Product, ProductImage, StockMovement
from shop.catalog.services.stock import stock_adjust
from shop.catalog.signals import price_changed
from shop.core.admin_audit import AuditedAdminMixin
from shop.core.errors import ApplicationError


class ProductImageInline(TabularInline):
    model = ProductImage
    extra = 0
    fields = ["preview", "image", "position", "alt"]
    readonly_fields = ["preview"]
    ordering = ["position", "id"]

    @display(description=_("podgląd"))
    def preview(self, obj: ProductImage) -> str:
        if not obj.pk or not obj.thumbnail:
            return "—"
        return format_html('<img src="{}" alt="" style="height:48px">', obj.thumbnail.url)


class StockLevelFilter(admin.SimpleListFilter):
    title = _("stan")
    parameter_name = "stock_level"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("low", _("niski")), ("out", _("brak")), ("in", _("dostępny"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Product]) -> QuerySet[Product]:
        from django.db.models import F

        match self.value():
            case "low":
                return queryset.filter(stock__lte=F("low_stock_threshold"), stock__gt=0)
            case "out":
                return queryset.filter(stock__lte=0)
            case "in":
                return queryset.filter(stock__gt=0)
        return queryset


@admin.register(Product)
class ProductAdmin(AuditedAdminMixin, ModelAdmin):
    list_display = ["thumb", "name", "sku", "ean", "price", "stock_level", "is_active"]
    list_display_links = ["name"]
    list_filter = ["is_active", StockLevelFilter, "vat_rate"]
    search_fields = ["name", "sku", "ean"]
    list_per_page = 50
    inlines = [ProductImageInline]
    actions = ["adjust_stock_action"]
    readonly_fields = ["stock"]
    fieldsets = [
        (None, {"fields": ["name", "sku", "ean", "is_active"]}),
        (_("Cena i podatek"), {"fields": ["price", "purchase_price", "vat_rate"]}),
        (
            _("Magazyn"),
            {"fields": ["stock", "low_stock_threshold", "allow_backorder", "weight"]},
        ),
        (_("Opis"), {"fields": ["description"]}),
    ]

    change_form_template = "catalog/admin/product_change_form.html"

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        for hook in PRODUCT_LIST_ACTIONS:
            actions[hook.name] = (self._redirecting_action(hook), hook.name, hook.label)
        return actions

    @staticmethod
    def _redirecting_action(hook: ListAction) -> Any:
        def action(
            modeladmin: Any, request: HttpRequest, queryset: QuerySet[Product]
        ) -> HttpResponse:
            return HttpResponseRedirect(hook.url_for(list(queryset.values_list("pk", flat=True))))

        return action

    def save_model(self, request: HttpRequest, obj: Product, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "price" in form.changed_data:
            price_changed.send(sender=Product, product_ids=[obj.pk])

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        product = self.get_object(request, object_id)
        extra = {**(extra_context or {})}
        if product is not None:
            extra["extra_options"] = product_extra_options(product)
        return super().change_view(request, object_id, form_url, extra)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Product]:
        from django.db.models import Prefetch

        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("images", queryset=ProductImage.objects.order_by("position", "id"))
            )
        )

    @display(description=_("zdjęcie"))
    def thumb(self, obj: Product) -> str:
        images = list(obj.images.all())
        if not images or not images[0].thumbnail:
            return "—"
        return format_html(
            '<img src="{}" alt="" class="product-thumb" width="40" height="40">',
            images[0].thumbnail.url,
        )

    @display(description=_("stan"), ordering="stock")
    def stock_level(self, obj: Product) -> str:
        url = reverse("admin:catalog_product_stock", args=[obj.pk])
        css = "color:#b91c1c;font-weight:600" if obj.is_low_on_stock else ""
        return format_html(
            '<span style="{}" data-stock="{}">{}</span> '
            '<a href="{}" class="stock-adjust-link">{}</a>',
            css,
            obj.pk,
            obj.stock,
            url,
            _("zmień"),
        )

    def get_urls(self) -> list[Any]:
        return [
            path(
                "<int:product_id>/stock/",
                self.admin_site.admin_view(self.stock_view),
                name="catalog_product_stock",
            ),
            *super().get_urls(),
        ]

    def stock_view(self, request: HttpRequest, product_id: int) -> HttpResponse:
        product = get_object_or_404(Product, pk=product_id)
        if not self.has_change_permission(request, product):
            return HttpResponseRedirect(reverse("admin:catalog_product_changelist"))
        form = StockAdjustForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                stock_adjust(
                    product=product,
                    delta=form.cleaned_data["delta"],
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                    user=request.user,
                )
            except ApplicationError as exc:
                form.add_error("delta", exc.message)
            else:
                self.message_user(
                    request,
                    _("Nowy stan produktu %(name)s: %(stock)d.")
                    % {"name": product.name, "stock": product.stock},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:catalog_product_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Zmiana stanu: %(name)s") % {"name": product.name},
            "product": product,
            "form": form,
            "movements": product.stock_movements.select_related("user", "order")[:20],
            "opts": self.opts,
        }
        return render(request, "catalog/admin/stock_adjust.html", context)

    @admin.action(description=_("Zmień stan magazynowy zaznaczonych"))
    def adjust_stock_action(
        self, request: HttpRequest, queryset: QuerySet[Product]
    ) -> HttpResponse | None:
        if "apply" in request.POST:
            form = StockAdjustForm(request.POST)
            if form.is_valid():
                done, failed = 0, []
                for product in queryset:
                    try:
                        stock_adjust(
                            product=product,
                            delta=form.cleaned_data["delta"],
                            reason=form.cleaned_data["reason"],
                            note=form.cleaned_data["note"],
                            user=request.user,
                        )
                        done += 1
                    except ApplicationError as exc:
                        failed.append(exc.message)
                if done:
                    self.message_user(
                        request,
                        _("Zmieniono stan %(n)d produktów.") % {"n": done},
                        messages.SUCCESS,
                    )
                for message in failed:
                    self.message_user(request, message, messages.ERROR)
                return None
        else:
            form = StockAdjustForm()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Zmiana stanu zaznaczonych produktów"),
            "form": form,
            "products": queryset,
            "opts": self.opts,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return render(request, "catalog/admin/stock_adjust_bulk.html", context)


@admin.register(StockMovement)
class StockMovementAdmin(ModelAdmin):
    list_display = [
        "created_at",
        "product",
        "delta",
        "level_after",
        "reason",
        "note",
        "user",
        "order",
    ]
    list_filter = ["reason"]
    search_fields = ["product__sku", "product__name", "note"]
    list_select_related = ["product", "user", "order"]
    readonly_fields = [f.name for f in StockMovement._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
