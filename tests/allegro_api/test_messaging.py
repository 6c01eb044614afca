"""Message centre: threads, messages with cursors, replies, attachments, and what Allegro refuses."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from allegro_api import AllegroClient, Unprocessable
from allegro_api._exceptions import AllegroAPIError
from fake_allegro import Emulator
from tests.allegro_api.allegro_client_support import FakeTime, RequestAudit

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8ffff3f0005fe02fea7d6a4a90000000049454e44ae426082"
)


def control(emulator: Emulator, path: str, **data: Any) -> dict[str, Any]:
    with emulator.http_client() as http:
        response = http.post(f"/_emulator{path}", json=data)
    assert response.status_code == 201, response.text
    return dict(response.json())


def buyer_writes(emulator: Emulator, form_id: str, text: str, **data: Any) -> dict[str, Any]:
    return control(emulator, "/messages", checkoutFormId=form_id, text=text, **data)


def purchase(emulator: Emulator) -> str:
    return str(control(emulator, "/purchases", synthetic=True)["checkoutFormIds"][0])


def test_threads_page_newest_first_and_messages_by_cursor(
    client: AllegroClient, emulator: Emulator, fake_time: FakeTime
) -> None:
    forms = [purchase(emulator) for _ in range(3)]
    for form_id in forms:
        fake_time.advance(10)
        buyer_writes(emulator, form_id, f"Pytanie o {form_id}")
    threads = client.messaging.threads(limit=2)
    assert len(threads.threads) == 2
    rest = client.messaging.threads(limit=2, offset=2)
    assert len(rest.threads) == 1
    ordered = [t.last_message_date_time for t in threads.threads + rest.threads]
    assert ordered == sorted(ordered, reverse=True)

    thread_id = threads.threads[0].id or ""
    for n in range(24):
        fake_time.advance(1)
        buyer_writes(emulator, forms[-1], f"wiadomość {n}")
    everything = list(client.messaging.iter_messages(thread_id))
    assert len(everything) == 25
    assert everything[0].text == "wiadomość 23"
    newer = list(client.messaging.iter_messages(thread_id, after=everything[2].created_at))
    assert [m.text for m in newer] == ["wiadomość 23", "wiadomość 22"]
    assert everything[-1].relates_to is not None and everything[-1].relates_to.order is not None
    assert everything[-1].relates_to.order.id == forms[-1]


def test_reply_mark_read_and_attachment_round_trip(
    client: AllegroClient, emulator: Emulator, fake_time: FakeTime
) -> None:
    form_id = purchase(emulator)
    sent = buyer_writes(
        emulator,
        form_id,
        "Zdjęcie w załączniku",
        attachments=[
            {
                "fileName": "a.png",
                "mimeType": "image/png",
                "contentBase64": base64.b64encode(PNG).decode(),
            }
        ],
    )
    thread = client.messaging.thread(sent["threadId"])
    assert thread.read is False
    assert client.messaging.mark_read(sent["threadId"]).read is True

    (incoming,) = client.messaging.messages(sent["threadId"]).messages
    url = incoming.attachments[0].url or ""
    data, content_type = client.messaging.download_attachment(url.rsplit("/", 1)[-1])
    assert (data, content_type) == (PNG, "image/png")

    attachment_id = client.messaging.declare_attachment(file_name="zdjecie.png", size=len(PNG))
    client.messaging.upload_attachment(attachment_id, PNG, content_type="image/png")
    reply = client.messaging.reply(
        sent["threadId"], text="Dziękujemy, wymienimy produkt.", attachment_ids=[attachment_id]
    )
    assert reply.status == "DELIVERED"
    assert reply.author is not None and reply.author.is_interlocutor is False
    assert [a.file_name for a in reply.attachments] == ["zdjecie.png"]
    assert client.messaging.message(reply.id or "").text == "Dziękujemy, wymienimy produkt."


def test_refusals(
    client: AllegroClient, emulator: Emulator, fake_time: FakeTime, audit: RequestAudit
) -> None:
    audit.allow(404, 413, 415, 422, 429)
    form_id = purchase(emulator)
    sent = buyer_writes(emulator, form_id, "Dzień dobry")
    thread_id = sent["threadId"]

    with pytest.raises(AllegroAPIError) as declared:
        client.messaging.declare_attachment(file_name="program.exe", size=10)
    assert declared.value.status == 415
    attachment_id = client.messaging.declare_attachment(file_name="plik.pdf", size=10)
    with pytest.raises(AllegroAPIError) as charset:  # allegro/allegro-api#5760
        client.messaging.upload_attachment(
            attachment_id, b"%PDF-1.4\n", content_type="application/pdf;charset=UTF-8"
        )
    assert charset.value.status == 415 and "UNSUPPORTED_MIME_TYPE" in charset.value.codes
    with pytest.raises(AllegroAPIError) as too_big:
        client.messaging.upload_attachment(
            attachment_id, b"%PDF-" + b"x" * 20, content_type="application/pdf"
        )
    assert too_big.value.status == 413
    with pytest.raises(Unprocessable):  # declared but never uploaded
        client.messaging.reply(thread_id, text="Plik", attachment_ids=[attachment_id])
    with pytest.raises(Unprocessable):
        client.messaging.reply(thread_id, text="   ")
    with pytest.raises(Unprocessable):  # the order is not this recipient's (#10383)
        client.messaging.send(recipient_login="ktos-inny", order_id=form_id, text="Dzień dobry")
    with pytest.raises(Unprocessable):
        client.messaging.messages(thread_id, offset=1, before=fake_time.datetime())


def test_seller_started_duplicate_of_allegro_notice_is_held_back(
    client: AllegroClient, emulator: Emulator, fake_time: FakeTime
) -> None:
    """#13038: a seller-started "order sent" note is not delivered; an answer to the buyer is."""
    form_id = purchase(emulator)
    sent = buyer_writes(emulator, form_id, "Kiedy wysyłka?")
    answer = client.messaging.reply(sent["threadId"], text="Paczka została wysłana dziś.")
    assert answer.status == "DELIVERED"
    fake_time.advance(2)
    again = client.messaging.reply(
        sent["threadId"], text="Paczka została wysłana, numer przesyłki 123."
    )
    assert again.status == "BLOCKED"
