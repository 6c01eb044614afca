"""Allegro message centre mirrored: threads with buyers, their messages and attachment metadata,
and the seller's saved reply templates.

Attachment files are not stored: the back office downloads them from Allegro when opened.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from shop.core.models.base import TimeStampedModel


class AllegroMessageThread(TimeStampedModel):
    account = models.ForeignKey(
        "allegro.AllegroAccount", on_delete=models.CASCADE, related_name="message_threads"
    )
    thread_id = models.CharField(_("identyfikator wątku"), max_length=128)
    interlocutor_login = models.CharField(_("rozmówca"), max_length=100, blank=True)
    read = models.BooleanField(_("przeczytany"), default=False)
    last_message_at = models.DateTimeField(_("ostatnia wiadomość"), null=True, db_index=True)
    # Since when the buyer waits for an answer: their first message after the seller's last one.
    waiting_since = models.DateTimeField(_("czeka od"), null=True, blank=True, db_index=True)
    # The checkout form and offer the newest message names (relatesTo), when it names them.
    order_form_id = models.CharField(_("zamówienie"), max_length=64, blank=True, db_index=True)
    offer_id = models.CharField(_("oferta"), max_length=32, blank=True)
    raw = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("wątek wiadomości Allegro")
        verbose_name_plural = _("wątki wiadomości Allegro")
        ordering = ["-last_message_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "thread_id"], name="allegro_message_thread_unique"
            )
        ]

    def __str__(self) -> str:
        return self.interlocutor_login or self.thread_id


class AllegroMessage(models.Model):
    thread = models.ForeignKey(
        AllegroMessageThread, on_delete=models.CASCADE, related_name="messages"
    )
    message_id = models.CharField(max_length=128)
    author_login = models.CharField(_("autor"), max_length=100, blank=True)
    from_buyer = models.BooleanField(_("od kupującego"), default=True)
    text = models.TextField(_("treść"), blank=True)
    created_at = models.DateTimeField(_("wysłano"), db_index=True)
    # Allegro's delivery status (DELIVERED, VERIFYING, BLOCKED...), shown through labels.
    status = models.CharField(max_length=16, blank=True)
    order_form_id = models.CharField(max_length=64, blank=True)
    offer_id = models.CharField(max_length=32, blank=True)
    # The answer form's key of a message sent from the back office (a repeated form sends none).
    send_key = models.CharField(max_length=32, blank=True, db_index=True)
    raw = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("wiadomość Allegro")
        verbose_name_plural = _("wiadomości Allegro")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["thread", "message_id"], name="allegro_message_unique")
        ]

    def __str__(self) -> str:
        return self.message_id


class AllegroMessageAttachment(models.Model):
    message = models.ForeignKey(
        AllegroMessage, on_delete=models.CASCADE, related_name="attachments"
    )
    attachment_id = models.CharField(max_length=128)
    file_name = models.CharField(_("plik"), max_length=255)
    mime_type = models.CharField(_("typ"), max_length=100, blank=True)
    # NEW (not yet scanned), SAFE, UNSAFE or EXPIRED (older than six months).
    status = models.CharField(max_length=16, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.file_name


class MessageTemplate(TimeStampedModel):
    """A saved answer; ``{kupujacy}``, ``{numer_zamowienia}`` and ``{link_sledzenia}`` are
    filled from the thread's order when the template is used."""

    name = models.CharField(_("nazwa"), max_length=100, unique=True)
    text = models.TextField(_("treść"), max_length=2000)

    class Meta:
        verbose_name = _("szablon odpowiedzi")
        verbose_name_plural = _("szablony odpowiedzi")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
