"""The message import is incremental; answers, attachments and the waiting time."""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from fake_allegro import Emulator
from fake_allegro.messaging.state import SAMPLE_PNG, messaging_of
from shop.allegro.common.awaiting import awaiting_replies
from shop.allegro.common.text import buyer_text_html
from shop.allegro.messages.jobs import import_messages
from shop.allegro.messages.mapping import fill_template
from shop.allegro.messages.schedule import IMPORT_MESSAGES_JOB
from shop.allegro.messages.selectors import template_values
from shop.allegro.messages.services import (
    MessageRefused,
    OutgoingFile,
    attachment_download,
    message_reply,
    messages_import,
)
from shop.allegro.models import (
    AllegroCheckoutForm,
    AllegroMessage,
    AllegroMessageThread,
    AllegroShipment,
)
from shop.scheduler.registry import job_get
from tests.shop.allegro.invoices.test_services import imported, purchase

pytestmark = pytest.mark.django_db


def buyer_writes(emulator: Emulator, form_id: str, text: str, **data: Any) -> dict[str, Any]:
    with emulator.http_client() as http:
        response = http.post(
            "/_emulator/messages", json={"checkoutFormId": form_id, "text": text, **data}
        )
    assert response.status_code == 201, response.text
    return dict(response.json())


def imported_thread(
    emulator: Emulator, account: Any, text: str, file_name: str, mime_type: str, data: bytes
) -> AllegroMessageThread:
    """An imported order whose buyer wrote ``text`` with one file, the thread imported."""
    form = imported(emulator, account)
    content = base64.b64encode(data).decode()
    attachment = {"fileName": file_name, "mimeType": mime_type, "contentBase64": content}
    buyer_writes(emulator, form.form_id, text, attachments=[attachment])
    messages_import(account=account)
    return AllegroMessageThread.objects.get(account=account)


def calls(emulator: Emulator, method: str, contains: str) -> int:
    return sum(
        1
        for e in emulator.requests.entries()
        if e["method"] == method and contains in e["path"] and "/_emulator" not in e["path"]
    )


def test_import_reads_only_what_changed(allegro: Emulator, linked_account: Any) -> None:
    forms = [purchase(allegro) for _ in range(45)]
    for form_id in forms:
        allegro.world.clock.advance(5)
        buyer_writes(allegro, form_id, f"Pytanie o {form_id}")

    threads = len(messaging_of(allegro.world).threads)  # a buyer who bought twice has one
    assert threads > 40

    first = messages_import(account=linked_account)
    assert first["threads_changed"] == threads and first["messages_new"] == 45
    assert first["pages"] == 3  # 20 + 20 + the rest
    assert first["requests"] == 3 + threads
    assert AllegroMessageThread.objects.filter(account=linked_account).count() == threads

    allegro.requests.clear()
    nothing = messages_import(account=linked_account)
    assert nothing.get("threads_changed", 0) == 0
    assert nothing["requests"] == 1  # the first page shows nothing newer: stop
    assert calls(allegro, "GET", "/messaging/threads") == 1

    allegro.requests.clear()
    allegro.world.clock.advance(5)
    buyer_writes(allegro, forms[3], "A jednak jeszcze jedno pytanie")
    one = messages_import(account=linked_account)
    assert one["threads_changed"] == 1 and one["messages_new"] == 1
    assert one["requests"] == 2  # one page of threads, one page of that thread's new messages
    thread = AllegroMessageThread.objects.get(account=linked_account, order_form_id=forms[3])
    assert thread.messages.filter(text="A jednak jeszcze jedno pytanie").count() == 1
    assert thread.read is False and thread.waiting_since is not None

    job = job_get(IMPORT_MESSAGES_JOB)
    assert str(job.count_labels["messages_new"]) == "nowe wiadomości"
    assert import_messages(linked_account.pk).get("threads_changed", 0) == 0


def test_a_long_thread_is_read_page_by_page(allegro: Emulator, linked_account: Any) -> None:
    form_id = purchase(allegro)
    for n in range(45):
        allegro.world.clock.advance(1)
        buyer_writes(allegro, form_id, f"wiadomość {n}")
    counts = messages_import(account=linked_account)
    assert counts["messages_new"] == 45
    assert counts["requests"] == 1 + 3
    assert AllegroMessage.objects.count() == 45


