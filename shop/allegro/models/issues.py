"""Discussions and complaints about Allegro orders, their chats, and the buyers' ratings.

Mirrors keep the last payload in ``raw``; columns hold what the lists filter and sort by. A
seller's message is stored (``pending``) before it is sent, so a repeat after a lost answer
looks the message up in the chat instead of posting it twice.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from shop.core.models.base import TimeStampedModel

#: Allegro statuses in which the seller can still write and decide.
OPEN_ISSUE_STATUSES = ("DISPUTE_ONGOING", "CLAIM_SUBMITTED")


class IssueKind(models.TextChoices):
    DISPUTE = "DISPUTE", _("dyskusja")
    CLAIM = "CLAIM", _("reklamacja")


class AllegroIssue(TimeStampedModel):
    account = models.ForeignKey(
        "allegro.AllegroAccount", on_delete=models.CASCADE, related_name="issues"
    )
    allegro_id = models.CharField(_("identyfikator w Allegro"), max_length=64, unique=True)
    kind = models.CharField(_("rodzaj"), max_length=8, choices=IssueKind.choices)
    status = models.CharField(_("status Allegro"), max_length=24, db_index=True)
    form_allegro_id = models.CharField(_("formularz zamówienia"), max_length=64, db_index=True)
    form = models.ForeignKey(
        "allegro.AllegroCheckoutForm",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="issues",
    )
    buyer_login = models.CharField(_("login kupującego"), max_length=100, blank=True)
    reference_number = models.CharField(_("numer reklamacji"), max_length=32, blank=True)
    reason = models.CharField(_("powód"), max_length=64, blank=True)  # Allegro's code
    description = models.TextField(_("opis"), blank=True)
    opened_at = models.DateTimeField(_("otwarto"), null=True, blank=True)
    # decisionDueDate (claims); null for disputes: Allegro sets no deadline for them.
    decision_due_at = models.DateTimeField(_("termin decyzji"), null=True, blank=True)
    chat_active = models.BooleanField(_("można pisać"), default=True)
    return_required = models.BooleanField(_("wymagany zwrot"), null=True, blank=True)
    last_message_status = models.CharField(max_length=32, blank=True)
    last_message_at = models.DateTimeField(_("ostatnia wiadomość"), null=True, blank=True)
    messages_count = models.PositiveIntegerField(default=0)
    # Since when the buyer (or Allegro) waits for the seller; null when the seller spoke last.
    waiting_since = models.DateTimeField(_("czeka od"), null=True, blank=True, db_index=True)
    chat_synced_at = models.DateTimeField(null=True, blank=True)
    raw = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("dyskusja lub reklamacja Allegro")
        verbose_name_plural = _("dyskusje i reklamacje Allegro")
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.allegro_id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ISSUE_STATUSES


class IssueMessageState(models.TextChoices):
    RECEIVED = "received", _("w Allegro")
    PENDING = "pending", _("wysyłana")
    FAILED = "failed", _("nie wysłano")


class AllegroIssueMessage(TimeStampedModel):
    issue = models.ForeignKey(AllegroIssue, on_delete=models.CASCADE, related_name="messages")
    allegro_id = models.CharField(max_length=64, blank=True)
    role = models.CharField(_("autor"), max_length=16)  # BUYER | SELLER | ADMIN | SYSTEM …
    login = models.CharField(max_length=100, blank=True)
    text = models.TextField(_("treść"), blank=True)
    kind = models.CharField(max_length=48, blank=True, default="REGULAR")  # what was sent
    sent_at = models.DateTimeField(_("wysłano"), null=True, blank=True)
    state = models.CharField(
        max_length=12, choices=IssueMessageState.choices, default=IssueMessageState.RECEIVED
    )
    last_error = models.TextField(blank=True)
    attachments = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("wiadomość w dyskusji Allegro")
        verbose_name_plural = _("wiadomości w dyskusjach Allegro")
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "allegro_id"],
                condition=~models.Q(allegro_id=""),
                name="allegro_issue_message_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.text[:40]}"

    @property
    def files(self) -> list[tuple[str, str]]:
        """(Allegro id, file name) of each attachment: the id the seller's upload got, or the
        last part of the address Allegro gives in the chat (``/sale/issues/attachments/{id}``)."""
        found: list[tuple[str, str]] = []
        for item in self.attachments or []:
            url = str(item.get("url") or "")
            attachment_id = str(item.get("id") or url.rstrip("/").rsplit("/", 1)[-1])
            if attachment_id:
                found.append((attachment_id, str(item.get("fileName") or "")))
        return found


class AllegroRating(TimeStampedModel):
    account = models.ForeignKey(
        "allegro.AllegroAccount", on_delete=models.CASCADE, related_name="ratings"
    )
    allegro_id = models.CharField(_("identyfikator w Allegro"), max_length=64, unique=True)
    form_allegro_id = models.CharField(_("formularz zamówienia"), max_length=64, db_index=True)
    form = models.ForeignKey(
        "allegro.AllegroCheckoutForm",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ratings",
    )
    buyer_login = models.CharField(_("login kupującego"), max_length=100, blank=True)
    recommended = models.BooleanField(_("poleca"), db_index=True)
    comment = models.TextField(_("komentarz"), blank=True)
    rates = models.JSONField(default=dict, blank=True)
    rated_at = models.DateTimeField(_("wystawiono"), null=True, blank=True)
    last_changed_at = models.DateTimeField(_("zmieniono"), null=True, blank=True, db_index=True)
    answer = models.TextField(_("odpowiedź"), blank=True)
    answered_at = models.DateTimeField(_("odpowiedziano"), null=True, blank=True)
    removal_possible_to = models.DateTimeField(_("prośba o usunięcie do"), null=True, blank=True)
    removal_requested_at = models.DateTimeField(_("poproszono o usunięcie"), null=True, blank=True)
    removal_message = models.TextField(blank=True)
    raw = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("ocena Allegro")
        verbose_name_plural = _("oceny Allegro")
        ordering = ["-rated_at", "-id"]

    def __str__(self) -> str:
        return f"{self.buyer_login}: {'+' if self.recommended else '-'}"


class FeedbackImportState(TimeStampedModel):
    """How far the account's ratings are read (``lastChangedAt``) and when issues were."""

    account = models.OneToOneField(
        "allegro.AllegroAccount", on_delete=models.CASCADE, related_name="feedback_import"
    )
    ratings_changed_until = models.DateTimeField(null=True, blank=True)
    issues_synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("stan importu dyskusji i ocen Allegro")
        verbose_name_plural = _("stany importu dyskusji i ocen Allegro")

    def __str__(self) -> str:
        return f"{self.account_id}: {self.ratings_changed_until}"
