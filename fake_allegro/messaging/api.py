"""Message centre endpoints (``/messaging/*``) and their control API.

What Allegro refuses, with the codes it answers (allegro/allegro-api issues):

* a new conversation without ``order.id``, or with an order that is not the recipient's:
  422 ``VALIDATION_ERROR`` on path ``order`` (required since 2025-02-28, #10383, #11093, #11894);
* a blank text: 422 ``VALIDATION_ERROR`` (the spec; over 2000 characters the spec check refuses);
* more than one message a second from a seller: 429 (the spec: "rate limited to 1 request per
  second for a user");
* an attachment whose name is not an image or PDF: 415 at declaration (the spec); a file sent
  with another ``Content-Type``, or with a parameter such as ``;charset=UTF-8``: 415
  ``UNSUPPORTED_MIME_TYPE`` on path ``attachment.filename`` (#5760); more bytes than declared or
  than 5 MB: 413 (the spec; 5 MB confirmed in #8750);
* an attachment that was never uploaded, belongs to someone else or was already sent:
  422 ``VALIDATION_ERROR``;
* ``before`` together with ``offset``: 422 (the spec);
* a thread, message or attachment of another account: 404.

Since 2 March 2026 Allegro does not deliver messages the seller starts that repeat its own
notifications — an invoice or receipt, "payment received", "order sent", parcel status, a
request for a rating (#12176, postponed in #12437, dated in #13038). Answers inside a
conversation the buyer started are not affected. Allegro accepts the request and holds the
message back; the emulator answers 201 with ``status: BLOCKED`` for such a message written
when the buyer has not written since the seller's last message.
"""

from __future__ import annotations

import base64
import re
from datetime import datetime, timedelta
from typing import Any

from fake_allegro.control import bad, control, json_body, ok, seller_of
from fake_allegro.errors import ApiError
from fake_allegro.messaging.state import (
    StoredAttachment,
    StoredMessage,
    StoredThread,
    buyer_writes,
    message_json,
    messaging_of,
    simulate_buyer_messages,
    thread_json,
    to_millis,
)
from fake_allegro.orders.state import orders_of, parse_time
from fake_allegro.routing import Call, Reply, endpoint

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MIME_TYPES = {
    "png": "image/png",
    "gif": "image/gif",
    "bmp": "image/bmp",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "pdf": "application/pdf",
}
POST_INTERVAL = timedelta(seconds=1)
# What Allegro's own notifications already tell the buyer (#13038), in Polish sellers' words.
_DUPLICATING = re.compile(
    r"faktur|paragon|wpłat|zapłat|wysłan|nadan|numer przesyłki|śledzeni|status przesyłki|"
    r"wystaw(?:ić|ienie)? (?:ocen|komentarz|opini)|ocen[ęy] transakcji",
    re.IGNORECASE,
)


def _validation(
    message: str, path: str, status: int = 422, code: str = "VALIDATION_ERROR"
) -> ApiError:
    return ApiError.one(status, code, message, path=path, user_message=message)


def _not_found(what: str, ident: str) -> ApiError:
    return ApiError.one(
        404, "NOT_FOUND", f"{what} {ident} not found", user_message="Nie znaleziono."
    )


def _thread(call: Call) -> StoredThread:
    seller = call.require_seller()
    thread = messaging_of(call.world).threads.get(call.params["threadId"])
    if thread is None or thread.seller_id != seller.id:
        raise _not_found("Thread", call.params["threadId"])
    return thread


def _int(call: Call, name: str, default: int) -> int:
    value = call.query.get(name)
    return int(value) if value is not None else default


@endpoint("GET", "/messaging/threads")
def list_threads(call: Call) -> dict[str, Any]:
    seller = call.require_seller()
    limit, offset = _int(call, "limit", 20), _int(call, "offset", 0)
    threads = messaging_of(call.world).threads_of(seller.id)[offset : offset + limit]
    return {"threads": [thread_json(t) for t in threads], "offset": offset, "limit": limit}


@endpoint("GET", "/messaging/threads/{threadId}")
def get_thread(call: Call) -> dict[str, Any]:
    return thread_json(_thread(call))


@endpoint("PUT", "/messaging/threads/{threadId}/read")
def mark_read(call: Call) -> dict[str, Any]:
    thread = _thread(call)
    body = call.body() or {}
    thread.read = bool(body.get("read"))
    return thread_json(thread)


