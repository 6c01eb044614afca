"""Offers: drafts made in the back office and mirrors of offers that live on Allegro."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from shop.core.models import TimeStampedModel


class OfferStatus(models.TextChoices):
    DRAFT = "draft", _("szkic")
    PUBLISHING = "publishing", _("wystawianie")
    ACTIVE = "active", _("aktywna")
    ACTIVATING = "activating", _("zaplanowana")
    INACTIVE = "inactive", _("nieaktywna")
    ENDED = "ended", _("zakończona")
    REJECTED = "rejected", _("odrzucona")


class LinkSource(models.TextChoices):
    """How an offer came to be linked to its product."""

    SKU = "sku", _("po SKU")
    EAN = "ean", _("po EAN")
    MANUAL = "manual", _("ręcznie na liście ofert")
    ORDER_PAGE = "order_page", _("ręcznie w zamówieniu")
    OFFER_FORM = "offer_form", _("formularz oferty")
    SIMILAR = "similar", _("kopia oferty")
    BULK_LISTING = "bulk_listing", _("wystawianie masowe")


class OfferLinkStatus(models.TextChoices):
    """Where an offer's link to a product stands. Only a confirmed link sets ``product``, and
    only ``product`` is what the stock and price sync pushes to."""

    NONE = "", _("bez powiązania")
    CONFIRMED = "confirmed", _("potwierdzone")
    TO_REVIEW = "to_review", _("do potwierdzenia")
    REJECTED = "rejected", _("nie łączyć")


class SellingFormat(models.TextChoices):
    BUY_NOW = "BUY_NOW", _("Kup teraz")
    AUCTION = "AUCTION", _("Licytacja")


class AllegroOffer(TimeStampedModel):
    account = models.ForeignKey(
        "allegro.AllegroAccount", on_delete=models.CASCADE, related_name="offers"
    )
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("produkt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="allegro_offers",
    )
    # Who made the link is in the audit log; when and how are kept here for the pages.
    linked_at = models.DateTimeField(_("powiązano"), null=True, blank=True)
    link_source = models.CharField(
        _("sposób powiązania"), max_length=16, choices=LinkSource.choices, blank=True
    )
    # A match the import found but could not corroborate: shown under "Do potwierdzenia" and
    # never pushed to. What matched and why it was held is in ``link_evidence``.
    link_status = models.CharField(
        _("stan powiązania"),
        max_length=16,
        choices=OfferLinkStatus.choices,
        blank=True,
        default=OfferLinkStatus.NONE,
        db_index=True,
    )
    proposed_product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("proponowany produkt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposed_allegro_offers",
    )
    link_evidence = models.JSONField(default=dict, blank=True)
    # Products the merchant said "Nie łącz" to (or unlinked): never proposed for this offer again.
    rejected_product_ids = models.JSONField(default=list, blank=True)
    # Allegro's offer id; empty until Allegro has assigned one.
    allegro_id = models.CharField(_("numer oferty"), max_length=32, blank=True, db_index=True)
    external_id = models.CharField(_("sygnatura (SKU)"), max_length=100, blank=True, db_index=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=OfferStatus.choices,
        default=OfferStatus.DRAFT,
        db_index=True,
    )
    name = models.CharField(_("tytuł"), max_length=75, blank=True)
    category_id = models.CharField(_("kategoria"), max_length=32, blank=True, db_index=True)
    category_name = models.CharField(_("nazwa kategorii"), max_length=255, blank=True)
    catalog_product_id = models.CharField(_("produkt Allegro"), max_length=64, blank=True)

    selling_format = models.CharField(
        _("format sprzedaży"),
        max_length=16,
        choices=SellingFormat.choices,
        default=SellingFormat.BUY_NOW,
    )
    price = models.DecimalField(_("cena"), max_digits=12, decimal_places=2, null=True, blank=True)
    starting_price = models.DecimalField(
        _("cena wywoławcza"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    minimal_price = models.DecimalField(
        _("cena minimalna"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(max_length=3, default="PLN")
    stock_available = models.IntegerField(_("dostępne"), default=0)
    stock_sold = models.IntegerField(_("sprzedane"), default=0)
    image_url = models.URLField(_("zdjęcie główne"), max_length=500, blank=True)
    shipping_rates_id = models.CharField(
        _("cennik dostawy"), max_length=64, blank=True, db_index=True
    )

    # What the merchant entered in the offer form, kept to reopen and resend it.
    form_data = models.JSONField(default=dict, blank=True)
    # Allegro's validation errors/warnings of the last read, and our last failure.
    validation_errors = models.JSONField(default=list, blank=True)
    has_errors = models.BooleanField(_("błędy"), default=False, db_index=True)
    last_error = models.TextField(_("ostatni błąd"), blank=True)
    # The whole last payload read from Allegro.
    raw = models.JSONField(default=dict, blank=True)
    # A pending operation (202) to resume polling after a crash.
    operation_path = models.CharField(max_length=300, blank=True)
    # When a create was sent but its answer was lost: look up by external id before resending.
    create_attempted_at = models.DateTimeField(null=True, blank=True)

    published_at = models.DateTimeField(_("wystawiono"), null=True, blank=True)
    ends_at = models.DateTimeField(_("koniec"), null=True, blank=True)
    synced_at = models.DateTimeField(_("odczytano z Allegro"), null=True, blank=True)
    # The stock/price sync: what Allegro should show, and whether it is still to be sent.
    needs_push = models.BooleanField(default=False, db_index=True)

    class Meta:
        verbose_name = _("oferta Allegro")
        verbose_name_plural = _("oferty Allegro")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "allegro_id"],
                condition=~models.Q(allegro_id=""),
                name="allegro_offer_unique_id_per_account",
            )
        ]
        indexes = [
            # The offer list pages through ids in these orders before it reads the rows.
            models.Index(fields=["account", "status", "-updated_at", "-id"]),
            models.Index(fields=["account", "-updated_at", "-id"]),
            models.Index(fields=["account", "price", "id"]),
            models.Index(fields=["account", "stock_available", "id"]),
        ]

    def __str__(self) -> str:
        return self.name or self.allegro_id or f"#{self.pk}"

    @property
    def allegro_url(self) -> str:
        if not self.allegro_id:
            return ""
        return f"https://allegro.pl/oferta/{self.allegro_id}"

    @property
    def display_price(self) -> Decimal | None:
        return self.price if self.selling_format == SellingFormat.BUY_NOW else self.starting_price
