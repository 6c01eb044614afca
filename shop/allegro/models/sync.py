"""Stock and price sync with Allegro: settings, the per-account queue, commands, drift reports."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from shop.core.models import TimeStampedModel


class Rounding(models.TextChoices):
    NONE = "none", _("do grosza")
    END_99 = "99", _("końcówka ,99")
    END_49_99 = "49_99", _("końcówka ,49 lub ,99")
    WHOLE = "whole", _("pełne złote")


class SyncSettings(TimeStampedModel):
    """How an account's offers follow the shop (the price rule is the template for its offers)."""

    account = models.OneToOneField(
        "allegro.AllegroAccount", on_delete=models.CASCADE, related_name="sync_settings"
    )
    stock_enabled = models.BooleanField(_("synchronizuj stany"), default=True)
    safety_reserve = models.PositiveIntegerField(
        _("rezerwa bezpieczeństwa (szt.)"),
        default=0,
        help_text=_("Tyle sztuk ze stanu sklepu nie jest wystawiane na Allegro."),
    )
    end_at_zero = models.BooleanField(
        _("kończ ofertę przy zerowym stanie i wznawiaj po dostawie"), default=True
    )
    price_enabled = models.BooleanField(_("synchronizuj ceny"), default=True)
    markup = models.DecimalField(
        _("mnożnik ceny"), max_digits=6, decimal_places=4, default=Decimal("1.0000")
    )
    fixed_amount = models.DecimalField(
        _("kwota stała (PLN)"), max_digits=10, decimal_places=2, default=Decimal("0.00")
    )
    rounding = models.CharField(
        _("zaokrąglenie"), max_length=8, choices=Rounding.choices, default=Rounding.NONE
    )
    price_floor = models.DecimalField(
        _("cena minimalna"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    price_ceiling = models.DecimalField(
        _("cena maksymalna"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # The guard (``sync/services/guard.py``): larger automatic changes wait for the merchant.
    price_guard_percent = models.DecimalField(
        _("próg zmiany ceny (%)"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("30.00"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_(
            "Zmiana ceny aktywnej oferty o więcej niż tyle procent czeka na zatwierdzenie "
            "w „Wstrzymanych zmianach”."
        ),
    )
    quantity_guard_units = models.PositiveIntegerField(
        _("próg wzrostu liczby sztuk (szt.)"),
        default=50,
        help_text=_(
            "Wzrost liczby sztuk o więcej niż tyle sztuk i jednocześnie ponad wielokrotność "
            "obecnej liczby czeka na zatwierdzenie."
        ),
    )
    quantity_guard_factor = models.DecimalField(
        _("próg wzrostu liczby sztuk (krotność)"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("5.00"),
        validators=[MinValueValidator(Decimal("1.00"))],
    )

    class Meta:
        verbose_name = _("ustawienia synchronizacji Allegro")
        verbose_name_plural = _("ustawienia synchronizacji Allegro")


class SyncQueue(models.Model):
    """One row per account: the debounce window, the "task queued" flag and the worker claim."""

    account = models.OneToOneField(
        "allegro.AllegroAccount", on_delete=models.CASCADE, related_name="sync_queue"
    )
    first_change_at = models.DateTimeField(null=True, blank=True)
    last_change_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=36, blank=True)
    last_flush_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"sync queue of account {self.account_id}"


class LedgerCursor(models.Model):
    """How far the sync has read the catalog's stock ledger (one row, ``pk=1``).

    Every movement up to ``movement_id`` has been read, except ids in ``gaps``: ids below a
    visible one that were not visible yet, because the transaction holding them was still open
    (PostgreSQL hands ids out in call order, not commit order). Each gap is ``[first, last,
    xmax]``: it is read again at every scan until every transaction older than ``xmax`` (the
    snapshot's next transaction id when the gap was seen) has ended.
    """

    movement_id = models.BigIntegerField(default=0)
    gaps = models.JSONField(default=list, blank=True)
    scanned_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"stock ledger read up to {self.movement_id}"


class OfferSync(models.Model):
    """Per-offer sync state and the offer's own price rule (overrides of the account template)."""

    offer = models.OneToOneField(
        "allegro.AllegroOffer", on_delete=models.CASCADE, related_name="sync"
    )
    markup = models.DecimalField(
        _("mnożnik ceny"), max_digits=6, decimal_places=4, null=True, blank=True
    )
    fixed_amount = models.DecimalField(
        _("kwota stała (PLN)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    rounding = models.CharField(
        _("zaokrąglenie"), max_length=8, choices=Rounding.choices, blank=True
    )
    price_floor = models.DecimalField(
        _("cena minimalna"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    price_ceiling = models.DecimalField(
        _("cena maksymalna"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # The merchant's own values from the offer form; while set, the sync sends these instead of
    # the product's (a manual quantity is still capped by the stock, so it never oversells).
    price_override = models.DecimalField(
        _("cena ustawiona ręcznie"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    quantity_override = models.PositiveIntegerField(
        _("liczba sztuk ustawiona ręcznie"), null=True, blank=True
    )
    # What is known to be on Allegro: confirmed by a command of ours or read after an edit.
    pushed_quantity = models.IntegerField(null=True, blank=True)
    pushed_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    ended_by_sync = models.BooleanField(default=False)
    # When the merchant accepted the sync's first changes after the offer was linked; until then
    # (or when the offer is linked again later) every difference waits as a held change.
    link_accepted_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    failed = models.BooleanField(_("błąd synchronizacji"), default=False, db_index=True)
    last_error = models.TextField(_("ostatni błąd"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"sync of offer {self.offer_id}"

    @property
    def overridden(self) -> bool:
        return self.price_override is not None or self.quantity_override is not None


class CommandKind(models.TextChoices):
    QUANTITY = "quantity", _("liczba sztuk")
    PRICE = "price", _("cena")
    END = "end", _("zakończenie")
    ACTIVATE = "activate", _("wznowienie")


class CommandStatus(models.TextChoices):
    PENDING = "pending", _("do wysłania")
    SENT = "sent", _("wysłane, w toku")
    DONE = "done", _("wykonane")
    PARTIAL = "partial", _("częściowo nieudane")
    FAILED = "failed", _("nieudane")


class CommandOrigin(models.TextChoices):
    SYNC = "sync", _("synchronizacja stanów i cen")
    OFFER_LIST = "offer_list", _("lista ofert")


class SyncCommand(TimeStampedModel):
    """A batch command for offers, from the stock/price sync or from the offer list.

    Its UUID is stored before the PUT so a retry never doubles it. Per offer: every id in
    ``offer_ids`` succeeded unless ``failures`` names it with Allegro's message.
    """

    account = models.ForeignKey(
        "allegro.AllegroAccount", on_delete=models.CASCADE, related_name="sync_commands"
    )
    command_id = models.UUIDField(default=uuid.uuid4, unique=True)
    kind = models.CharField(_("rodzaj"), max_length=16, choices=CommandKind.choices)
    # A merchant's end from the offer list is not the sync's to undo when stock comes back.
    origin = models.CharField(
        _("źródło"), max_length=16, choices=CommandOrigin.choices, default=CommandOrigin.SYNC
    )
    quantity = models.IntegerField(null=True, blank=True)
    price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="PLN")
    # Allegro offer ids, in order.
    offer_ids = models.JSONField(default=list)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CommandStatus.choices,
        default=CommandStatus.PENDING,
        db_index=True,
    )
    attempts = models.PositiveIntegerField(default=0)
    succeeded = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    # offer id -> message, for the offers whose task failed.
    failures = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("polecenie dla ofert")
        verbose_name_plural = _("polecenia dla ofert")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["account", "status"])]

    def __str__(self) -> str:
        return f"{self.kind} × {len(self.offer_ids)}"

    @property
    def in_progress(self) -> bool:
        return self.status in (CommandStatus.PENDING, CommandStatus.SENT)


class DriftField(models.TextChoices):
    QUANTITY = "quantity", _("liczba sztuk")
    PRICE = "price", _("cena")
    STATUS = "status", _("status")
    MISSING = "missing", _("brak na Allegro")


class DriftReport(models.Model):
    account = models.ForeignKey(
        "allegro.AllegroAccount", on_delete=models.CASCADE, related_name="drift_reports"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    offers_checked = models.PositiveIntegerField(default=0)
    differences = models.PositiveIntegerField(default=0)
    requests = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    healed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"drift report {self.pk} ({self.differences})"


class DriftRow(models.Model):
    report = models.ForeignKey(DriftReport, on_delete=models.CASCADE, related_name="rows")
    offer = models.ForeignKey(
        "allegro.AllegroOffer", on_delete=models.CASCADE, related_name="drift_rows"
    )
    field = models.CharField(_("pole"), max_length=16, choices=DriftField.choices)
    expected = models.CharField(_("powinno być"), max_length=64)
    actual = models.CharField(_("jest na Allegro"), max_length=64)
    healed = models.BooleanField(_("naprawiono"), default=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.field}: {self.expected} ≠ {self.actual}"


class HeldField(models.TextChoices):
    PRICE = "price", _("cena")
    # A quantity of 0 with "end at zero" on means ending the offer; above 0 on an ended offer,
    # resuming it.
    QUANTITY = "quantity", _("liczba sztuk")


class HeldReason(models.TextChoices):
    FIRST_SYNC = "first_sync", _("pierwsza synchronizacja po połączeniu")
    PRICE_ZERO = "price_zero", _("cena zerowa")
    BELOW_PURCHASE = "below_purchase", _("cena poniżej ceny zakupu")
    BELOW_FLOOR = "below_floor", _("cena poniżej ceny minimalnej reguły")
    PRICE_JUMP = "price_jump", _("zmiana ceny powyżej progu")
    QUANTITY_JUMP = "quantity_jump", _("skok liczby sztuk powyżej progu")
    # Never open: the merchant chose the value on the drift report ("Napraw różnice").
    DRIFT_HEAL = "drift_heal", _("naprawa rozbieżności")


class HeldResolution(models.TextChoices):
    ACCEPTED = "accepted", _("wysłano")
    REJECTED = "rejected", _("odrzucono")


class HeldChange(models.Model):
    """An automatic change the sync did not send: it waits for the merchant's decision.

    At most one open row per offer and field (a constraint); the sync updates its proposed value
    when the target moves again and deletes it when the target returns to the live value. A
    resolved row is the decision: accepted lets exactly ``current → proposed`` through, rejected
    keeps it from being proposed again while the target stays the same.
    """

    offer = models.ForeignKey(
        "allegro.AllegroOffer", on_delete=models.CASCADE, related_name="held_changes"
    )
    field = models.CharField(_("pole"), max_length=16, choices=HeldField.choices)
    # The value on Allegro as far as we know it (what our last command set, else the mirror).
    current = models.DecimalField(
        _("na Allegro"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    proposed = models.DecimalField(_("proponowana"), max_digits=12, decimal_places=2)
    reason = models.CharField(_("powód"), max_length=16, choices=HeldReason.choices)
    created_at = models.DateTimeField(_("wstrzymano"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    resolved_at = models.DateTimeField(_("rozstrzygnięto"), null=True, blank=True)
    resolution = models.CharField(
        _("decyzja"), max_length=16, choices=HeldResolution.choices, blank=True
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("użytkownik"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("wstrzymana zmiana")
        verbose_name_plural = _("wstrzymane zmiany")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "field"],
                condition=models.Q(resolved_at__isnull=True),
                name="held_change_one_open_per_offer_field",
            )
        ]
        indexes = [models.Index(fields=["offer", "field", "resolved_at"])]

    def __str__(self) -> str:
        return f"{self.field}: {self.current} → {self.proposed}"

    @property
    def change_percent(self) -> Decimal | None:
        if self.current is None or self.current == 0:
            return None
        return ((self.proposed - self.current) / self.current * 100).quantize(Decimal("0.1"))