@endpoint("GET", "/messaging/threads/{threadId}/messages")
def list_messages(call: Call) -> dict[str, Any]:
    thread = _thread(call)
    query = call.query
    if "before" in query and "offset" in query:
        raise _validation("Parameter before cannot be used with offset", "before")
    limit, offset = _int(call, "limit", 20), _int(call, "offset", 0)
    before = parse_time(query["before"]) if "before" in query else None
    after = parse_time(query["after"]) if "after" in query else None
    chosen = [
        m
        for m in reversed(thread.messages)
        if (before is None or m.created_at < before) and (after is None or m.created_at > after)
    ][offset : offset + limit]
    return {
        "messages": [message_json(call.world, m) for m in chosen],
        "offset": offset,
        "limit": limit,
    }


@endpoint("GET", "/messaging/messages/{messageId}")
def get_message(call: Call) -> dict[str, Any]:
    seller = call.require_seller()
    state = messaging_of(call.world)
    message = state.messages.get(call.params["messageId"])
    if message is None or state.threads[message.thread_id].seller_id != seller.id:
        raise _not_found("Message", call.params["messageId"])
    return message_json(call.world, message)


def _text(body: dict[str, Any]) -> str:
    text = str(body.get("text") or "")
    if not text.strip():
        raise _validation("Text must not be blank", "text")
    return text


def _attachments(call: Call, body: dict[str, Any]) -> list[str]:
    seller = call.require_seller()
    state = messaging_of(call.world)
    ids: list[str] = []
    for item in body.get("attachments") or []:
        attachment = state.attachments.get(str(item.get("id")))
        if (
            attachment is None
            or attachment.owner_id != seller.id
            or attachment.content is None
            or attachment.used
        ):
            raise _validation(f"Attachment {item.get('id')} cannot be used", "attachments")
        ids.append(attachment.id)
    return ids


def _throttle(call: Call) -> None:
    seller = call.require_seller()
    state = messaging_of(call.world)
    now = call.world.now()
    last = state.last_seller_post.get(seller.id)
    if last is not None and now - last < POST_INTERVAL:
        raise ApiError(
            429,
            *ApiError.one(
                429, "TOO_MANY_REQUESTS", "Too many requests", user_message="Zbyt wiele żądań."
            ).items,
            headers={"Retry-After": "1"},
        )
    state.last_seller_post[seller.id] = now


def _seller_writes(
    call: Call, thread: StoredThread, body: dict[str, Any], order_id: str | None
) -> Reply:
    """Check and store the seller's message (a reply or a new conversation) and answer 201."""
    seller = call.require_seller()
    state = messaging_of(call.world)
    text = _text(body)
    attachment_ids = _attachments(call, body)
    _throttle(call)
    started_by_seller = not thread.messages or thread.messages[-1].from_seller
    pdf_sent = any(state.attachments[a].mime_type == "application/pdf" for a in attachment_ids)
    blocked = started_by_seller and (pdf_sent or _DUPLICATING.search(text) is not None)
    last_order = next((m.order_id for m in reversed(thread.messages) if m.order_id), None)
    message = StoredMessage(
        id=state.new_id(),
        thread_id=thread.id,
        author_login=seller.login,
        from_seller=True,
        text=text,
        created_at=to_millis(call.world.now()),
        order_id=order_id or last_order,
        status="BLOCKED" if blocked else "DELIVERED",
        attachment_ids=attachment_ids,
    )
    thread.read = True
    state.add_message(thread, message)
    return Reply(201, message_json(call.world, message))


@endpoint("POST", "/messaging/threads/{threadId}/messages")
def reply_in_thread(call: Call) -> Reply:
    return _seller_writes(call, _thread(call), call.body() or {}, None)


@endpoint("POST", "/messaging/messages")
def new_message(call: Call) -> Reply:
    seller = call.require_seller()
    body = call.body() or {}
    login = str((body.get("recipient") or {}).get("login") or "")
    order_id = str((body.get("order") or {}).get("id") or "")
    if not order_id:
        raise _validation("nie może mieć wartości null", "order")  # #11093
    form = orders_of(call.world).form_for(seller.id, order_id)
    if form is None or str(form.data.get("buyer", {}).get("login")) != login:
        # #10383: the order must be one of the recipient's.
        raise _validation("Order must be related to the recipient of the message", "order")
    thread = messaging_of(call.world).open_thread(seller.id, login, call.world.now())
    return _seller_writes(call, thread, body, order_id)


