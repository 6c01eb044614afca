"""Message centre (``/messaging/*``): threads, messages and their attachments."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from allegro_api.models.common import AllegroModel, IdRef, ListOrEmpty

__all__ = [
    "Interlocutor",
    "Message",
    "MessageAttachment",
    "MessageAuthor",
    "MessageRelatesTo",
    "MessagesPage",
    "Thread",
    "ThreadsPage",
]


class Interlocutor(AllegroModel):
    login: str | None = None
    avatar_url: str | None = None


class Thread(AllegroModel):
    id: str | None = None
    read: bool | None = None
    last_message_date_time: datetime | None = None
    interlocutor: Interlocutor | None = None


class ThreadsPage(AllegroModel):
    """``GET /messaging/threads``: newest ``lastMessageDateTime`` first, at most 20 a page."""

    threads: ListOrEmpty[Thread] = Field(default_factory=list)
    offset: int | None = None
    limit: int | None = None


class MessageAuthor(AllegroModel):
    login: str | None = None
    is_interlocutor: bool | None = None


class MessageRelatesTo(AllegroModel):
    offer: IdRef | None = None
    order: IdRef | None = None


class MessageAttachment(AllegroModel):
    """``status``: NEW (not yet scanned), SAFE, UNSAFE or EXPIRED (older than 6 months)."""

    file_name: str | None = None
    mime_type: str | None = None
    url: str | None = None
    status: str | None = None


class Message(AllegroModel):
    id: str | None = None
    status: str | None = None  # VERIFYING | BLOCKED | DELIVERED | INTERACTING | DISMISSED
    type: str | None = None  # ASK_QUESTION | MAIL | MESSAGE_CENTER
    created_at: datetime | None = None
    thread: IdRef | None = None
    author: MessageAuthor | None = None
    text: str | None = None
    subject: str | None = None
    relates_to: MessageRelatesTo | None = None
    has_additional_attachments: bool | None = None
    attachments: ListOrEmpty[MessageAttachment] = Field(default_factory=list)


class MessagesPage(AllegroModel):
    """``GET /messaging/threads/{id}/messages``: newest first, at most 20 a page."""

    messages: ListOrEmpty[Message] = Field(default_factory=list)
    offset: int | None = None
    limit: int | None = None
