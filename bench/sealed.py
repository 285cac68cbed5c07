"""The fixed split of every labelled set into a tuning part and a sealed part.

An item is sealed when a hash of its id falls in the lowest 40 of 100 buckets. The split never
changes, so figures from different days compare; rules and models are tuned only on the rest,
and the texts of sealed items are never printed (the benchmarks show only their totals).
"""

from __future__ import annotations

import hashlib

SEALED_SHARE = 40  # per cent


def is_sealed(item_id: str) -> bool:
    digest = hashlib.sha256(item_id.encode("utf-8")).hexdigest()
    return int(digest[:8], 16) % 100 < SEALED_SHARE


def split(items, key=lambda item: item.id):
    """(tuning, sealed) lists, in the input order."""
    tuning, sealed = [], []
    for item in items:
        (sealed if is_sealed(str(key(item))) else tuning).append(item)
    return tuning, sealed
