"""The token bucket behind the socket's flood control: pure, time moved by hand."""

from __future__ import annotations

import pytest

from simulator.ratelimit import Buckets, Rate, TokenBucket, admit, retry_after
from tests.test_layering import ROOT, imports


def test_a_full_bucket_passes_its_burst_then_refuses():
    bucket = TokenBucket(Rate(burst=10, per_second=2), now=0.0)

    passed = [admit([bucket], now=0.0) == 0 for _ in range(30)]

    assert passed == [True] * 10 + [False] * 20


def test_refused_frame_is_told_how_long_to_wait_for_one_token():
    bucket = TokenBucket(Rate(burst=2, per_second=2), now=0.0)
    admit([bucket], 0.0)
    admit([bucket], 0.0)

    assert admit([bucket], 0.1) == pytest.approx(0.4)
    assert admit([bucket], 0.5) == 0  # exactly when it said


def test_sustained_rate_is_the_refill_rate():
    bucket = TokenBucket(Rate(burst=10, per_second=2), now=0.0)
    for _ in range(10):
        admit([bucket], 0.0)

    # One frame every 0.1 s for 10 s: only the refill (2/s) gets through.
    passed = sum(admit([bucket], step / 10) == 0 for step in range(1, 101))

    assert passed == 20


def test_bucket_refills_to_its_burst_and_no_further():
    bucket = TokenBucket(Rate(burst=5, per_second=1), now=0.0)
    admit([bucket], 0.0)

    passed = sum(admit([bucket], 1000.0) == 0 for _ in range(8))

    assert passed == 5


def test_a_frame_refused_by_one_bucket_costs_the_others_nothing():
    socket = TokenBucket(Rate(burst=10, per_second=2), now=0.0)
    user = TokenBucket(Rate(burst=1, per_second=1), now=0.0)
    admit([socket, user], 0.0)

    assert admit([socket, user], 0.0) > 0
    assert socket.tokens == 9


def test_clock_stepping_back_refills_nothing():
    bucket = TokenBucket(Rate(burst=1, per_second=1), now=100.0)
    admit([bucket], 100.0)

    assert admit([bucket], 50.0) > 0
    assert admit([bucket], 100.5) == pytest.approx(0.5)


@pytest.mark.parametrize(("wait", "seconds"), [(0.01, 0.1), (0.4, 0.4), (0.41, 0.5), (1.96, 2.0)])
def test_retry_after_is_rounded_up_to_a_tenth(wait, seconds):
    assert retry_after(wait) == seconds


@pytest.mark.parametrize(("burst", "per_second"), [(0, 1.0), (1, 0.0), (5, -1.0)])
def test_a_rate_that_could_never_pass_is_refused(burst, per_second):
    with pytest.raises(ValueError, match="burst"):
        Rate(burst, per_second)


def test_buckets_are_kept_per_key():
    buckets = Buckets()
    rate = Rate(burst=1, per_second=1)
    admit([buckets.get("alice", rate, 0.0)], 0.0)

    assert admit([buckets.get("alice", rate, 0.0)], 0.0) > 0
    assert admit([buckets.get("bob", rate, 0.0)], 0.0) == 0


def test_a_changed_rate_starts_a_fresh_bucket():
    buckets = Buckets()
    admit([buckets.get("alice", Rate(1, 1), 0.0)], 0.0)

    assert admit([buckets.get("alice", Rate(2, 1), 0.0)], 0.0) == 0


def test_full_buckets_are_forgotten_so_memory_follows_active_users():
    buckets = Buckets()
    rate = Rate(burst=2, per_second=1)
    for user in range(5000):
        admit([buckets.get(user, rate, now=float(user))], now=float(user))

    assert len(buckets) <= 1024  # swept on the way: 5,000 users came and went

    buckets.sweep(4999.5)
    assert len(buckets) == 1  # only the last user's bucket is still short of a token


def test_the_rate_limiter_is_pure():
    bad = {
        n
        for n in imports(ROOT / "simulator" / "ratelimit.py")
        if n.split(".")[0] in {"django", "channels"}
    }
    assert not bad
