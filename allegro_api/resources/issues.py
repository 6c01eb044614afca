"""Discussions and complaints (``/sale/issues``): a beta resource, read and written with the
beta media type (the public one gets 406)."""

from __future__ import annotations

import builtins
from collections.abc import Iterator, Sequence
from typing import Any

from allegro_api._serialize import path_segment
from allegro_api._transport import BETA_MEDIA_TYPE
from allegro_api.models.issues import ClaimStatusChange, Issue, IssueChat, IssueList, IssueMessage
from allegro_api.resources._base import Resource

__all__ = ["ATTACHMENT_TYPES", "ISSUE_PAGE_LIMIT", "IssuesResource"]

#: The file types ``PUT /sale/issues/attachments/{id}`` accepts (others: 415).
ATTACHMENT_TYPES = (
    "image/png",
    "image/gif",
    "image/bmp",
    "image/tiff",
    "image/jpeg",
    "application/pdf",
)

ISSUE_PAGE_LIMIT = 100  # the spec's maximum for the list and the chat


class IssuesResource(Resource):
    """``GET /sale/issues[/{id}[/chat]]``, ``POST .../message``, ``POST .../status`` and the
    attachments (declare, upload, download)."""

    def list(
        self,
        *,
        checkout_form_id: str | None = None,
        statuses: Sequence[str] = (),
        offset: int = 0,
        limit: int = ISSUE_PAGE_LIMIT,
    ) -> IssueList:
        """One page, newest opened first."""
        params: dict[str, Any] = {"offset": offset, "limit": limit}
        if checkout_form_id:
            params["checkoutForm.id"] = checkout_form_id
        if statuses:
            params["status"] = list(statuses)
        data = self._r.get_json("/sale/issues", params=params, media_type=BETA_MEDIA_TYPE)
        return self._parse(IssueList, data)

    def iter_all(self, *, statuses: Sequence[str] = ()) -> Iterator[Issue]:
        offset = 0
        while True:
            page = self.list(statuses=statuses, offset=offset)
            yield from page.issues
            if len(page.issues) < ISSUE_PAGE_LIMIT:
                return
            offset += ISSUE_PAGE_LIMIT

    def get(self, issue_id: str) -> Issue:
        data = self._r.get_json(
            f"/sale/issues/{path_segment(issue_id)}", media_type=BETA_MEDIA_TYPE
        )
        return self._parse(Issue, data)

    def chat(self, issue_id: str) -> builtins.list[IssueMessage]:
        """Every message of the conversation, oldest first (all pages)."""
        messages: builtins.list[IssueMessage] = []
        offset = 0
        while True:
            data = self._r.get_json(
                f"/sale/issues/{path_segment(issue_id)}/chat",
                params={"offset": offset, "limit": ISSUE_PAGE_LIMIT},
                media_type=BETA_MEDIA_TYPE,
            )
            page = self._parse(IssueChat, data).chat
            messages.extend(page)
            if len(page) < ISSUE_PAGE_LIMIT:
                return messages
            offset += ISSUE_PAGE_LIMIT

    def add_message(
        self,
        issue_id: str,
        *,
        text: str,
        type: str = "REGULAR",
        attachment_ids: Sequence[str] = (),
    ) -> IssueMessage:
        """Post a message. Not retried after an ambiguous failure (it would appear twice):
        read the chat before sending again."""
        body: dict[str, Any] = {"text": text, "type": type}
        if attachment_ids:
            body["attachments"] = [{"id": i} for i in attachment_ids]
        data = self._r.send_json(
            "POST",
            f"/sale/issues/{path_segment(issue_id)}/message",
            body,
            media_type=BETA_MEDIA_TYPE,
        )
        return self._parse(IssueMessage, data)

    def change_status(self, issue_id: str, change: ClaimStatusChange) -> None:
        """Accept or reject a claim (disputes have no status the seller sets)."""
        self._r.request(
            "POST",
            f"/sale/issues/{path_segment(issue_id)}/status",
            json_body=change.to_api(),
            media_type=BETA_MEDIA_TYPE,
        )

    def attach(self, *, file_name: str, data: bytes, content_type: str) -> str:
        """Declare a file, upload it to the one-time address Allegro gives, return its id.

        ``content_type``: ``image/png``, ``image/gif``, ``image/bmp``, ``image/tiff``,
        ``image/jpeg`` or ``application/pdf``. The declaration is not retried blindly; the
        upload goes to the ``Location`` header, never to a composed address (the spec).
        """
        response = self._r.request(
            "POST",
            "/sale/issues/attachments",
            json_body={"fileName": file_name, "size": len(data)},
            media_type=BETA_MEDIA_TYPE,
        )
        attachment_id = str(response.json()["id"])
        location = response.headers.get("Location")
        path = (
            self._r.path_from_location(location)
            if location
            else f"/sale/issues/attachments/{path_segment(attachment_id)}"
        )
        self._r.request(
            "PUT",
            path,
            content=data,
            content_type=content_type,
            media_type=BETA_MEDIA_TYPE,
            retry_safe=False,  # the address is one-time: a repeat is refused
        )
        return attachment_id

    def download_attachment(self, attachment_id: str) -> tuple[bytes, str]:
        """The file of a chat message and the content type Allegro names for it.

        The spec documents the answer as ``*/*``; the beta type is offered first like on the
        rest of the resource.
        """
        response = self._r.request(
            "GET",
            f"/sale/issues/attachments/{path_segment(attachment_id)}",
            media_type=BETA_MEDIA_TYPE,
            accept=f"{BETA_MEDIA_TYPE}, */*",
        )
        return response.content, response.headers.get("Content-Type", "")