@endpoint("POST", "/messaging/message-attachments")
def declare_attachment(call: Call) -> Reply:
    seller = call.require_seller()
    body = call.body() or {}
    name = str(body.get("filename") or "").strip()
    if not name:
        raise _validation("Filename must not be blank", "filename")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in MIME_TYPES:
        raise _validation(
            f"Not supported or missing MIME type for {name}",
            "attachment.filename",
            415,
            "UNSUPPORTED_MIME_TYPE",
        )
    state = messaging_of(call.world)
    attachment = StoredAttachment(
        id=state.new_id(),
        owner_id=seller.id,
        file_name=name,
        size=int(body.get("size") or 0),
        declared_at=call.world.now(),
    )
    state.attachments[attachment.id] = attachment
    return Reply(201, {"id": attachment.id})


def _attachment(call: Call) -> StoredAttachment:
    seller = call.require_seller()
    state = messaging_of(call.world)
    attachment = state.attachments.get(call.params["attachmentId"])
    if attachment is None:
        raise _not_found("Attachment", call.params["attachmentId"])
    if attachment.owner_id == seller.id:
        return attachment
    for thread in state.threads_of(seller.id):
        if any(attachment.id in m.attachment_ids for m in thread.messages):
            return attachment
    raise _not_found("Attachment", call.params["attachmentId"])


@endpoint("PUT", "/messaging/message-attachments/{attachmentId}", host="upload")
def upload_attachment(call: Call) -> Reply:
    attachment = _attachment(call)
    if attachment.owner_id != call.require_seller().id:
        raise ApiError.one(403, "ACCESS_DENIED", "Access is denied")
    content_type = (call.request.content_type or "").strip().lower()
    if content_type not in MIME_TYPES.values():
        raise _validation(
            f"Not supported or missing MIME type for {attachment.id} "
            f"[filename={attachment.file_name}, mimeType={content_type}]",
            "attachment.filename",
            415,
            "UNSUPPORTED_MIME_TYPE",
        )  # #5760: a ";charset=UTF-8" suffix is refused too
    data = call.request.get_data(cache=True)
    if len(data) > MAX_ATTACHMENT_BYTES or len(data) > attachment.size:
        raise _validation("Exceeded size limit", "attachment", 413, "PAYLOAD_TOO_LARGE")
    attachment.content = bytes(data)
    attachment.mime_type = content_type
    return Reply(200, {"id": attachment.id})


@endpoint("GET", "/messaging/message-attachments/{attachmentId}")
def download_attachment(call: Call) -> Reply:
    attachment = _attachment(call)
    if attachment.content is None:
        raise _not_found("Attachment", attachment.id)
    name = attachment.file_name.replace('"', "")
    return Reply(
        200,
        attachment.content,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
        content_type=attachment.mime_type or "application/octet-stream",
    )


# -- control ---------------------------------------------------------------------------------------


@control("POST", "/messages")
def post_buyer_message(call: Call) -> Reply:
    """A buyer writes about an order: ``{"checkoutFormId", "text", "attachments": [{"fileName",
    "mimeType", "contentBase64"}], "at"}``; or ``{"count": N, "sellerLogin"}`` for simulated
    buyers writing about random orders of the seller."""
    data = json_body(call)
    world = call.world
    if "count" in data:
        seller = seller_of(call, data)
        written = simulate_buyer_messages(world, seller.id, int(data["count"]))
        return ok({"created": len(written), "messageIds": [m.id for m in written]}, 201)
    form = orders_of(world).forms.get(str(data.get("checkoutFormId")))
    if form is None:
        raise bad("unknown checkoutFormId", 404)
    text = str(data.get("text") or "")
    if not text:
        raise bad("text is required")
    files = [
        (str(f["fileName"]), str(f["mimeType"]), base64.b64decode(f["contentBase64"]))
        for f in data.get("attachments") or []
    ]
    at: datetime | None = parse_time(data["at"]) if data.get("at") else None
    message = buyer_writes(world, form, text, files=files, at=at)
    return ok({"id": message.id, "threadId": message.thread_id}, 201)


@control("GET", "/messages")
def peek_messages(call: Call) -> Reply:
    """Every thread with its messages, seller's own included (``?threadId=`` narrows)."""
    state = messaging_of(call.world)
    wanted = call.request.args.get("threadId")
    threads = [t for t in state.threads.values() if wanted in (None, t.id)]
    return ok(
        [
            {
                **thread_json(t),
                "messages": [message_json(call.world, m) for m in t.messages],
            }
            for t in threads
        ]
    )