def test_reply_with_attachment_sends_once_and_ends_the_wait(
    allegro: Emulator, linked_account: Any
) -> None:
    thread = imported_thread(
        allegro, linked_account, "Zdjęcie w załączniku", "a.png", "image/png", SAMPLE_PNG
    )
    (item,) = awaiting_replies()
    assert item.kind == "message" and item.url.endswith(f"/messages/{thread.pk}/")

    incoming = thread.messages.get()
    data, kind = attachment_download(attachment=incoming.attachments.get())
    assert (data, kind) == (SAMPLE_PNG, "image/png")

    allegro.requests.clear()
    files = [OutgoingFile(name="zdj.png", content_type="image/png", data=SAMPLE_PNG)]
    sent = message_reply(thread=thread, text="Wymienimy.", files=files, send_key="k1")
    again = message_reply(thread=thread, text="Wymienimy.", files=files, send_key="k1")
    assert sent.pk == again.pk
    assert calls(allegro, "POST", "/messaging/threads/") == 1
    assert calls(allegro, "POST", "/messaging/message-attachments") == 1
    assert calls(allegro, "PUT", "/messaging/message-attachments/") == 1
    thread.refresh_from_db()
    assert thread.waiting_since is None
    assert awaiting_replies() == []
    (remote,) = messaging_of(allegro.world).threads.values()
    assert [m.text for m in remote.messages] == ["Zdjęcie w załączniku", "Wymienimy."]


def test_files_allegro_refuses_are_not_sent(allegro: Emulator, linked_account: Any) -> None:
    form = imported(allegro, linked_account)
    buyer_writes(allegro, form.form_id, "Dzień dobry")
    messages_import(account=linked_account)
    thread = AllegroMessageThread.objects.get()
    allegro.requests.clear()
    for file in (
        OutgoingFile(name="a.exe", content_type="application/x-msdownload", data=b"MZ"),
        OutgoingFile(
            name="big.pdf", content_type="application/pdf", data=b"x" * (5 * 1024 * 1024 + 1)
        ),
    ):
        with pytest.raises(MessageRefused):
            message_reply(thread=thread, text="Plik", files=[file], send_key="k")
    with pytest.raises(MessageRefused):
        message_reply(thread=thread, text="x" * 2001, files=[], send_key="k")
    assert allegro.requests.entries() == []


def test_template_placeholders_come_from_the_order(allegro: Emulator, linked_account: Any) -> None:
    form = imported(allegro, linked_account)
    buyer_writes(allegro, form.form_id, "Gdzie paczka?")
    messages_import(account=linked_account)
    thread = AllegroMessageThread.objects.get()
    AllegroShipment.objects.create(form=form, carrier_id="INPOST", waybill="620000111222333")
    stored = AllegroCheckoutForm.objects.select_related("order").get(pk=form.pk)
    values = template_values(thread, stored)
    text = fill_template(
        "Dzień dobry {kupujacy}, zamówienie {numer_zamowienia}: {link_sledzenia} {inne}", values
    )
    assert stored.order is not None and stored.order.number in text
    assert "https://inpost.pl/sledzenie-przesylek?number=620000111222333" in text
    assert "{inne}" in text and "{kupujacy}" not in text


def test_hostile_text_is_escaped_and_only_http_links_are_made() -> None:
    html = buyer_text_html(
        '<script>alert(1)</script> <a href="javascript:alert(1)">x</a> https://ex.pl/a?b=1&c=<b>'
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert 'href="https://ex.pl/a?b=1&amp;c="' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_first_import_skips_threads_older_than_sixty_days(
    allegro: Emulator, linked_account: Any
) -> None:
    old = purchase(allegro)
    buyer_writes(allegro, old, "Stare", at=(timezone.now() - timedelta(days=90)).isoformat())
    new = purchase(allegro)
    buyer_writes(allegro, new, "Nowe")
    counts = messages_import(account=linked_account)
    assert counts["threads_changed"] == 1
    assert AllegroMessage.objects.get().text == "Nowe"


def test_an_unasked_notice_is_not_sent(allegro: Emulator, linked_account: Any) -> None:
    """After the answer, "parcel sent" would be the seller's own message: Allegro holds such
    messages back (#13038), so the shop explains instead of sending."""
    thread = imported_thread(allegro, linked_account, "Pytanie", "a.png", "image/png", SAMPLE_PNG)
    message_reply(thread=thread, text="Już sprawdzamy.", files=[], send_key="a")
    allegro.requests.clear()
    with pytest.raises(MessageRefused, match="nie doręczy"):
        message_reply(thread=thread, text="Paczka została wysłana.", files=[], send_key="b")
    assert allegro.requests.entries() == []
    allegro.world.clock.advance(2)
    message_reply(thread=thread, text="Czy coś jeszcze możemy zrobić?", files=[], send_key="c")
    assert calls(allegro, "POST", "/messaging/threads/") == 1


def test_buyer_words_written_before_the_answer_are_not_skipped(
    allegro: Emulator, linked_account: Any
) -> None:
    thread = imported_thread(allegro, linked_account, "Pytanie", "a.png", "image/png", SAMPLE_PNG)
    allegro.world.clock.advance(1)
    buyer_writes(allegro, thread.order_form_id, "I jeszcze jedno")  # not imported yet
    allegro.world.clock.advance(1)
    message_reply(thread=thread, text="Odpowiadamy na oba.", files=[], send_key="z")
    messages_import(account=linked_account)
    texts = list(thread.messages.order_by("created_at").values_list("text", flat=True))
    assert texts == ["Pytanie", "I jeszcze jedno", "Odpowiadamy na oba."]
