"""``/sale/issues``: the seller's discussions and complaints (a beta resource).

What Allegro refuses, with the codes it answers (allegro/allegro-api issues):

* an unknown issue or one of another seller: 404 ``POST_PURCHASE_ISSUE_NOT_FOUND`` (#12168);
* a message in a closed issue (``chatActive`` false): 409 ``DISPUTE_ALREADY_RESOLVED``
  (#12635; the spec's 409 "Dispute is in a state that forbids adding new messages"; the
  ``chatActive`` flag that announces it came in #12765);
* a message with neither text nor attachments: 422 (the spec's description);
* ``END_REQUEST`` in a claim, or a return type in a dispute: 422 (the spec's ``type``);
* a status change of a dispute: 400 (the spec: "Not a valid operation for disputes");
* a status change of a claim already decided or past its deadline: 400;
* ``ACCEPTED_PARTIAL_REFUND`` without ``partialRefund``: 400 (#11929, staff answer).
* attachments: a file over ``MAX_ATTACHMENT_BYTES`` 413 (the spec's "File is too big"; the
  limit is not published, 5 MB here), a type other than the spec's images and PDF 415 (checked
  by the request validation), a file whose size differs from its declaration, a second upload
  to the one-time address, or a message naming an attachment not uploaded (or already used):
  422. Downloading an attachment that is unknown, not uploaded yet or another seller's: 404
  (the spec's only refusal besides 401/403).

The codes of the 422s and 400s are not documented; the ones used here are descriptive.
"""

from __future__ import annotations

from typing import Any

from fake_allegro.errors import ApiError
from fake_allegro.issues.state import (
    StoredAttachment,
    StoredIssue,
    StoredIssueMessage,
    issues_of,
)
from fake_allegro.routing import Call, Reply, endpoint

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
RETURN_TYPES = frozenset(
    {"RETURN_REQUIRED_SELLER_LABEL", "RETURN_REQUIRED_CUSTOM", "RETURN_NOT_REQUIRED"}
)


def _error(status: int, code: str, message: str, path: str) -> ApiError:
    return ApiError.one(status, code, message, path=path, user_message=message)


def _issue(call: Call) -> StoredIssue:
    seller = call.require_seller()
    state = issues_of(call.world)
    state.expire(call.world.now())
    issue = state.issues.get(call.params["issueId"])
    if issue is None or issue.seller_id != seller.id:
        raise _error(
            404,
            "POST_PURCHASE_ISSUE_NOT_FOUND",
            "Post-purchase problem not found",
            call.request.path,
        )
    return issue


@endpoint("GET", "/sale/issues")
def list_issues(call: Call) -> dict[str, Any]:
    seller = call.require_seller()
    state = issues_of(call.world)
    state.expire(call.world.now())
    found = state.seller_issues(seller.id)
    form_id = call.query.get("checkoutForm.id")
    if form_id:
        found = [i for i in found if i.form_id == form_id]
    statuses = set(call.query.getlist("status"))
    if statuses:
        found = [i for i in found if i.status in statuses]
    offset = int(call.query.get("offset", 0))
    limit = int(call.query.get("limit", 10))
    return {"issues": [i.as_json() for i in found[offset : offset + limit]]}


@endpoint("GET", "/sale/issues/{issueId}")
def get_issue(call: Call) -> dict[str, Any]:
    return _issue(call).as_json()


@endpoint("GET", "/sale/issues/{issueId}/chat")
def get_chat(call: Call) -> dict[str, Any]:
    issue = _issue(call)
    offset = int(call.query.get("offset", 0))
    limit = int(call.query.get("limit", 10))
    return {"chat": [m.as_json() for m in issue.messages[offset : offset + limit]]}


