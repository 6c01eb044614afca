"""Bulk offer commands: publication (activate/end), quantity and price changes.

A command is a ``PUT`` to ``/{kind}/{commandId}`` where the command id is a UUID chosen by the
caller. Because the id names the command, the PUT is retried like any idempotent request; if a
retry meets 409 (the first attempt did arrive), the existing command's report is returned. Store
the id before sending to check the report later; omit it to have one generated (``report.id``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel

from allegro_api._exceptions import Conflict
from allegro_api._serialize import path_segment
from allegro_api.models.commands import CommandReport, CommandTask, TaskReport
from allegro_api.resources._base import Resource

__all__ = ["OfferCommandsResource"]

#: ``offerCriteria[].offers`` may list at most 1000 offers.
MAX_OFFERS_PER_CRITERION = 1000
TASKS_PAGE_LIMIT = 1000
TASKS_OFFSET_MAX = 999

CommandKind = Literal[
    "offer-publication-commands", "offer-quantity-change-commands", "offer-price-change-commands"
]


def _criteria(offer_ids: Sequence[str]) -> list[dict[str, Any]]:
    ids = list(offer_ids)
    if not ids:
        raise ValueError("a command needs at least one offer id")
    return [
        {
            "type": "CONTAINS_OFFERS",
            "offers": [{"id": i} for i in ids[n : n + MAX_OFFERS_PER_CRITERION]],
        }
        for n in range(0, len(ids), MAX_OFFERS_PER_CRITERION)
    ]


class OfferCommandsResource(Resource):
    def _put(
        self, kind: CommandKind, command_id: str | None, body: dict[str, Any]
    ) -> CommandReport:
        command_id = command_id or str(uuid.uuid4())
        path = f"/sale/{kind}/{path_segment(command_id)}"
        try:
            data = self._r.send_json("PUT", path, body)
        except Conflict as exc:
            if exc.attempts > 1:
                return self.report(kind, command_id)
            raise
        report = self._parse(CommandReport, data)
        if report.id is None:
            report.id = command_id
        return report

    def report(self, kind: CommandKind, command_id: str) -> CommandReport:
        data = self._r.get_json(f"/sale/{kind}/{path_segment(command_id)}")
        return self._parse(CommandReport, data)

    def tasks(
        self, kind: CommandKind, command_id: str, *, limit: int = 100, offset: int = 0
    ) -> TaskReport:
        path = f"/sale/{kind}/{path_segment(command_id)}/tasks"
        return self._parse(
            TaskReport, self._r.get_json(path, params={"limit": limit, "offset": offset})
        )

    def iter_tasks(self, kind: CommandKind, command_id: str) -> Iterator[CommandTask]:
        """Every task of a command (within the API's offset cap)."""
        offset = 0
        while offset <= TASKS_OFFSET_MAX:
            limit = min(TASKS_PAGE_LIMIT, TASKS_OFFSET_MAX + TASKS_PAGE_LIMIT - offset)
            page = self.tasks(kind, command_id, limit=limit, offset=offset)
            yield from page.tasks
            offset += len(page.tasks)
            if len(page.tasks) < limit:
                return

    # -- publication ------------------------------------------------------------------------

    def publish(
        self,
        *,
        offer_ids: Sequence[str],
        action: Literal["ACTIVATE", "END"] = "ACTIVATE",
        scheduled_for: datetime | None = None,
        command_id: str | None = None,
    ) -> CommandReport:
        """Activate or end offers (``PUT /sale/offer-publication-commands/{id}``)."""
        publication: dict[str, Any] = {"action": action}
        if scheduled_for is not None:
            publication["scheduledFor"] = scheduled_for
        body = {"offerCriteria": _criteria(offer_ids), "publication": publication}
        return self._put("offer-publication-commands", command_id, body)

    def publication_report(self, command_id: str) -> CommandReport:
        return self.report("offer-publication-commands", command_id)

    def publication_tasks(
        self, command_id: str, *, limit: int = 100, offset: int = 0
    ) -> TaskReport:
        return self.tasks("offer-publication-commands", command_id, limit=limit, offset=offset)

    # -- quantity ---------------------------------------------------------------------------

    def change_quantity(
        self,
        *,
        offer_ids: Sequence[str],
        value: int,
        change_type: Literal["FIXED", "GAIN"] = "FIXED",
        command_id: str | None = None,
    ) -> CommandReport:
        """Set (``FIXED``) or shift (``GAIN``) the stock of offers."""
        body = {
            "modification": {"changeType": change_type, "value": value},
            "offerCriteria": _criteria(offer_ids),
        }
        return self._put("offer-quantity-change-commands", command_id, body)

    def quantity_report(self, command_id: str) -> CommandReport:
        return self.report("offer-quantity-change-commands", command_id)

    def quantity_tasks(self, command_id: str, *, limit: int = 100, offset: int = 0) -> TaskReport:
        return self.tasks("offer-quantity-change-commands", command_id, limit=limit, offset=offset)

    # -- price ------------------------------------------------------------------------------

    def change_price(
        self,
        *,
        offer_ids: Sequence[str],
        modification: Mapping[str, Any] | BaseModel,
        command_id: str | None = None,
    ) -> CommandReport:
        """Change prices; ``modification`` is a ``PriceModification`` (see :meth:`fixed_price`)."""
        body = {"modification": modification, "offerCriteria": _criteria(offer_ids)}
        return self._put("offer-price-change-commands", command_id, body)

    def set_price(
        self,
        *,
        offer_ids: Sequence[str],
        amount: Decimal,
        currency: str = "PLN",
        marketplace_id: str | None = None,
        command_id: str | None = None,
    ) -> CommandReport:
        """Set a fixed buy-now price on offers."""
        return self.change_price(
            offer_ids=offer_ids,
            modification=self.fixed_price(amount, currency=currency, marketplace_id=marketplace_id),
            command_id=command_id,
        )

    @staticmethod
    def fixed_price(
        amount: Decimal, *, currency: str = "PLN", marketplace_id: str | None = None
    ) -> dict[str, Any]:
        modification: dict[str, Any] = {
            "type": "FIXED_PRICE",
            "price": {"amount": amount, "currency": currency},
        }
        if marketplace_id is not None:
            modification["marketplaceId"] = marketplace_id
        return modification

    def price_report(self, command_id: str) -> CommandReport:
        return self.report("offer-price-change-commands", command_id)

    def price_tasks(self, command_id: str, *, limit: int = 100, offset: int = 0) -> TaskReport:
        return self.tasks("offer-price-change-commands", command_id, limit=limit, offset=offset)
