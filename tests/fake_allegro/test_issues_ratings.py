"""Discussions, complaints and ratings: the beta media type, the seller's answers and what
Allegro refuses."""

from __future__ import annotations

import base64
from typing import Any

import httpx

from fake_allegro import Emulator

BETA = "application/vnd.allegro.beta.v1+json"
PUBLIC = {"Content-Type": "application/vnd.allegro.public.v1+json"}


def purchase(client: httpx.Client) -> str:
    response = client.post("/_emulator/purchases", json={"synthetic": True})
    assert response.status_code == 201, response.text
    form_id: str = response.json()["checkoutFormIds"][0]
    return form_id


def open_issue(client: httpx.Client, kind: str, **extra: Any) -> dict[str, Any]:
    form_id = purchase(client)
    response = client.post(
        "/_emulator/issues", json={"checkoutFormId": form_id, "type": kind} | extra
    )
    assert response.status_code == 201, response.text
    issue: dict[str, Any] = response.json()
    return issue


def beta(client: httpx.Client, method: str, path: str, **kw: Any) -> httpx.Response:
    headers = {"Accept": BETA}
    if "json" in kw:
        headers["Content-Type"] = BETA
        kw["content"] = httpx.Request("POST", "/", json=kw.pop("json")).content
    return client.request(method, path, headers=headers, **kw)


def test_issues_are_served_only_in_the_beta_media_type(emulator_http: httpx.Client) -> None:
    issue = open_issue(emulator_http, "DISPUTE")
    assert emulator_http.get("/sale/issues").status_code == 406
    response = beta(emulator_http, "GET", "/sale/issues")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(BETA)
    (listed,) = response.json()["issues"]
    assert listed["id"] == issue["id"]
    assert listed["decisionDueDate"] is None
    assert listed["currentState"]["chatActive"] is True


def test_a_claim_has_a_decision_deadline_and_accepts_one_decision(
    emulator_http: httpx.Client,
) -> None:
    issue = open_issue(emulator_http, "CLAIM")
    assert issue["decisionDueDate"] is not None
    path = f"/sale/issues/{issue['id']}/status"
    partial = beta(
        emulator_http, "POST", path, json={"status": "ACCEPTED_PARTIAL_REFUND", "message": "ok"}
    )
    assert partial.status_code == 400
    assert partial.json()["errors"][0]["code"] == "PARTIAL_REFUND_REQUIRED"
    accepted = beta(
        emulator_http, "POST", path, json={"status": "ACCEPTED_REFUND", "message": "ok"}
    )
    assert accepted.status_code == 200, accepted.text
    again = beta(emulator_http, "POST", path, json={"status": "REJECTED_OTHER", "message": "no"})
    assert again.status_code == 400
    state = beta(emulator_http, "GET", f"/sale/issues/{issue['id']}").json()
    assert state["currentState"]["status"] == "CLAIM_ACCEPTED"


def test_a_dispute_has_no_status_to_set_and_refuses_messages_once_closed(
    emulator_http: httpx.Client,
) -> None:
    issue = open_issue(emulator_http, "DISPUTE")
    status = beta(
        emulator_http,
        "POST",
        f"/sale/issues/{issue['id']}/status",
        json={"status": "ACCEPTED_REFUND", "message": "x"},
    )
    assert status.status_code == 400
    message_path = f"/sale/issues/{issue['id']}/message"
    sent = beta(
        emulator_http, "POST", message_path, json={"text": "Dzień dobry", "type": "REGULAR"}
    )
    assert sent.status_code == 201, sent.text
    assert sent.json()["author"]["role"] == "SELLER"
    wrong = beta(
        emulator_http, "POST", message_path, json={"text": "x", "type": "RETURN_NOT_REQUIRED"}
    )
    assert wrong.status_code == 422
    emulator_http.post(f"/_emulator/issues/{issue['id']}/close", json={})
    closed = beta(emulator_http, "POST", message_path, json={"text": "Halo", "type": "REGULAR"})
    assert closed.status_code == 409
    assert closed.json()["errors"][0]["code"] == "DISPUTE_ALREADY_RESOLVED"
    counts = emulator_http.get("/_emulator/feedback/counts").json()
    assert counts["issueMessages"] == 1


