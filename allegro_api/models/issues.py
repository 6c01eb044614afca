"""Discussions and complaints after a purchase (``/sale/issues``, beta)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from allegro_api.models.common import AllegroModel, ListOrEmpty

__all__ = [
    "ISSUE_STATUSES",
    "ClaimStatusChange",
    "Issue",
    "IssueAttachment",
    "IssueAuthor",
    "IssueChat",
    "IssueChatSummary",
    "IssueCheckoutForm",
    "IssueExpectation",
    "IssueLastMessage",
    "IssueList",
    "IssueMessage",
    "IssueReason",
    "IssueRefund",
    "IssueState",
    "IssueUser",
]

#: ``PostPurchaseIssueStatus``.
ISSUE_STATUSES = (
    "DISPUTE_ONGOING",
    "DISPUTE_CLOSED",
    "DISPUTE_UNRESOLVED",
    "CLAIM_SUBMITTED",
    "CLAIM_ACCEPTED",
    "CLAIM_REJECTED",
)


class IssueAttachment(AllegroModel):
    file_name: str | None = None
    url: str | None = None


class IssueAuthor(AllegroModel):
    login: str | None = None  # absent for ADMIN, SYSTEM and FULFILLMENT
    role: str | None = None  # BUYER | SELLER | ADMIN | SYSTEM | FULFILLMENT


class IssueMessage(AllegroModel):
    id: str
    text: str | None = None
    attachments: ListOrEmpty[IssueAttachment] = Field(default_factory=list)
    author: IssueAuthor | None = None
    created_at: datetime | None = None


class IssueLastMessage(AllegroModel):
    status: str | None = None  # NEW | SELLER_REPLIED | BUYER_REPLIED | ALLEGRO_ADVISOR_REPLIED
    created_at: datetime | None = None


class IssueChatSummary(AllegroModel):
    last_message: IssueLastMessage | None = None
    messages_count: int | None = None
    initial_message: IssueMessage | None = None


class IssueUser(AllegroModel):
    id: str | None = None
    login: str | None = None


class IssueCheckoutForm(AllegroModel):
    id: str | None = None
    created_at: datetime | None = None


class IssueState(AllegroModel):
    status: str | None = None
    status_due_date: datetime | None = None  # the seller's deadline on a claim
    return_required: bool | None = None
    chat_active: bool | None = None


class IssueRefund(AllegroModel):
    amount: str | None = None
    currency: str | None = None


class IssueExpectation(AllegroModel):
    name: str | None = None  # REPAIR | EXCHANGE | REFUND | PARTIAL_REFUND (claims)
    refund: IssueRefund | None = None


class IssueReason(AllegroModel):
    type: str | None = None
    description: str | None = None


class Issue(AllegroModel):
    """A dispute (``DISPUTE``, "dyskusja") or a claim (``CLAIM``, "reklamacja")."""

    id: str
    type: str | None = None
    reference_number: str | None = None
    decision_due_date: datetime | None = None
    opened_date: datetime | None = None
    subject: str | None = None
    buyer: IssueUser | None = None
    checkout_form: IssueCheckoutForm | None = None
    current_state: IssueState | None = None
    chat: IssueChatSummary | None = None
    expectations: ListOrEmpty[IssueExpectation] = Field(default_factory=list)
    description: str | None = None
    reason: IssueReason | None = None
    right: str | None = None
    attachments: ListOrEmpty[IssueAttachment] = Field(default_factory=list)


class IssueList(AllegroModel):
    issues: ListOrEmpty[Issue] = Field(default_factory=list)


class IssueChat(AllegroModel):
    chat: ListOrEmpty[IssueMessage] = Field(default_factory=list)


class ClaimStatusChange(AllegroModel):
    """``ClaimStatusChangeRequest``: ``ACCEPTED_*`` or ``REJECTED_*`` with a message."""

    status: str
    message: str
    partial_refund: dict[str, str] | None = None
