"""Invoices attached to Allegro orders, and the shop's own invoice numbering.

An invoice row is written before anything is sent; the Allegro id of its metadata is stored as
soon as Allegro gives it, so a retry only uploads the file again and never adds a second entry.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from shop.core.models.base import TimeStampedModel


class InvoiceKind(models.TextChoices):
    UPLOADED = "uploaded", _("plik faktury")
    GENERATED = "generated", _("faktura wystawiona w sklepie")
    KSEF = "ksef", _("wizualizacja faktury z KSeF")
    REMOTE = "remote", _("dodana w Allegro")


class InvoiceState(models.TextChoices):
    NEW = "new", _("do wysłania")
    CREATED = "created", _("plik do wysłania")
    WAITING = "waiting", _("Allegro sprawdza plik")
    ACCEPTED = "accepted", _("przyjęta przez Allegro")
    REJECTED = "rejected", _("odrzucona przez Allegro")
    FAILED = "failed", _("błąd wysyłki")


#: States in which Allegro already holds the file (nothing more to send).
SENT_STATES = (InvoiceState.WAITING, InvoiceState.ACCEPTED)


class AllegroInvoice(TimeStampedModel):
    form = models.ForeignKey(
        "allegro.AllegroCheckoutForm", on_delete=models.CASCADE, related_name="invoices"
    )
    allegro_id = models.CharField(_("identyfikator w Allegro"), max_length=64, blank=True)
    number = models.CharField(_("numer faktury"), max_length=64)
    file_name = models.CharField(_("plik"), max_length=200)
    kind = models.CharField(
        _("rodzaj"), max_length=16, choices=InvoiceKind.choices, default=InvoiceKind.UPLOADED
    )
    ksef_number = models.CharField(_("numer KSeF"), max_length=64, blank=True)
    pdf = models.BinaryField(blank=True, default=b"")
    state = models.CharField(
        _("stan"), max_length=16, choices=InvoiceState.choices, default=InvoiceState.NEW
    )
    # Allegro's own scan status (WAITING / ACCEPTED / REJECTED), shown through labels.
    scan_status = models.CharField(max_length=16, blank=True)
    last_error = models.TextField(_("ostatni błąd"), blank=True)
    uploaded_at = models.DateTimeField(_("wysłano plik"), null=True, blank=True)
    verified_at = models.DateTimeField(_("sprawdzono"), null=True, blank=True)
    checked_at = models.DateTimeField(_("odświeżono"), null=True, blank=True)

    class Meta:
        verbose_name = _("faktura zamówienia Allegro")
        verbose_name_plural = _("faktury zamówień Allegro")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["form", "number"], name="allegro_invoice_number")
        ]
        indexes = [models.Index(fields=["state"])]

    def __str__(self) -> str:
        return self.number


class InvoiceSettings(models.Model):
    """The seller on generated invoices and the number pattern (one row)."""

    seller_name = models.CharField(_("sprzedawca"), max_length=200, blank=True)
    seller_address = models.TextField(_("adres sprzedawcy"), max_length=500, blank=True)
    seller_nip = models.CharField(_("NIP sprzedawcy"), max_length=20, blank=True)
    place = models.CharField(_("miejsce wystawienia"), max_length=100, blank=True)
    number_pattern = models.CharField(
        _("wzór numeru"),
        max_length=64,
        default="FV/{n}/{year}",
        help_text=_("{n} — kolejny numer w roku, {year} — rok, {month} — miesiąc."),
    )

    class Meta:
        verbose_name = _("ustawienia faktur")
        verbose_name_plural = _("ustawienia faktur")

    def __str__(self) -> str:
        return self.number_pattern

    @property
    def seller_complete(self) -> bool:
        """An invoice names its seller with address and NIP (art. 106e ust. 1 pkt 3 and 5 of
        the VAT act); without them the shop does not issue one."""
        return bool(
            self.seller_name.strip() and self.seller_address.strip() and self.seller_nip.strip()
        )


class InvoiceCounter(models.Model):
    """The last number given in a year; numbers only grow and are never given twice."""

    year = models.PositiveIntegerField(unique=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("licznik faktur")
        verbose_name_plural = _("liczniki faktur")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"