def test_an_undecided_claim_is_accepted_when_its_deadline_passes(
    emulator: Emulator, emulator_http: httpx.Client
) -> None:
    issue = open_issue(emulator_http, "CLAIM")
    emulator_http.post("/_emulator/clock", json={"advance_seconds": 15 * 86400})
    token = emulator.issue_tokens()["access_token"]  # the first one expired meanwhile
    emulator_http.headers["Authorization"] = f"Bearer {token}"
    state = beta(emulator_http, "GET", f"/sale/issues/{issue['id']}").json()
    assert state["currentState"]["status"] == "CLAIM_ACCEPTED"
    assert state["currentState"]["chatActive"] is False


def rate(client: httpx.Client, **data: Any) -> dict[str, Any]:
    response = client.post("/_emulator/ratings", json={"checkoutFormId": purchase(client)} | data)
    assert response.status_code == 201, response.text
    rating: dict[str, Any] = response.json()
    return rating


def test_a_rating_is_answered_once_and_a_carriage_return_is_refused(
    emulator_http: httpx.Client,
) -> None:
    rating = rate(emulator_http, recommended=False, comment="<script>alert(1)</script>")
    path = f"/sale/user-ratings/{rating['id']}/answer"
    crlf = emulator_http.put(path, headers=PUBLIC, json={"message": "Dzień dobry,\r\nprzepraszamy"})
    assert crlf.status_code == 400
    assert crlf.json()["errors"][0]["code"] == "ERROR"
    first = emulator_http.put(path, headers=PUBLIC, json={"message": "Dzień dobry,\nprzepraszamy"})
    assert first.status_code == 201, first.text
    second = emulator_http.put(path, headers=PUBLIC, json={"message": "Jeszcze raz"})
    assert second.status_code == 400
    assert emulator_http.get("/_emulator/feedback/counts").json()["ratingAnswers"] == 1


def test_removal_is_asked_only_for_a_negative_rating_within_its_window(
    emulator_http: httpx.Client,
) -> None:
    positive = rate(emulator_http, recommended=True)
    assert "removal" not in positive
    refused = emulator_http.put(
        f"/sale/user-ratings/{positive['id']}/removal",
        headers=PUBLIC,
        json={"request": {"message": "Prośba"}},
    )
    assert refused.json()["errors"][0]["code"] == "RATING_REMOVAL_NOT_POSSIBLE"

    old = rate(emulator_http, recommended=False, daysAgo=31)
    expired = emulator_http.put(
        f"/sale/user-ratings/{old['id']}/removal",
        headers=PUBLIC,
        json={"request": {"message": "Prośba"}},
    )
    assert expired.json()["errors"][0]["code"] == "RATING_REMOVAL_EXPIRED"

    fresh = rate(emulator_http, recommended=False)
    path = f"/sale/user-ratings/{fresh['id']}/removal"
    sent = emulator_http.put(
        path, headers=PUBLIC, json={"request": {"message": "Sprawa wyjaśniona"}}
    )
    assert sent.status_code == 201, sent.text
    assert sent.json()["request"]["source"] == "SELLER"
    again = emulator_http.put(path, headers=PUBLIC, json={"request": {"message": "Znowu"}})
    assert again.json()["errors"][0]["code"] == "RATING_REMOVAL_ALREADY_REQUESTED"


def test_ratings_are_filtered_by_last_change(emulator_http: httpx.Client) -> None:
    old = rate(emulator_http, recommended=True, daysAgo=3)
    new = rate(emulator_http, recommended=False)
    listed = emulator_http.get(
        "/sale/user-ratings", params={"lastChangedAt.gte": new["lastChangedAt"]}
    ).json()["ratings"]
    assert [r["id"] for r in listed] == [new["id"]]
    everything = emulator_http.get("/sale/user-ratings").json()["ratings"]
    assert [r["id"] for r in everything] == [new["id"], old["id"]]


def test_buyers_open_issues_and_rate_their_orders(emulator_http: httpx.Client) -> None:
    emulator_http.post("/_emulator/purchases", json={"synthetic": True, "count": 10})
    response = emulator_http.post(
        "/_emulator/feedback", json={"issueRate": 1, "ratingRate": 1, "negativeRate": 0.5}
    )
    assert response.status_code == 201
    assert response.json()["issues"] >= 1
    assert response.json()["ratings"] >= 1


