"""A linked Allegro seller account: the application's credentials, location and tokens."""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from shop.core.crypto import EncryptedTextField, Undecryptable
from shop.core.models import TimeStampedModel


class Province(models.TextChoices):
    """The 16 voivodeships, with the names Allegro's offer location uses."""

    DOLNOSLASKIE = "DOLNOSLASKIE", "dolnośląskie"
    KUJAWSKO_POMORSKIE = "KUJAWSKO_POMORSKIE", "kujawsko-pomorskie"
    LUBELSKIE = "LUBELSKIE", "lubelskie"
    LUBUSKIE = "LUBUSKIE", "lubuskie"
    LODZKIE = "LODZKIE", "łódzkie"
    MALOPOLSKIE = "MALOPOLSKIE", "małopolskie"
    MAZOWIECKIE = "MAZOWIECKIE", "mazowieckie"
    OPOLSKIE = "OPOLSKIE", "opolskie"
    PODKARPACKIE = "PODKARPACKIE", "podkarpackie"
    PODLASKIE = "PODLASKIE", "podlaskie"
    POMORSKIE = "POMORSKIE", "pomorskie"
    SLASKIE = "SLASKIE", "śląskie"
    SWIETOKRZYSKIE = "SWIETOKRZYSKIE", "świętokrzyskie"
    WARMINSKO_MAZURSKIE = "WARMINSKO_MAZURSKIE", "warmińsko-mazurskie"
    WIELKOPOLSKIE = "WIELKOPOLSKIE", "wielkopolskie"
    ZACHODNIOPOMORSKIE = "ZACHODNIOPOMORSKIE", "zachodniopomorskie"


class LinkStatus(models.TextChoices):
    UNLINKED = "unlinked", _("niepowiązane")
    LINKED = "linked", _("powiązane")
    RELINK_REQUIRED = "relink_required", _("wymaga ponownego powiązania")


class AllegroAccount(TimeStampedModel):
    # Configuration (Aplikacje → Allegro).
    enabled = models.BooleanField(_("Włącz"), default=False)
    sandbox = models.BooleanField(
        _("Sandbox"),
        default=False,
        help_text=_("Tylko dla konta testowego w osobnym środowisku Allegro Sandbox."),
    )
    client_id = models.CharField(_("Client ID (klucz WebAPI)"), max_length=128, blank=True)
    client_secret = EncryptedTextField(_("Client Secret"), blank=True)
    province = models.CharField(_("Region"), max_length=32, choices=Province.choices, blank=True)
    city = models.CharField(_("Miasto"), max_length=100, blank=True)
    post_code = models.CharField(_("Kod pocztowy"), max_length=6, blank=True)

    # The link (filled by the OAuth callback and the token guardian).
    status = models.CharField(
        _("powiązanie"), max_length=20, choices=LinkStatus.choices, default=LinkStatus.UNLINKED
    )
    seller_id = models.CharField(_("identyfikator sprzedawcy"), max_length=32, blank=True)
    login = models.CharField(_("login Allegro"), max_length=100, blank=True)
    access_token = EncryptedTextField(blank=True)
    refresh_token = EncryptedTextField(blank=True)
    token_expires_at = models.DateTimeField(_("token ważny do"), null=True, blank=True)
    token_scope = models.TextField(blank=True)
    linked_at = models.DateTimeField(_("powiązano"), null=True, blank=True)
    token_refreshed_at = models.DateTimeField(_("odświeżono token"), null=True, blank=True)
    relink_reason = models.CharField(_("powód"), max_length=255, blank=True)
    # A short lease instead of a row lock held across the token call: whoever holds it
    # refreshes; the others wait for the new pair and re-read it.
    refresh_lease_until = models.DateTimeField(null=True, blank=True)
    refresh_lease_owner = models.CharField(max_length=32, blank=True)
    # Offer sync: the last offer event read, and the last full read of all offers.
    offer_events_cursor = models.CharField(max_length=64, blank=True)
    offers_reconciled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("konto Allegro")
        verbose_name_plural = _("konta Allegro")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.login or self.client_id or str(_("nowe konto Allegro"))

    @property
    def is_linked(self) -> bool:
        return self.status == LinkStatus.LINKED

    @property
    def needs_relink(self) -> bool:
        return self.status == LinkStatus.RELINK_REQUIRED

    @property
    def is_usable(self) -> bool:
        """Jobs and pages may call Allegro for this account."""
        return self.enabled and self.is_linked

    @property
    def secrets_unreadable(self) -> bool:
        """Stored secrets no configured FIELD_ENCRYPTION_KEY opens: they must be entered again."""
        return any(
            isinstance(getattr(self, name), Undecryptable)
            for name in ("client_secret", "access_token", "refresh_token")
        )

    def token_expiry(self) -> datetime | None:
        return self.token_expires_at