@endpoint("POST", "/sale/issues/{issueId}/message")
def add_message(call: Call) -> Reply:
    issue = _issue(call)
    seller = call.require_seller()
    path = call.request.path
    body = call.body() or {}
    text = str(body.get("text") or "")
    kind = str(body.get("type") or "REGULAR")
    if not text.strip() and not body.get("attachments"):
        raise _error(422, "VALIDATION_ERROR", "Message must have a text or an attachment", path)
    if not issue.chat_active:
        raise _error(409, "DISPUTE_ALREADY_RESOLVED", "Dispute is already resolved", path)
    if kind == "END_REQUEST" and issue.type != "DISPUTE":
        raise _error(422, "INVALID_MESSAGE_TYPE", "END_REQUEST is allowed only in disputes", path)
    if kind in RETURN_TYPES and issue.type != "CLAIM":
        raise _error(422, "INVALID_MESSAGE_TYPE", f"{kind} is allowed only in claims", path)
    state = issues_of(call.world)
    attached: list[StoredAttachment] = []
    for ref in body.get("attachments") or []:
        found = state.attachments.get(str((ref or {}).get("id")))
        if found is None or found.seller_id != seller.id or found.content is None or found.used:
            raise _error(422, "ATTACHMENT_NOT_FOUND", "Attachment was not uploaded", path)
        attached.append(found)
    now = call.world.now()
    message = StoredIssueMessage(
        state.new_id(), text, "SELLER", seller.login, now, kind, attachments=attached
    )
    for found in attached:
        found.used = True
    issue.messages.append(message)
    if kind in RETURN_TYPES:
        issue.return_required = kind != "RETURN_NOT_REQUIRED"
    state.seller_messages += 1
    return Reply(201, message.as_json())


@endpoint("POST", "/sale/issues/{issueId}/status")
def change_status(call: Call) -> Reply:
    issue = _issue(call)
    seller = call.require_seller()
    path = call.request.path
    if issue.type != "CLAIM":
        raise _error(400, "NOT_A_CLAIM", "Status can be changed only for claims", path)
    if issue.status != "CLAIM_SUBMITTED":
        raise _error(400, "CLAIM_ALREADY_DECIDED", "The claim has already been decided", path)
    body = call.body() or {}
    status = str(body.get("status"))
    if status == "ACCEPTED_PARTIAL_REFUND" and not body.get("partialRefund"):
        raise _error(
            400,
            "PARTIAL_REFUND_REQUIRED",
            "partialRefund is required for ACCEPTED_PARTIAL_REFUND",
            path,
        )
    state = issues_of(call.world)
    now = call.world.now()
    issue.status = "CLAIM_ACCEPTED" if status.startswith("ACCEPTED_") else "CLAIM_REJECTED"
    issue.messages.append(
        StoredIssueMessage(
            state.new_id(), str(body.get("message") or ""), "SELLER", seller.login, now, status
        )
    )
    state.status_changes += 1
    return Reply(200, None)


@endpoint("POST", "/sale/issues/attachments")
def declare_attachment(call: Call) -> Reply:
    seller = call.require_seller()
    body = call.body() or {}
    state = issues_of(call.world)
    attachment = StoredAttachment(
        id=state.new_id(),
        seller_id=seller.id,
        file_name=str(body.get("fileName") or ""),
        size=int(body.get("size") or 0),
    )
    state.attachments[attachment.id] = attachment
    location = f"{call.world.public_url}/sale/issues/attachments/{attachment.id}"
    return Reply(201, {"id": attachment.id}, headers={"Location": location})


@endpoint("PUT", "/sale/issues/attachments/{attachmentId}")
def upload_attachment(call: Call) -> Reply:
    seller = call.require_seller()
    path = call.request.path
    attachment = issues_of(call.world).attachments.get(call.params["attachmentId"])
    if attachment is None or attachment.seller_id != seller.id:
        raise _error(404, "ATTACHMENT_NOT_FOUND", "Attachment not found", path)
    data = call.request.get_data(cache=True)
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise _error(413, "FILE_TOO_BIG", "File is too big", path)
    if attachment.content is not None:
        raise _error(422, "ATTACHMENT_ALREADY_UPLOADED", "Attachment was already uploaded", path)
    if len(data) != attachment.size:
        raise _error(
            422, "ATTACHMENT_SIZE_MISMATCH", "File size differs from the declaration", path
        )
    attachment.content = bytes(data)
    attachment.content_type = call.request.mimetype
    return Reply(200, {"id": attachment.id})


@endpoint("GET", "/sale/issues/attachments/{attachmentId}")
def download_attachment(call: Call) -> Reply:
    """The bytes of a chat attachment (the buyer's or the seller's), in the type it was uploaded
    with; the spec documents the answer as ``*/*``."""
    seller = call.require_seller()
    attachment = issues_of(call.world).attachments.get(call.params["attachmentId"])
    if attachment is None or attachment.seller_id != seller.id or attachment.content is None:
        raise _error(404, "ATTACHMENT_NOT_FOUND", "Attachment not found", call.request.path)
    name = attachment.file_name.replace('"', "")
    return Reply(
        200,
        attachment.content,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
        content_type=attachment.content_type or "application/octet-stream",
    )