def test_an_attachment_is_declared_uploaded_once_and_used_once(
    emulator_http: httpx.Client,
) -> None:
    issue = open_issue(emulator_http, "DISPUTE")
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 100
    declared = beta(
        emulator_http,
        "POST",
        "/sale/issues/attachments",
        json={"fileName": "a.png", "size": len(png)},
    )
    assert declared.status_code == 201, declared.text
    location = declared.headers["Location"]
    path = "/" + location.split("/", 3)[3]
    headers = {"Accept": BETA, "Content-Type": "image/png"}
    wrong = emulator_http.put(path, content=png + b"x", headers=headers)
    assert wrong.status_code == 422
    assert emulator_http.put(path, content=png, headers=headers).status_code == 200
    assert emulator_http.put(path, content=png, headers=headers).status_code == 422  # one-time
    text_file = emulator_http.put(
        path, content=b"x", headers={"Accept": BETA, "Content-Type": "text/plain"}
    )
    assert text_file.status_code == 415

    message_path = f"/sale/issues/{issue['id']}/message"
    attachment = [{"id": declared.json()["id"]}]
    sent = beta(
        emulator_http,
        "POST",
        message_path,
        json={"text": "Zdjęcie", "type": "REGULAR", "attachments": attachment},
    )
    assert sent.status_code == 201, sent.text
    assert sent.json()["attachments"][0]["fileName"] == "a.png"
    again = beta(
        emulator_http,
        "POST",
        message_path,
        json={"text": "Znowu", "type": "REGULAR", "attachments": attachment},
    )
    assert again.status_code == 422


def test_chat_attachments_are_downloaded_by_their_seller_only(
    emulator: Emulator, emulator_http: httpx.Client
) -> None:
    from fake_allegro.issues.state import issues_of
    from fake_allegro.messaging.state import SAMPLE_PDF, SAMPLE_PNG

    claim = open_issue(emulator_http, "CLAIM", reason="ITEM_IS_DAMAGED")
    (photo,) = claim["chat"]["initialMessage"]["attachments"]
    assert photo["fileName"] == "uszkodzenie.png"
    photo_path = "/" + photo["url"].split("/", 3)[3]
    accept = {"Accept": f"{BETA}, */*"}
    response = emulator_http.get(photo_path, headers=accept)
    assert response.status_code == 200, response.text
    assert response.content == SAMPLE_PNG
    assert response.headers["Content-Type"] == "image/png"

    written = emulator_http.post(
        f"/_emulator/issues/{claim['id']}/messages",
        json={
            "text": "Paragon",
            "attachments": [
                {
                    "fileName": "paragon.pdf",
                    "mimeType": "application/pdf",
                    "contentBase64": base64.b64encode(SAMPLE_PDF).decode(),
                }
            ],
        },
    )
    assert written.status_code == 201, written.text
    receipt_id = written.json()["attachments"][0]["url"].rsplit("/", 1)[1]
    receipt = emulator_http.get(f"/sale/issues/attachments/{receipt_id}", headers=accept)
    assert (receipt.status_code, receipt.content) == (200, SAMPLE_PDF)
    assert receipt.headers["Content-Type"] == "application/pdf"

    unknown = emulator_http.get(
        "/sale/issues/attachments/00000000-0000-4000-8000-000000000000", headers=accept
    )
    assert unknown.status_code == 404
    issues_of(emulator.world).attachments[receipt_id].seller_id = "another-seller"
    theirs = emulator_http.get(f"/sale/issues/attachments/{receipt_id}", headers=accept)
    assert theirs.status_code == 404


def test_a_declared_attachment_is_not_served_before_its_upload(
    emulator_http: httpx.Client,
) -> None:
    declared = beta(
        emulator_http, "POST", "/sale/issues/attachments", json={"fileName": "a.png", "size": 3}
    )
    path = f"/sale/issues/attachments/{declared.json()['id']}"
    assert emulator_http.get(path, headers={"Accept": "*/*"}).status_code == 404
