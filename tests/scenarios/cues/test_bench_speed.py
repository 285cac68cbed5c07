"""The benchmark's speed report: median of several runs next to a baseline timed alongside."""

from __future__ import annotations

import pytest

from bench.recogniser import EXPECTED_NAIVE, dev_examples, print_speed, speed_runs


def test_speed_runs_time_ours_and_the_baseline_in_the_same_runs() -> None:
    ours, naive = speed_runs(dev_examples()[:30], seconds=0.06, runs=3)
    assert len(ours.wall) == len(naive.wall) == 3
    assert ours.median > 0
    assert naive.median > 0
    assert ours.cpu_median > 0


def test_the_report_names_the_median_the_baseline_and_a_busy_machine(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bench.recogniser.EXPECTED_NAIVE", EXPECTED_NAIVE * 10_000)
    print_speed(dev_examples()[:30], seconds=0.06, runs=3)
    out = capsys.readouterr().out
    assert "agent messages per second on one core (median of 3 runs" in out
    assert "naive keyword recogniser, same messages, same runs" in out
    assert "NOTE: the naive baseline is far below" in out
