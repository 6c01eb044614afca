"""A request budget shared by every worker of one Allegro application.

Allegro allows about 9 000 requests per minute per Client ID — for the whole application, all
sellers together — and answers 429 beyond that. Calling on while blocked makes the block
longer, so after a 429 every user of the budget must pause until the block should be over,
instead of each worker probing on its own.

:class:`RateBudget` is the protocol the client draws from before each API request:

* ``acquire()`` takes one request slot in the current minute window and returns ``0.0``, or
  returns how many seconds to wait (window full, or a block is in force) without taking a slot;
* ``block_until(ts)`` records "nobody sends before ``ts``" (epoch seconds); a later timestamp
  wins, an earlier one never shortens a stored block.

:class:`InMemoryRateBudget` serves the threads of one process; :class:`RedisRateBudget` serves
every process on every machine that points at the same Redis and key prefix (one atomic Lua
script per call: block check + ``INCR`` of the per-minute counter).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    import redis

__all__ = ["DEFAULT_REQUESTS_PER_MINUTE", "InMemoryRateBudget", "RateBudget", "RedisRateBudget"]

DEFAULT_REQUESTS_PER_MINUTE = 9000


@runtime_checkable
class RateBudget(Protocol):
    """Where API requests take their slot from (see the module docstring)."""

    def acquire(self) -> float:
        """Take a slot and return 0.0, or return the seconds to wait before asking again."""
        ...

    def block_until(self, until: float) -> None:
        """Pause every user of the budget until epoch second ``until`` (never shortens)."""
        ...

    def blocked_until(self) -> float:
        """The stored block end (epoch seconds), 0.0 when none was ever set."""
        ...


class InMemoryRateBudget:
    """A fixed-window budget for the threads of one process."""

    def __init__(
        self,
        *,
        limit: int = DEFAULT_REQUESTS_PER_MINUTE,
        window: float = 60.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("limit must be >= 1 and window > 0")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._lock = threading.RLock()
        self._window_index = -1
        self._count = 0
        self._blocked_until = 0.0

    def acquire(self) -> float:
        with self._lock:
            now = self._clock()
            if self._blocked_until > now:
                return self._blocked_until - now
            index = math.floor(now / self.window)
            if index != self._window_index:
                self._window_index = index
                self._count = 0
            if self._count >= self.limit:
                return (index + 1) * self.window - now
            self._count += 1
            return 0.0

    def block_until(self, until: float) -> None:
        with self._lock:
            self._blocked_until = max(self._blocked_until, until)

    def blocked_until(self) -> float:
        with self._lock:
            return self._blocked_until


# KEYS[1] block-until key, KEYS[2] this window's counter; ARGV now, limit, window end, ttl.
_ACQUIRE_LUA = """
local blocked = tonumber(redis.call('GET', KEYS[1]) or '0')
local now = tonumber(ARGV[1])
if blocked > now then
  return tostring(blocked - now)
end
local count = redis.call('INCR', KEYS[2])
if count == 1 then
  redis.call('EXPIRE', KEYS[2], tonumber(ARGV[4]))
end
if count > tonumber(ARGV[2]) then
  return tostring(tonumber(ARGV[3]) - now)
end
return '0'
"""

# KEYS[1] block-until key; ARGV until, ttl seconds. Keeps the later timestamp.
_BLOCK_LUA = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local wanted = tonumber(ARGV[1])
if wanted > current then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[2]))
end
return tostring(math.max(current, wanted))
"""


class RedisRateBudget:
    """A fixed-window budget in Redis, shared by every process using the same ``key_prefix``.

    ``key_prefix`` should name the Allegro application (its Client ID) and environment, e.g.
    ``"allegro:rate:production:<client_id>"``. Timestamps come from ``clock`` (wall clock);
    machines sharing a budget are assumed to have synchronised clocks (NTP).
    """

    def __init__(
        self,
        client: redis.Redis | Any,
        *,
        key_prefix: str,
        limit: int = DEFAULT_REQUESTS_PER_MINUTE,
        window: float = 60.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("limit must be >= 1 and window > 0")
        self.limit = limit
        self.window = window
        self.key_prefix = key_prefix
        self._redis = client
        self._clock = clock
        self._acquire = client.register_script(_ACQUIRE_LUA)
        self._block = client.register_script(_BLOCK_LUA)

    @property
    def _block_key(self) -> str:
        return f"{self.key_prefix}:blocked-until"

    def acquire(self) -> float:
        now = self._clock()
        index = math.floor(now / self.window)
        counter = f"{self.key_prefix}:count:{index}"
        window_end = (index + 1) * self.window
        ttl = math.ceil(self.window * 2)
        result = self._acquire(
            keys=[self._block_key, counter], args=[repr(now), self.limit, repr(window_end), ttl]
        )
        return max(float(_text(result)), 0.0)

    def block_until(self, until: float) -> None:
        ttl = max(math.ceil(until - self._clock()) + 60, 60)
        self._block(keys=[self._block_key], args=[repr(until), ttl])

    def blocked_until(self) -> float:
        value = self._redis.get(self._block_key)
        return float(_text(value)) if value is not None else 0.0


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
