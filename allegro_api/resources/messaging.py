"""Message centre: threads, messages, attachments (declare, then upload the bytes)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

from allegro_api._serialize import path_segment
from allegro_api.models.common import IdRef
from allegro_api.models.messaging import Message, MessagesPage, Thread, ThreadsPage
from allegro_api.resources._base import Resource

__all__ = [
    "ATTACHMENT_MIME_TYPES",
    "MAX_ATTACHMENT_BYTES",
    "MAX_MESSAGE_LENGTH",
    "MAX_PAGE",
    "MessagingResource",
    "iso_millis",
]

#: ``limit`` of both lists is at most 20.
MAX_PAGE = 20
#: ``NewMessage.text``/``NewMessageInThread.text`` ``maxLength``.
MAX_MESSAGE_LENGTH = 2000
#: ``NewAttachmentDeclaration.size`` ``maximum`` (5 MB, confirmed in allegro/allegro-api#8750).
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
#: The only ``Content-Type`` values ``PUT /messaging/message-attachments/{id}`` accepts.
ATTACHMENT_MIME_TYPES = (
    "image/png",
    "image/gif",
    "image/bmp",
    "image/tiff",
    "image/jpeg",
    "application/pdf",
)


def iso_millis(moment: datetime) -> str:
    """The cursor form Allegro shows in the spec: UTC with milliseconds and ``Z``."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class MessagingResource(Resource):
    """``/messaging/threads``, ``/messaging/messages`` and ``/messaging/message-attachments``."""

    def threads(self, *, limit: int = MAX_PAGE, offset: int = 0) -> ThreadsPage:
        """One page of threads, the most recently active first."""
        return self._r.get_model(
            ThreadsPage, "/messaging/threads", params={"limit": limit, "offset": offset}
        )

    def iter_threads(self, *, limit: int = MAX_PAGE) -> Iterator[Thread]:
        """All threads, newest activity first; the caller stops when it has seen enough."""
        offset = 0
        while True:
            page = self.threads(limit=limit, offset=offset)
            yield from page.threads
            if len(page.threads) < limit:
                return
            offset += len(page.threads)

    def thread(self, thread_id: str) -> Thread:
        return self._r.get_model(Thread, f"/messaging/threads/{path_segment(thread_id)}")

    def mark_read(self, thread_id: str, *, read: bool = True) -> Thread:
        """Setting the flag twice is harmless, so the call may be retried."""
        data = self._r.send_json(
            "PUT",
            f"/messaging/threads/{path_segment(thread_id)}/read",
            {"read": read},
            retry_safe=True,
        )
        return self._parse(Thread, data)

    def messages(
        self,
        thread_id: str,
        *,
        limit: int = MAX_PAGE,
        offset: int | None = None,
        before: datetime | None = None,
        after: datetime | None = None,
    ) -> MessagesPage:
        """One page of a thread's messages, newest first.

        ``before``/``after`` are exclusive creation-time cursors; ``before`` cannot be combined
        with ``offset`` (the spec).
        """
        params: dict[str, object] = {"limit": limit}
        if offset is not None:
            params["offset"] = offset
        if before is not None:
            params["before"] = iso_millis(before)
        if after is not None:
            params["after"] = iso_millis(after)
        return self._r.get_model(
            MessagesPage, f"/messaging/threads/{path_segment(thread_id)}/messages", params=params
        )

    def iter_messages(self, thread_id: str, *, after: datetime | None = None) -> Iterator[Message]:
        """Messages newer than ``after`` (all when ``None``), newest first, paged by ``before``."""
        before: datetime | None = None
        while True:
            page = self.messages(thread_id, before=before, after=after)
            yield from page.messages
            if len(page.messages) < MAX_PAGE:
                return
            oldest = page.messages[-1].created_at
            if oldest is None:
                return
            before = oldest

    def message(self, message_id: str) -> Message:
        return self._r.get_model(Message, f"/messaging/messages/{path_segment(message_id)}")

    def reply(self, thread_id: str, *, text: str, attachment_ids: Sequence[str] = ()) -> Message:
        """Write in an existing thread. Never retried after an ambiguous failure: the buyer
        would read the answer twice; the caller looks at the thread before trying again."""
        body: dict[str, object] = {"text": text}
        if attachment_ids:
            body["attachments"] = [{"id": a} for a in attachment_ids]
        data = self._r.send_json(
            "POST", f"/messaging/threads/{path_segment(thread_id)}/messages", body
        )
        return self._parse(Message, data)

    def send(
        self,
        *,
        recipient_login: str,
        order_id: str,
        text: str,
        attachment_ids: Sequence[str] = (),
    ) -> Message:
        """Start a conversation about an order (``order.id`` required since 2025-02-28,
        allegro/allegro-api#10383)."""
        body: dict[str, object] = {
            "recipient": {"login": recipient_login},
            "order": {"id": order_id},
            "text": text,
        }
        if attachment_ids:
            body["attachments"] = [{"id": a} for a in attachment_ids]
        return self._parse(Message, self._r.send_json("POST", "/messaging/messages", body))

    def declare_attachment(self, *, file_name: str, size: int) -> str:
        """Declare an attachment; the bytes follow with :meth:`upload_attachment`."""
        data = self._r.send_json(
            "POST", "/messaging/message-attachments", {"filename": file_name, "size": size}
        )
        return self._parse(IdRef, data).id or ""

    def upload_attachment(self, attachment_id: str, data: bytes, *, content_type: str) -> None:
        """Send the raw bytes (one of :data:`ATTACHMENT_MIME_TYPES`, without parameters such as
        ``;charset=`` — allegro/allegro-api#5760 got 415 ``UNSUPPORTED_MIME_TYPE`` for that)."""
        self._r.request(
            "PUT",
            f"/messaging/message-attachments/{path_segment(attachment_id)}",
            host="upload",
            content=data,
            content_type=content_type,
            retry_safe=True,
        )

    def download_attachment(self, attachment_id: str) -> tuple[bytes, str]:
        """The file and the content type Allegro names for it."""
        response = self._r.request(
            "GET", f"/messaging/message-attachments/{path_segment(attachment_id)}"
        )
        return response.content, response.headers.get("Content-Type", "")
