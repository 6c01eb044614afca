"""The one retry policy of the client.

What is retried:

* **Idempotent requests** (GET, HEAD, PUT, DELETE — Allegro's command endpoints are PUTs keyed
  by a caller-chosen UUID, so a repeated PUT is the same command) on connection errors,
  timeouts, 408, 429 and 5xx.
* **Everything else** (POST and PATCH create or change things) only when the request certainly
  did not reach Allegro: the connection could not be opened, or Allegro answered 429 (a rate-limit
  refusal is not processed). A POST that timed out while reading the answer is *not* retried:
  ``POST /sale/product-offers`` has no idempotency key and a second POST creates a second offer.
  The caller de-duplicates by ``external.id`` (``GET /sale/offers?external.id=``) before sending
  it again. An operation may opt in with ``retry_safe=True`` when repeating it is harmless.

How long to wait: exponential backoff from ``backoff_base`` doubling up to ``backoff_max``, with
jitter; a ``Retry-After`` header is honoured when present, and when it asks for more than
``retry_after_max`` the error is raised instead of waiting. Attempts are bounded by
``max_attempts``. Randomness is a separate injectable function so tests are deterministic; the
clock and sleep live on the client.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

__all__ = ["IDEMPOTENT_METHODS", "RetryPolicy", "parse_retry_after"]

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


def _full_jitter(delay: float) -> float:
    # Spread retries of many workers over [delay/2, delay].
    return delay / 2 + random.random() * delay / 2


@dataclass(frozen=True)
class RetryPolicy:
    """When to retry and how long to wait between attempts."""

    max_attempts: int = 4
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    retry_after_max: float = 120.0
    retry_statuses: frozenset[int] = frozenset({408, 429, 500, 502, 503, 504})
    jitter: Callable[[float], float] = field(default=_full_jitter, compare=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")

    def is_idempotent(self, method: str, *, retry_safe: bool | None) -> bool:
        if retry_safe is not None:
            return retry_safe
        return method.upper() in IDEMPOTENT_METHODS

    def should_retry_status(self, status: int, *, idempotent: bool) -> bool:
        if status == 429:
            return True
        if not idempotent:
            return False
        return status in self.retry_statuses or status >= 500

    def should_retry_exception(self, exc: httpx.TransportError, *, idempotent: bool) -> bool:
        if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
            return True  # nothing was sent
        return idempotent

    def delay(self, attempt: int, *, retry_after: float | None = None) -> float | None:
        """Seconds to wait before attempt ``attempt + 1``; ``None`` means give up now.

        ``attempt`` counts from 1 (the attempt that just failed).
        """
        if attempt >= self.max_attempts:
            return None
        if retry_after is not None:
            if retry_after > self.retry_after_max:
                return None
            return max(retry_after, 0.0)
        backoff = min(self.backoff_base * (2 ** (attempt - 1)), self.backoff_max)
        return self.jitter(backoff)


def parse_retry_after(value: str | None, *, now: float) -> float | None:
    """Read a ``Retry-After`` header: delta-seconds or an HTTP date (relative to ``now``)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - datetime.fromtimestamp(now, UTC)).total_seconds(), 0.0)
