"""Pure conversions of Allegro's issues and chat messages into column values."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from allegro_api.models.issues import Issue, IssueMessage

OPEN_STATUSES = frozenset({"DISPUTE_ONGOING", "CLAIM_SUBMITTED"})
# Authors whose last word leaves the seller to answer.
_WAITING_ROLES = frozenset({"BUYER", "ADMIN"})


def issue_columns(issue: Issue) -> dict[str, Any]:
    state = issue.current_state
    chat = issue.chat
    last = chat.last_message if chat else None
    status = (state.status if state else None) or ""
    due = issue.decision_due_date or (state.status_due_date if state else None)
    return {
        "kind": issue.type or "DISPUTE",
        "status": status,
        "form_allegro_id": (issue.checkout_form.id if issue.checkout_form else None) or "",
        "buyer_login": (issue.buyer.login if issue.buyer else None) or "",
        "reference_number": issue.reference_number or "",
        "reason": (issue.reason.type if issue.reason else None) or issue.subject or "",
        "description": issue.description
        or (issue.reason.description if issue.reason else "")
        or "",
        "opened_at": issue.opened_date,
        "decision_due_at": due if issue.type == "CLAIM" else None,
        "chat_active": bool(state.chat_active)
        if state and state.chat_active is not None
        else status in OPEN_STATUSES,
        "return_required": state.return_required if state else None,
        "last_message_status": (last.status if last else None) or "",
        "last_message_at": last.created_at if last else None,
        "messages_count": (chat.messages_count if chat else None) or 0,
        "raw": issue.to_api(),
    }


def message_columns(message: IssueMessage) -> dict[str, Any]:
    author = message.author
    return {
        "role": (author.role if author else None) or "SYSTEM",
        "login": (author.login if author else None) or "",
        "text": message.text or "",
        "sent_at": message.created_at,
        "attachments": [
            {"fileName": a.file_name or "", "url": a.url or ""} for a in message.attachments
        ],
    }


def waiting_since(
    *, status: str, chat_active: bool, messages: list[tuple[str, datetime | None]]
) -> datetime | None:
    """Since when the seller owes an answer: from the first buyer (or advisor) message after the
    seller's last one, while the issue is open. ``messages``: (role, sent_at), oldest first."""
    if status not in OPEN_STATUSES or not chat_active:
        return None
    since: datetime | None = None
    for role, sent_at in messages:
        if role == "SELLER":
            since = None
        elif role in _WAITING_ROLES and since is None:
            since = sent_at
    return since


def normalized_text(text: str) -> str:
    """What is sent: line ends as ``\\n`` (a browser's ``\\r\\n`` is refused by Allegro,
    allegro/allegro-api#10801) and no surrounding blanks."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()
