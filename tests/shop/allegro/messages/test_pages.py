"""Wiadomości pages: list, conversation, answer form checks, attachments, templates, start page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fake_allegro import Emulator
from fake_allegro.messaging.state import SAMPLE_PDF
from shop.allegro.common import awaiting
from shop.allegro.messages.awaiting import messages_awaiting
from shop.allegro.messages.services import messages_import
from shop.allegro.models import AllegroMessageThread, MessageTemplate
from shop.backoffice.dashboard import awaiting_replies_card
from tests.shop.allegro.invoices.test_services import imported
from tests.shop.allegro.messages.test_services import buyer_writes, calls, imported_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(allegro: Emulator, linked_account: Any) -> AllegroMessageThread:
    text = "Dane firmy w załączniku <b>pilne</b>"
    return imported_thread(allegro, linked_account, text, "dane.pdf", "application/pdf", SAMPLE_PDF)


def test_list_and_thread_show_the_conversation_escaped(
    site_client: Client, thread: AllegroMessageThread
) -> None:
    page = site_client.get(reverse("allegro:messages")).content.decode()
    assert thread.interlocutor_login in page
    assert "niecałą minutę" in page
    waiting = site_client.get(reverse("allegro:messages") + "?only=waiting").content.decode()
    assert thread.interlocutor_login in waiting

    page = site_client.get(reverse("allegro:message_thread", args=[thread.pk])).content.decode()
    assert "&lt;b&gt;pilne&lt;/b&gt;" in page and "<b>pilne</b>" not in page
    assert "dane.pdf" in page
    assert 'id="linked-order"' in page


def test_attachment_is_a_download_with_a_checked_type(
    site_client: Client, thread: AllegroMessageThread
) -> None:
    attachment = thread.messages.get().attachments.get()
    response = site_client.get(
        reverse("allegro:message_attachment", args=[thread.pk, attachment.pk])
    )
    assert response.status_code == 200
    assert response.content == SAMPLE_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="dane.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_refused_file_is_explained_and_nothing_is_sent(
    allegro: Emulator, site_client: Client, thread: AllegroMessageThread
) -> None:
    allegro.requests.clear()
    response = site_client.post(
        reverse("allegro:message_thread", args=[thread.pk]),
        {
            "text": "W załączniku program",
            "send_key": "a" * 32,
            "attachments": SimpleUploadedFile(
                "a.exe", b"MZ", content_type="application/x-msdownload"
            ),
        },
    )
    assert response.status_code == 200
    assert "Allegro przyjmuje tylko obrazy" in response.content.decode()
    assert allegro.requests.entries() == []


def test_answer_marks_the_wait_done_and_read_flag(
    allegro: Emulator, site_client: Client, thread: AllegroMessageThread
) -> None:
    response = site_client.post(
        reverse("allegro:message_thread", args=[thread.pk]),
        {"text": "Dziękujemy, faktura będzie w zamówieniu.", "send_key": "b" * 32},
    )
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.waiting_since is None and thread.read is True
    assert calls(allegro, "POST", "/messaging/threads/") == 1
    buyer_writes(allegro, thread.order_form_id, "Jeszcze pytanie")
    messages_import(account=thread.account)
    thread.refresh_from_db()
    assert thread.read is False
    site_client.post(reverse("allegro:message_thread_read", args=[thread.pk]))
    thread.refresh_from_db()
    assert thread.read is True
    assert calls(allegro, "PUT", "/read") == 1


def test_templates_page_saves_and_the_order_page_lists_threads(
    site_client: Client, thread: AllegroMessageThread
) -> None:
    site_client.post(
        reverse("allegro:message_templates"),
        {"name": "Faktura", "text": "Dzień dobry {kupujacy}, faktura do {numer_zamowienia}."},
    )
    assert MessageTemplate.objects.get().name == "Faktura"
    page = site_client.get(reverse("allegro:message_thread", args=[thread.pk])).content.decode()
    assert "faktura do A/" in page
    form_pk = thread.account.checkout_forms.get(form_id=thread.order_form_id).pk
    order_page = site_client.get(reverse("allegro:order_detail", args=[form_pk])).content.decode()
    assert 'id="order-messages"' in order_page
    assert "&lt;b&gt;pilne&lt;/b&gt;" in order_page


def test_start_page_card_puts_what_is_due_today_first(
    thread: AllegroMessageThread, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = timezone.now()

    def claims(moment: Any) -> list[awaiting.AwaitingReply]:
        return [
            awaiting.AwaitingReply(
                kind="claim",
                title="Reklamacja 1",
                url="/x/",
                waiting_since=now - timedelta(hours=2),
                deadline=now + timedelta(minutes=30),
            )
        ]

    monkeypatch.setitem(awaiting._SOURCES, "claim", claims)
    card = awaiting_replies_card()
    assert card.count == 2
    assert card.rows[0].label == "Reklamacja 1"
    assert card.rows[0].late is True and "odpowiedz do" in card.rows[0].note
    assert card.rows[1].late is False and "niecałą minutę" in card.rows[1].note


def test_list_and_guard_do_not_grow_with_threads(
    allegro: Emulator,
    site_client: Client,
    thread: AllegroMessageThread,
    django_assert_max_num_queries: Any,
) -> None:
    def list_queries() -> int:
        site_client.get(reverse("allegro:messages"))  # the schedule is ensured once
        with CaptureQueriesContext(connection) as captured:
            assert site_client.get(reverse("allegro:messages")).status_code == 200
        # The menu's other badges count other things; these are the queries of this page.
        return sum("allegromessage" in q["sql"] for q in captured.captured_queries)

    def more_threads(count: int) -> None:
        for _ in range(count):
            form = imported(allegro, thread.account)
            buyer_writes(allegro, form.form_id, "Kolejne pytanie")
        messages_import(account=thread.account)

    more_threads(1)
    few = list_queries()
    more_threads(5)
    assert AllegroMessageThread.objects.count() >= 5
    assert list_queries() == few
    # One query per source of the response-time guard, the messages' own included.
    with django_assert_max_num_queries(1):
        assert len(list(messages_awaiting(timezone.now()))) >= 5
    with django_assert_max_num_queries(len(awaiting._SOURCES)):
        assert len(awaiting.awaiting_replies()) >= 5
