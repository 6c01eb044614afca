"""Control API of discussions, complaints and ratings: what buyers do, and what tests check."""

from __future__ import annotations

import base64
from typing import Any

from fake_allegro.control import bad, control, json_body, ok, seller_of
from fake_allegro.issues.state import StoredIssueMessage, issues_of
from fake_allegro.orders import buyers
from fake_allegro.orders.state import orders_of
from fake_allegro.ratings.state import ratings_of
from fake_allegro.routing import Call, Reply


def _form_data(call: Call, seller_id: str, form_id: str) -> dict[str, Any]:
    form = orders_of(call.world).form_for(seller_id, form_id)
    if form is None:
        raise bad(f"unknown checkout form {form_id!r}", 404)
    return form.data


@control("POST", "/issues")
def open_issue(call: Call) -> Reply:
    """A buyer opens one: ``{"checkoutFormId", "type": "DISPUTE"|"CLAIM", "text"?, "reason"?,
    "expectation"?, "login"?}``."""
    data = json_body(call)
    seller = seller_of(call, data)
    kind = str(data.get("type") or "DISPUTE")
    if kind not in ("DISPUTE", "CLAIM"):
        raise bad("type must be DISPUTE or CLAIM")
    form = _form_data(call, seller.id, str(data.get("checkoutFormId") or ""))
    issue = issues_of(call.world).open_issue(
        seller_id=seller.id,
        kind=kind,
        form=form,
        reason=str(data.get("reason") or ("ITEM_IS_DAMAGED" if kind == "CLAIM" else "OTHER")),
        text=str(data.get("text") or buyers.FEEDBACK_TEXTS[0]),
        at=call.world.now(),
        expectation=data.get("expectation"),
    )
    return ok(issue.as_json(), 201)


@control("GET", "/issues/{issueId}")
def issue_state(call: Call) -> Reply:
    """The issue with its whole chat (role, type and text of every message)."""
    issue = issues_of(call.world).issues.get(call.params["issueId"])
    if issue is None:
        raise bad("unknown issue", 404)
    body = issue.as_json()
    body["messages"] = [{"role": m.role, "type": m.type, "text": m.text} for m in issue.messages]
    return ok(body)


@control("POST", "/issues/{issueId}/messages")
def buyer_writes(call: Call) -> Reply:
    """The buyer (or an Allegro advisor, ``"role": "ADMIN"``) writes: ``{"text", "role"?,
    "attachments"?: [{"fileName", "mimeType", "contentBase64"}]}``."""
    data = json_body(call)
    state = issues_of(call.world)
    issue = state.issues.get(call.params["issueId"])
    if issue is None:
        raise bad("unknown issue", 404)
    role = str(data.get("role") or "BUYER")
    if role not in ("BUYER", "ADMIN"):
        raise bad("role must be BUYER or ADMIN")
    if not issue.chat_active:
        raise bad("the issue is closed", 409)
    message = StoredIssueMessage(
        state.new_id(),
        str(data.get("text") or ""),
        role,
        issue.buyer_login if role == "BUYER" else None,
        call.world.now(),
    )
    for item in data.get("attachments") or []:
        message.attachments.append(
            state.buyer_file(
                issue,
                file_name=str(item.get("fileName") or "plik"),
                content=base64.b64decode(str(item.get("contentBase64") or "")),
                content_type=str(item.get("mimeType") or "application/octet-stream"),
            )
        )
    issue.messages.append(message)
    return ok(message.as_json(), 201)


@control("POST", "/issues/{issueId}/close")
def buyer_closes(call: Call) -> Reply:
    """The buyer closes a discussion (``DISPUTE_CLOSED``) or it ends unresolved
    (``{"status": "DISPUTE_UNRESOLVED"}``)."""
    data = json_body(call)
    issue = issues_of(call.world).issues.get(call.params["issueId"])
    if issue is None or issue.type != "DISPUTE":
        raise bad("unknown discussion", 404)
    status = str(data.get("status") or "DISPUTE_CLOSED")
    if status not in ("DISPUTE_CLOSED", "DISPUTE_UNRESOLVED"):
        raise bad("status must be DISPUTE_CLOSED or DISPUTE_UNRESOLVED")
    issue.status = status
    return ok(issue.as_json())


@control("POST", "/ratings")
def leave_rating(call: Call) -> Reply:
    """A buyer rates an order: ``{"checkoutFormId", "recommended": bool, "comment"?, "login"?,
    "daysAgo"?}``."""
    from datetime import timedelta

    data = json_body(call)
    seller = seller_of(call, data)
    form = _form_data(call, seller.id, str(data.get("checkoutFormId") or ""))
    at = call.world.now() - timedelta(days=float(data.get("daysAgo") or 0))
    rating = ratings_of(call.world).rate(
        seller_id=seller.id,
        form=form,
        recommended=bool(data.get("recommended", True)),
        comment=data.get("comment"),
        at=at,
    )
    return ok(rating.as_json(), 201)


@control("GET", "/ratings/{ratingId}")
def rating_state(call: Call) -> Reply:
    rating = ratings_of(call.world).ratings.get(call.params["ratingId"])
    if rating is None:
        raise bad("unknown rating", 404)
    return ok(rating.as_json())


@control("GET", "/feedback/counts")
def counts(call: Call) -> Reply:
    """How many answers and requests arrived from sellers (tests assert exact counts)."""
    issues = issues_of(call.world)
    ratings = ratings_of(call.world)
    return ok(
        {
            "issueMessages": issues.seller_messages,
            "claimDecisions": issues.status_changes,
            "ratingAnswers": ratings.answers_received,
            "ratingRemovals": ratings.removals_received,
        }
    )


@control("POST", "/feedback")
def simulate_feedback(call: Call) -> Reply:
    """Buyers of the seller's paid orders open issues and rate: ``{"issueRate"?, "ratingRate"?,
    "negativeRate"?, "login"?}``."""
    data = json_body(call)
    seller = seller_of(call, data)
    forms = orders_of(call.world).seller_forms(seller.id)
    opened, rated = buyers.buyer_feedback(
        call.world,
        seller.id,
        forms,
        issue_rate=float(data.get("issueRate", 0.3)),
        rating_rate=float(data.get("ratingRate", 0.6)),
        negative_rate=float(data.get("negativeRate", 0.4)),
    )
    return ok({"issues": opened, "ratings": rated}, 201)
