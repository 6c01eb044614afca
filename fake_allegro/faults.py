"""Fault injection: latency, error rates and 429 windows, matched by method and path regex.

A throttle fault counts matching requests in a sliding window; once more than ``limit`` arrive,
every matching request is refused with 429 for ``block_seconds``, and each request that arrives
during the block lengthens it by ``extend_seconds`` (Allegro: "continuing to call while blocked
extends the block").
"""

from __future__ import annotations

import random
import re
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from fake_allegro.errors import ApiError
from fake_allegro.routing import Reply


@dataclass
class Fault:
    id: str
    path_regex: str
    method: str | None = None  # None: any method
    latency_ms: int = 0
    status: int | None = None  # inject this error status ...
    rate: float = 1.0  # ... with this probability
    limit: int | None = None  # throttle: more than `limit` requests per window → 429 block
    window_seconds: float = 60.0
    block_seconds: float = 0.0
    extend_seconds: float = 0.0
    retry_after: bool = False
    remaining: int | None = None  # apply at most this many times (None: unlimited)
    hits: int = 0
    seen: deque[datetime] = field(default_factory=deque)
    blocked_until: datetime | None = None

    def __post_init__(self) -> None:
        self._pattern = re.compile(self.path_regex)

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method.upper() != method.upper():
            return False
        return self._pattern.search(path) is not None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "method": self.method,
            "pathRegex": self.path_regex,
            "latencyMs": self.latency_ms,
            "status": self.status,
            "rate": self.rate,
            "limit": self.limit,
            "windowSeconds": self.window_seconds,
            "blockSeconds": self.block_seconds,
            "extendSeconds": self.extend_seconds,
            "retryAfter": self.retry_after,
            "remaining": self.remaining,
            "hits": self.hits,
            "blockedUntil": self.blocked_until.isoformat() if self.blocked_until else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fault:
        throttle = data.get("throttle") or {}
        status = data.get("status")
        limit = throttle.get("limit", data.get("limit"))
        if throttle and limit is None:
            limit = 0
        fault = cls(
            id=str(data.get("id") or uuid.uuid4().hex[:12]),
            path_regex=str(data.get("pathRegex") or data.get("path") or ".*"),
            method=data.get("method"),
            latency_ms=int(data.get("latencyMs", data.get("latency_ms", 0)) or 0),
            status=int(status) if status is not None else None,
            rate=float(data.get("rate", 1.0)),
            limit=int(limit) if limit is not None else None,
            window_seconds=float(throttle.get("windowSeconds", data.get("windowSeconds", 60))),
            block_seconds=float(throttle.get("blockSeconds", data.get("blockSeconds", 10))),
            extend_seconds=float(throttle.get("extendSeconds", data.get("extendSeconds", 0))),
            retry_after=bool(throttle.get("retryAfter", data.get("retryAfter", False))),
            remaining=data.get("remaining"),
        )
        if fault.status is None and fault.limit is None and fault.latency_ms == 0:
            raise ValueError("a fault needs latencyMs, status or throttle")
        return fault


class Faults:
    def __init__(self, seed: int = 0):
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._rng = random.Random(seed)

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def list(self) -> list[dict[str, Any]]:
        with self._lock:
            return [f.as_json() for f in self._faults]

    def apply(self, method: str, path: str, now: datetime) -> Reply | None:
        """Sleep for injected latency; return an injected error reply, or None to go on."""
        latency = 0
        reply: Reply | None = None
        with self._lock:
            for fault in self._faults:
                if not fault.matches(method, path):
                    continue
                if fault.remaining is not None and fault.remaining <= 0:
                    continue
                latency = max(latency, fault.latency_ms)
                if reply is None:
                    reply = self._decide(fault, now)
                    if reply is not None or fault.latency_ms:
                        fault.hits += 1
                        if fault.remaining is not None:
                            fault.remaining -= 1
        if latency:
            time.sleep(latency / 1000)
        return reply

    def _decide(self, fault: Fault, now: datetime) -> Reply | None:
        if fault.limit is not None:
            return self._throttle(fault, now)
        if fault.status is not None and self._rng.random() < fault.rate:
            return _error(fault.status)
        return None

    def _throttle(self, fault: Fault, now: datetime) -> Reply | None:
        if fault.blocked_until is not None:
            if now < fault.blocked_until:
                fault.blocked_until += timedelta(seconds=fault.extend_seconds)
                return _too_many(fault, now)
            fault.blocked_until = None
            fault.seen.clear()
        window = timedelta(seconds=fault.window_seconds)
        while fault.seen and now - fault.seen[0] >= window:
            fault.seen.popleft()
        fault.seen.append(now)
        assert fault.limit is not None
        if len(fault.seen) > fault.limit:
            fault.blocked_until = now + timedelta(seconds=fault.block_seconds)
            return _too_many(fault, now)
        return None


def _too_many(fault: Fault, now: datetime) -> Reply:
    error = ApiError.one(
        429,
        "TooManyRequestsException",
        "Too many requests",
        user_message="Zbyt wiele żądań. Spróbuj ponownie później.",
    )
    headers: dict[str, str] = {}
    if fault.retry_after and fault.blocked_until is not None:
        seconds = max(1, int((fault.blocked_until - now).total_seconds() + 0.999))
        headers["Retry-After"] = str(seconds)
    return Reply(429, error.as_json(), headers=headers)


_CODES = {
    400: "BadRequestException",
    403: "AccessDeniedException",
    404: "NotFoundException",
    408: "RequestTimeoutException",
    409: "ConflictException",
    422: "VALIDATION_ERROR",
    429: "TooManyRequestsException",
    500: "InternalServerErrorException",
    502: "BadGatewayException",
    503: "ServiceUnavailableException",
    504: "GatewayTimeoutException",
}


def _error(status: int) -> Reply:
    code = _CODES.get(status, "InjectedFaultException")
    error = ApiError.one(
        status, code, f"Injected fault ({status})", user_message="Wystąpił błąd. Spróbuj ponownie."
    )
    return Reply(status, error.as_json())
