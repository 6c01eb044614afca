from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from PIL import Image

from shop.core.models import TimeStampedModel
from shop.core.validators import validate_gtin


class VatRate(models.TextChoices):
    VAT_23 = "23", "23%"
    VAT_8 = "8", "8%"
    VAT_5 = "5", "5%"
    VAT_0 = "0", "0%"
    EXEMPT = "zw", _("zw.")


class Product(TimeStampedModel):
    name = models.CharField(_("nazwa"), max_length=255)
    sku = models.CharField(_("SKU"), max_length=64, unique=True)
    ean = models.CharField(
        _("EAN/GTIN"), max_length=14, blank=True, validators=[validate_gtin], db_index=True
    )
    description = models.TextField(_("opis (HTML)"), blank=True)
    price = models.DecimalField(
        _("cena brutto (PLN)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    # What the merchant paid; the Allegro price guard never sends a price below it.
    purchase_price = models.DecimalField(
        _("cena zakupu (PLN)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.00"))],
        help_text=_("Opcjonalna. Automatyczna zmiana ceny poniżej niej czeka na zatwierdzenie."),
    )
    vat_rate = models.CharField(
        _("stawka VAT"), max_length=3, choices=VatRate.choices, default=VatRate.VAT_23
    )
    weight = models.DecimalField(
        _("waga (kg)"),
        max_digits=8,
        decimal_places=3,
        default=Decimal("0.000"),
        validators=[MinValueValidator(Decimal(0))],
    )
    is_active = models.BooleanField(_("aktywny"), default=True, db_index=True)
    allow_backorder = models.BooleanField(
        _("sprzedaż bez stanu"),
        default=False,
        help_text=_("Pozwala, by stan magazynowy spadł poniżej zera (zamówienia na życzenie)."),
    )
    # The level is derived from the ledger (StockMovement); this column is a cache kept in the
    # same transaction as every movement, so lists can filter and sort on it cheaply.
    stock = models.IntegerField(_("stan magazynowy"), default=0, editable=False, db_index=True)
    low_stock_threshold = models.PositiveIntegerField(_("próg niskiego stanu"), default=3)

    class Meta:
        verbose_name = _("produkt")
        verbose_name_plural = _("produkty")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.sku})"

    @property
    def is_low_on_stock(self) -> bool:
        return self.stock <= self.low_stock_threshold


def product_image_path(instance: ProductImage, filename: str) -> str:
    return f"products/{instance.product.sku}/{filename}"


THUMBNAIL_SIZE = (160, 160)


class ProductImage(models.Model):
    product = models.ForeignKey(
        Product, related_name="images", on_delete=models.CASCADE, verbose_name=_("produkt")
    )
    image = models.ImageField(_("zdjęcie"), upload_to=product_image_path)
    position = models.PositiveIntegerField(_("kolejność"), default=0)
    alt = models.CharField(_("opis alternatywny"), max_length=255, blank=True)
    thumbnail = models.ImageField(
        _("miniatura"), upload_to="thumbnails/", blank=True, editable=False
    )

    class Meta:
        verbose_name = _("zdjęcie produktu")
        verbose_name_plural = _("zdjęcia produktu")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.image.name or ""

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.image and not self.thumbnail:
            self.thumbnail.save(*make_thumbnail(self.image), save=False)
        super().save(*args, **kwargs)


def make_thumbnail(image_file: Any) -> tuple[str, ContentFile[bytes]]:
    """A JPEG of at most THUMBNAIL_SIZE, so lists never ship full-size photos."""
    with image_file.open("rb") as source:
        data = source.read()
    with Image.open(io.BytesIO(data)) as img:
        rgb = img.convert("RGB")
        rgb.thumbnail(THUMBNAIL_SIZE)
        buffer = io.BytesIO()
        rgb.save(buffer, format="JPEG", quality=82)
    stem = Path(image_file.name).stem
    return f"{stem}-thumb.jpg", ContentFile(buffer.getvalue())
