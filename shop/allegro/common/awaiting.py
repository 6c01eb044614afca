"""What waits for the seller's answer: messages, discussions, complaints and ratings.

Each conversation feature registers one source with :func:`awaiting_source`; a source returns
the items still waiting for the seller's reply, with when the wait began and Allegro's deadline
where Allegro sets one. The start page and the menu read them all through
:func:`awaiting_replies`, so the response-time guard is one list whatever feature an item
comes from. A source must be a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone


@dataclass(frozen=True)
class AwaitingReply:
    kind: str  # "message" | "issue" | "claim" | "rating"
    title: str  # what the seller reads: buyer login and subject or order
    url: str  # the back-office page where the answer is written
    waiting_since: datetime
    deadline: datetime | None = None  # Allegro's deadline for the answer, when it sets one
    account_id: int | None = None

    def due_by(self, moment: datetime) -> bool:
        return self.deadline is not None and self.deadline <= moment


AwaitingSource = Callable[[datetime], Iterable[AwaitingReply]]
_SOURCES: dict[str, AwaitingSource] = {}


def awaiting_source(kind: str) -> Callable[[AwaitingSource], AwaitingSource]:
    """Register the function listing one kind of item waiting for an answer."""

    def register(source: AwaitingSource) -> AwaitingSource:
        _SOURCES[kind] = source
        return source

    return register


def awaiting_replies(*, now: datetime | None = None) -> list[AwaitingReply]:
    """Everything waiting for an answer: first what has a deadline (nearest first), then the
    longest waiting."""
    moment = now or timezone.now()
    items = [item for source in _SOURCES.values() for item in source(moment)]
    return sorted(
        items,
        key=lambda i: (i.deadline is None, i.deadline or i.waiting_since, i.waiting_since),
    )
