"""Token buckets for the workspace socket's flood control (docs/protocol.md, "Flood control").

Pure: the caller passes `now` from a monotonic clock, so tests move time by hand and equal
input gives equal output. No Django, no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Rate:
    """`burst` frames at once, refilled at `per_second` (a sustained rate)."""

    burst: int
    per_second: float

    def __post_init__(self) -> None:
        if self.burst < 1 or self.per_second <= 0:
            raise ValueError(f"a rate needs burst >= 1 and per_second > 0, not {self}")


class TokenBucket:
    """Holds up to `rate.burst` tokens; one frame costs one token."""

    __slots__ = ("rate", "tokens", "updated")

    def __init__(self, rate: Rate, now: float) -> None:
        self.rate = rate
        self.tokens = float(rate.burst)
        self.updated = now

    def _refill(self, now: float) -> None:
        # A clock that steps back (it should not: callers pass a monotonic one) refills nothing.
        elapsed = max(0.0, now - self.updated)
        self.tokens = min(float(self.rate.burst), self.tokens + elapsed * self.rate.per_second)
        self.updated = max(self.updated, now)

    def wait(self, now: float) -> float:
        """Seconds until one token is there: 0.0 when a frame may pass now."""
        self._refill(now)
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate.per_second

    def is_full(self, now: float) -> bool:
        self._refill(now)
        return self.tokens >= self.rate.burst


def admit(buckets: Sequence[TokenBucket], now: float) -> float:
    """Take one token from every bucket, or from none; 0.0 when admitted, else seconds to wait.

    All or none, so a frame refused by the user's bucket costs the socket's nothing.
    """
    wait = max((bucket.wait(now) for bucket in buckets), default=0.0)
    if wait > 0:
        return wait
    for bucket in buckets:
        bucket.tokens -= 1
    return 0.0


def retry_after(wait: float) -> float:
    """`wait` rounded up to a tenth of a second, so retrying then is never too early."""
    return max(0.1, math.ceil(round(wait * 10, 6)) / 10)


class Buckets:
    """Token buckets by key (a user and a frame type), made on first use.

    A bucket that has filled up again is the same as a new one, so it is forgotten once the
    map has doubled since the last sweep: memory follows the users active in the last
    `burst / per_second` seconds, not everyone ever seen.
    """

    def __init__(self) -> None:
        self._buckets: dict[Hashable, TokenBucket] = {}
        self._sweep_at = 1024

    def __len__(self) -> int:
        return len(self._buckets)

    def get(self, key: Hashable, rate: Rate, now: float) -> TokenBucket:
        bucket = self._buckets.get(key)
        if bucket is None or bucket.rate != rate:  # a changed limit starts a fresh bucket
            if len(self._buckets) >= self._sweep_at:
                self.sweep(now)
            bucket = self._buckets[key] = TokenBucket(rate, now)
        return bucket

    def sweep(self, now: float) -> None:
        """Forget the buckets that are full again."""
        self._buckets = {k: b for k, b in self._buckets.items() if not b.is_full(now)}
        self._sweep_at = max(1024, 2 * len(self._buckets))
