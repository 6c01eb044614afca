"""Discussions (``DISPUTE``) and complaints (``CLAIM``) buyers open about their orders.

The seller answers in the chat and decides a claim (accept or reject) before its
``decisionDueDate``: 14 days from opening, the time Polish consumer law gives a seller to answer a
complaint (an unanswered complaint counts as accepted, so the emulator accepts it when the
deadline passes). A dispute has no decision deadline in the API (``decisionDueDate`` is null).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from fake_allegro.world import iso

if TYPE_CHECKING:
    from fake_allegro.world import World

CLAIM_DECISION_DAYS = 14
OPEN_STATUSES = frozenset({"DISPUTE_ONGOING", "CLAIM_SUBMITTED"})
ATTACHMENT_URL = "https://api.allegro.pl/sale/issues/attachments/"


@dataclass
class StoredAttachment:
    id: str
    seller_id: str
    file_name: str
    size: int
    content: bytes | None = None
    content_type: str = ""
    used: bool = False

    def as_json(self) -> dict[str, Any]:
        return {"fileName": self.file_name, "url": ATTACHMENT_URL + self.id}


@dataclass
class StoredIssueMessage:
    id: str
    text: str
    role: str  # BUYER | SELLER | ADMIN | SYSTEM
    login: str | None
    created_at: datetime
    type: str = "REGULAR"
    attachments: list[StoredAttachment] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        author: dict[str, Any] = {"role": self.role}
        if self.login is not None and self.role in ("BUYER", "SELLER"):
            author["login"] = self.login
        return {
            "id": self.id,
            "text": self.text,
            "attachments": [a.as_json() for a in self.attachments],
            "author": author,
            "createdAt": iso(self.created_at),
        }


@dataclass
class StoredIssue:
    id: str
    seller_id: str
    type: str  # DISPUTE | CLAIM
    form_id: str
    form_created_at: datetime
    buyer_id: str
    buyer_login: str
    opened_at: datetime
    reason: str
    status: str
    description: str | None = None
    reference_number: str | None = None
    decision_due: datetime | None = None
    return_required: bool | None = None
    expectation: str | None = None
    refund_amount: str | None = None
    offer_id: str | None = None
    messages: list[StoredIssueMessage] = field(default_factory=list)

    @property
    def chat_active(self) -> bool:
        return self.status in OPEN_STATUSES

    def last_message_status(self) -> str:
        if not any(m.role == "SELLER" for m in self.messages):
            return "NEW"
        last = self.messages[-1].role
        return {
            "SELLER": "SELLER_REPLIED",
            "BUYER": "BUYER_REPLIED",
        }.get(last, "ALLEGRO_ADVISOR_REPLIED")

    def as_json(self) -> dict[str, Any]:
        claim = self.type == "CLAIM"
        first = self.messages[0] if self.messages else None
        chat: dict[str, Any] = {"messagesCount": len(self.messages)}
        if first is not None:
            chat["initialMessage"] = first.as_json()
            chat["lastMessage"] = {
                "status": self.last_message_status(),
                "createdAt": iso(self.messages[-1].created_at),
            }
        expectations: list[dict[str, Any]] = []
        if claim and self.expectation:
            expectation: dict[str, Any] = {"name": self.expectation}
            if self.refund_amount:
                expectation["refund"] = {"amount": self.refund_amount, "currency": "PLN"}
            expectations.append(expectation)
        return {
            "id": self.id,
            "type": self.type,
            "referenceNumber": self.reference_number,
            "decisionDueDate": iso(self.decision_due) if self.decision_due else None,
            "openedDate": iso(self.opened_at),
            "subject": None if claim else self.reason,
            "buyer": {"id": self.buyer_id, "login": self.buyer_login},
            "checkoutForm": {"id": self.form_id, "createdAt": iso(self.form_created_at)},
            "currentState": {
                "status": self.status,
                "statusDueDate": iso(self.decision_due) if self.decision_due else None,
                "returnRequired": self.return_required if claim else None,
                "chatActive": self.chat_active,
            },
            "chat": chat,
            "expectations": expectations,
            "description": self.description,
            "offer": {"id": self.offer_id, "quantity": 1} if claim and self.offer_id else None,
            "product": None,
            "reason": {"type": self.reason, "description": self.description} if claim else None,
            "right": "COMPLAINT" if claim else None,
            "attachments": [],
        }


@dataclass
class IssuesState:
    issues: dict[str, StoredIssue] = field(default_factory=dict)
    attachments: dict[str, StoredAttachment] = field(default_factory=dict)
    rng: random.Random = field(default_factory=random.Random)
    claims_numbered: int = 0
    seller_messages: int = 0  # every message a seller posted (tests count arrivals)
    status_changes: int = 0

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def buyer_file(
        self, issue: StoredIssue, *, file_name: str, content: bytes, content_type: str, id: str = ""
    ) -> StoredAttachment:
        """A file the buyer attached, stored so that the seller can download it."""
        attachment = StoredAttachment(
            id=id or self.new_id(),
            seller_id=issue.seller_id,
            file_name=file_name,
            size=len(content),
            content=content,
            content_type=content_type,
            used=True,
        )
        self.attachments[attachment.id] = attachment
        return attachment

    def seller_issues(self, seller_id: str) -> list[StoredIssue]:
        found = [i for i in self.issues.values() if i.seller_id == seller_id]
        return sorted(found, key=lambda i: i.opened_at, reverse=True)

    def open_issue(
        self,
        *,
        seller_id: str,
        kind: str,
        form: dict[str, Any],
        reason: str,
        text: str,
        at: datetime,
        expectation: str | None = None,
    ) -> StoredIssue:
        buyer = form.get("buyer") or {}
        lines = form.get("lineItems") or [{}]
        issue = StoredIssue(
            id=self.new_id(),
            seller_id=seller_id,
            type=kind,
            form_id=str(form["id"]),
            form_created_at=at - timedelta(days=2),
            buyer_id=str(buyer.get("id") or ""),
            buyer_login=str(buyer.get("login") or "kupujacy"),
            opened_at=at,
            reason=reason,
            status="CLAIM_SUBMITTED" if kind == "CLAIM" else "DISPUTE_ONGOING",
            description=text[:200] if kind == "CLAIM" else None,
            offer_id=str((lines[0].get("offer") or {}).get("id") or "") or None,
        )
        if form.get("createdAt") or form.get("boughtAt"):
            from fake_allegro.orders.state import parse_time

            issue.form_created_at = parse_time(str(form.get("boughtAt") or form["createdAt"]))
        if kind == "CLAIM":
            self.claims_numbered += 1
            issue.reference_number = f"{self.claims_numbered}/{at.year}"
            issue.decision_due = at + timedelta(days=CLAIM_DECISION_DAYS)
            issue.expectation = expectation or "REFUND"
            if issue.expectation in ("REFUND", "PARTIAL_REFUND"):
                total = (form.get("summary") or {}).get("totalToPay") or {}
                issue.refund_amount = str(total.get("amount") or "10.00")
        first = StoredIssueMessage(self.new_id(), text, "BUYER", issue.buyer_login, at)
        issue.messages.append(first)
        if kind == "CLAIM" and reason == "ITEM_IS_DAMAGED":
            # The buyer photographs the damage; the id derives from the issue's, so the random
            # stream (and every other simulated choice) stays as it was.
            from fake_allegro.messaging.state import SAMPLE_PNG

            first.attachments.append(
                self.buyer_file(
                    issue,
                    file_name="uszkodzenie.png",
                    content=SAMPLE_PNG,
                    content_type="image/png",
                    id=str(uuid.uuid5(uuid.NAMESPACE_URL, ATTACHMENT_URL + issue.id)),
                )
            )
        self.issues[issue.id] = issue
        return issue

    def expire(self, now: datetime) -> None:
        """A claim left undecided past its deadline counts as accepted."""
        for issue in self.issues.values():
            if (
                issue.status == "CLAIM_SUBMITTED"
                and issue.decision_due is not None
                and now >= issue.decision_due
            ):
                issue.status = "CLAIM_ACCEPTED"
                issue.messages.append(
                    StoredIssueMessage(
                        self.new_id(),
                        "Reklamacja została uznana, bo sprzedający nie odpowiedział w terminie.",
                        "SYSTEM",
                        None,
                        issue.decision_due,
                    )
                )


def issues_of(world: World) -> IssuesState:
    state: IssuesState | None = getattr(world, "issues", None)
    if state is None:
        state = IssuesState(rng=random.Random(world.seed + 7))
        world.issues = state
    return state
