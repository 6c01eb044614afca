"""The message centre's state: threads between a seller and buyers, messages, attachments.

A thread is one conversation of a seller with one buyer (Allegro keeps one per pair of users);
a message may name the order and the offer it is about (``relatesTo``). Buyers write through
:func:`buyer_writes` (the buyer simulator and the control API); the seller through the API.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from fake_allegro.orders.state import StoredForm, iso, orders_of

if TYPE_CHECKING:
    from fake_allegro.world import World

#: What the simulated buyers write; a few are hostile, to keep the back office honest.
BUYER_TEXTS = (
    "Dzień dobry, kiedy wyślą Państwo moje zamówienie?",
    "Czy mogę prosić o numer przesyłki?",
    "Paczka przyszła uszkodzona, w załączniku zdjęcie.",
    "Proszę o fakturę VAT, dane firmy w załączniku.",
    "Czy produkt jest oryginalny? Zależy mi na gwarancji.",
    "Zmieniłem zdanie, czy mogę jeszcze zmienić kolor?",
    "<script>alert(1)</script> Dzień dobry, proszę o kontakt.",
    'Sprawdźcie to: <a href="javascript:alert(1)">kliknij</a> javascript:alert(2)',
    "Mój status przesyłki: https://example.com/tracking?id=1&x=<b>2</b>",
)
#: A tiny valid PNG (1x1) and PDF the simulated buyers attach.
SAMPLE_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8ffff3f0005fe02fea7d6a4a90000000049454e44ae426082"
)
SAMPLE_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class StoredAttachment:
    id: str
    owner_id: str  # the seller id, or "buyer:<login>" for what buyers send
    file_name: str
    size: int
    declared_at: datetime
    content: bytes | None = None
    mime_type: str | None = None
    used: bool = False


@dataclass
class StoredMessage:
    id: str
    thread_id: str
    author_login: str
    from_seller: bool
    text: str
    created_at: datetime
    order_id: str | None = None
    offer_id: str | None = None
    status: str = "DELIVERED"
    attachment_ids: list[str] = field(default_factory=list)


@dataclass
class StoredThread:
    id: str
    seller_id: str
    buyer_login: str
    created_at: datetime
    read: bool = False
    messages: list[StoredMessage] = field(default_factory=list)  # oldest first

    @property
    def last_message_at(self) -> datetime:
        return self.messages[-1].created_at if self.messages else self.created_at


@dataclass
class MessagingState:
    threads: dict[str, StoredThread] = field(default_factory=dict)
    messages: dict[str, StoredMessage] = field(default_factory=dict)
    attachments: dict[str, StoredAttachment] = field(default_factory=dict)
    last_seller_post: dict[str, datetime] = field(default_factory=dict)  # by seller id
    rng: random.Random = field(default_factory=random.Random)

    def new_id(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"

    def threads_of(self, seller_id: str) -> list[StoredThread]:
        """Newest activity first, as ``GET /messaging/threads`` lists them."""
        mine = [t for t in self.threads.values() if t.seller_id == seller_id]
        return sorted(mine, key=lambda t: (t.last_message_at, t.id), reverse=True)

    def thread_with(self, seller_id: str, buyer_login: str) -> StoredThread | None:
        for thread in self.threads.values():
            if thread.seller_id == seller_id and thread.buyer_login == buyer_login:
                return thread
        return None

    def open_thread(self, seller_id: str, buyer_login: str, now: datetime) -> StoredThread:
        thread = self.thread_with(seller_id, buyer_login)
        if thread is None:
            thread = StoredThread(
                id=self.new_id(), seller_id=seller_id, buyer_login=buyer_login, created_at=now
            )
            self.threads[thread.id] = thread
        return thread

    def add_message(self, thread: StoredThread, message: StoredMessage) -> StoredMessage:
        thread.messages.append(message)
        self.messages[message.id] = message
        for attachment_id in message.attachment_ids:
            self.attachments[attachment_id].used = True
        return message


def to_millis(moment: datetime) -> datetime:
    """Allegro keeps message times to the millisecond; ``after``/``before`` compare at that."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def messaging_of(world: World) -> MessagingState:
    if world.messaging is None:
        world.messaging = MessagingState(rng=random.Random(f"messaging-{world.seed}"))
    state: MessagingState = world.messaging
    return state


