"""Reads for the message pages, the order page, the menu badge and the response-time guard."""

from __future__ import annotations

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from shop.allegro.common.selectors import menu_badge
from shop.allegro.messages.mapping import fill_template, tracking_url
from shop.allegro.models import (
    AllegroAccount,
    AllegroCheckoutForm,
    AllegroMessage,
    AllegroMessageThread,
    AllegroOffer,
    MessageTemplate,
)


def threads_of(*, account: AllegroAccount, only: str = "") -> QuerySet[AllegroMessageThread]:
    """``only``: ``"unread"`` or ``"waiting"`` narrows the list."""
    threads = account.message_threads.all()
    if only == "unread":
        threads = threads.filter(read=False)
    elif only == "waiting":
        threads = threads.filter(waiting_since__isnull=False)
    form = AllegroCheckoutForm.objects.filter(account=account, form_id=OuterRef("order_form_id"))
    return threads.annotate(
        order_pk=Subquery(form.values("pk")[:1]),
        order_number=Subquery(form.values("order__number")[:1]),
    ).order_by("-last_message_at", "-id")


def thread_messages(thread: AllegroMessageThread) -> list[AllegroMessage]:
    return list(thread.messages.prefetch_related("attachments").order_by("created_at", "id"))


def form_of(thread: AllegroMessageThread) -> AllegroCheckoutForm | None:
    if not thread.order_form_id:
        return None
    return (
        AllegroCheckoutForm.objects.filter(account=thread.account, form_id=thread.order_form_id)
        .select_related("order")
        .first()
    )


def offer_of(thread: AllegroMessageThread) -> AllegroOffer | None:
    """The mirrored offer the thread names, when the shop has it."""
    if not thread.offer_id:
        return None
    return AllegroOffer.objects.filter(account=thread.account, allegro_id=thread.offer_id).first()


def threads_of_form(form: AllegroCheckoutForm) -> list[AllegroMessageThread]:
    """Threads with a message about this order, each with its messages about it."""
    about = AllegroMessage.objects.filter(order_form_id=form.form_id).order_by("created_at")
    return list(
        AllegroMessageThread.objects.filter(
            account_id=form.account_id, messages__order_form_id=form.form_id
        )
        .distinct()
        .prefetch_related(Prefetch("messages", queryset=about, to_attr="about_order"))
        .order_by("-last_message_at")
    )


def template_values(
    thread: AllegroMessageThread, form: AllegroCheckoutForm | None
) -> dict[str, str]:
    """What the placeholders of a reply template become in this thread."""
    values = {"kupujacy": thread.interlocutor_login, "numer_zamowienia": "", "link_sledzenia": ""}
    if form is None:
        return values
    values["kupujacy"] = form.buyer_name or form.buyer_login or thread.interlocutor_login
    values["numer_zamowienia"] = form.order.number if form.order else form.form_id
    for shipment in form.shipments.order_by("-id"):
        link = tracking_url(shipment.carrier_id, shipment.waybill)
        if link:
            values["link_sledzenia"] = link
            break
    return values


def templates_filled(values: dict[str, str]) -> list[tuple[MessageTemplate, str]]:
    return [(t, fill_template(t.text, values)) for t in MessageTemplate.objects.all()]


def _unread(account: AllegroAccount) -> QuerySet[AllegroMessageThread]:
    return account.message_threads.filter(read=False)


def unread_count(account: AllegroAccount) -> int:
    return _unread(account).count()


#: The sidebar's count next to "Wiadomości" (empty when everything is read).
unread_badge = menu_badge("messages", _unread)
