from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shop.catalog.models.products import Product


class StockReason(models.TextChoices):
    DELIVERY = "delivery", _("dostawa")
    CORRECTION = "correction", _("korekta / inwentaryzacja")
    DAMAGE = "damage", _("uszkodzenie")
    ORDER = "order", _("zamówienie")
    ORDER_CANCELLED = "order_cancelled", _("anulowanie zamówienia")
    RETURN = "return", _("zwrot")
    INITIAL = "initial", _("stan początkowy")


class StockMovement(models.Model):
    """One change of a product's stock. The level is the sum of all movements."""

    product = models.ForeignKey(
        Product, related_name="stock_movements", on_delete=models.CASCADE, verbose_name=_("produkt")
    )
    delta = models.IntegerField(_("zmiana"))
    level_after = models.IntegerField(_("stan po zmianie"))
    reason = models.CharField(_("powód"), max_length=32, choices=StockReason.choices)
    note = models.CharField(_("uwagi"), max_length=255, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("użytkownik"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    order = models.ForeignKey(
        "orders.Order",
        verbose_name=_("zamówienie"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stock_movements",
    )
    created_at = models.DateTimeField(_("kiedy"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("ruch magazynowy")
        verbose_name_plural = _("ruchy magazynowe")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.product.sku}: {self.delta:+d} ({self.get_reason_display()})"