def attachment_json(world: World, attachment: StoredAttachment) -> dict[str, Any]:
    return {
        "fileName": attachment.file_name,
        "mimeType": attachment.mime_type,
        "url": f"{world.public_url}/messaging/message-attachments/{attachment.id}",
        "status": "SAFE",
    }


def message_json(world: World, message: StoredMessage) -> dict[str, Any]:
    state = messaging_of(world)
    relates: dict[str, Any] = {}
    if message.order_id:
        relates["order"] = {"id": message.order_id}
    if message.offer_id:
        relates["offer"] = {"id": message.offer_id}
    return {
        "id": message.id,
        "status": message.status,
        "type": "MESSAGE_CENTER",
        "createdAt": iso(message.created_at),
        "thread": {"id": message.thread_id},
        "author": {"login": message.author_login, "isInterlocutor": not message.from_seller},
        "text": message.text,
        "subject": None,
        "relatesTo": relates,
        "hasAdditionalAttachments": False,
        "attachments": [
            attachment_json(world, state.attachments[a]) for a in message.attachment_ids
        ],
    }


def thread_json(thread: StoredThread) -> dict[str, Any]:
    return {
        "id": thread.id,
        "read": thread.read,
        "lastMessageDateTime": iso(thread.last_message_at),
        "interlocutor": {
            "login": thread.buyer_login,
            "avatarUrl": "https://a.allegroimg.com/original/avatar/default",
        },
    }


def buyer_writes(
    world: World,
    form: StoredForm,
    text: str,
    *,
    files: list[tuple[str, str, bytes]] = (),  # type: ignore[assignment]
    at: datetime | None = None,
) -> StoredMessage:
    """The buyer of ``form`` writes to its seller about it (``files``: name, type, bytes)."""
    state = messaging_of(world)
    now = to_millis(at or world.now())
    login = str(form.data["buyer"]["login"])
    thread = state.open_thread(form.seller_id, login, now)
    attachment_ids: list[str] = []
    for name, mime_type, content in files:
        attachment = StoredAttachment(
            id=state.new_id(),
            owner_id=f"buyer:{login}",
            file_name=name,
            size=len(content),
            declared_at=now,
            content=content,
            mime_type=mime_type,
        )
        state.attachments[attachment.id] = attachment
        attachment_ids.append(attachment.id)
    items = form.data.get("lineItems") or []
    offer_id = str(items[0]["offer"]["id"]) if items else None
    message = StoredMessage(
        id=state.new_id(),
        thread_id=thread.id,
        author_login=login,
        from_seller=False,
        text=text,
        created_at=now,
        order_id=form.id,
        offer_id=offer_id,
        attachment_ids=attachment_ids,
    )
    thread.read = False
    return state.add_message(thread, message)


def simulate_buyer_messages(world: World, seller_id: str, count: int) -> list[StoredMessage]:
    """``count`` buyers write about their orders: some attach a photo or a PDF, some are
    hostile (a script tag, a ``javascript:`` link)."""
    state = messaging_of(world)
    rng = state.rng
    forms = [f for f in orders_of(world).forms.values() if f.seller_id == seller_id]
    written: list[StoredMessage] = []
    if not forms:
        return written
    for _ in range(count):
        form = forms[rng.randrange(len(forms))]
        text = BUYER_TEXTS[rng.randrange(len(BUYER_TEXTS))]
        files: list[tuple[str, str, bytes]] = []
        if "załącznik" in text:
            files = (
                [("zdjecie.png", "image/png", SAMPLE_PNG)]
                if "zdjęcie" in text
                else [("dane-firmy.pdf", "application/pdf", SAMPLE_PDF)]
            )
        written.append(buyer_writes(world, form, text, files=files))
    return written
