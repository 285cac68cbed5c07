"""The rush drill's arrival planner (DOMAIN.md §7): pure, seeded, no Django."""

from __future__ import annotations

import statistics

from simulator.engine import arrivals
from simulator.engine.arrivals import AFTER_SALE, IN_SALE, PRE_SALE, multiplier, phase_at, plan

POOL = [(1, PRE_SALE), (2, PRE_SALE), (3, IN_SALE), (4, AFTER_SALE)]
THIRTY = 30 * 60


def test_the_curve_has_the_phases_of_the_compressed_eleven_eleven():
    assert multiplier(0) == multiplier(2.9) == 4.0
    assert 2.4 < multiplier(6) < 2.6  # one half-life into the decay: 1 + 3/2
    assert multiplier(10) == multiplier(19.9) == 1.0
    assert multiplier(20) == multiplier(25.9) == 2.0
    assert multiplier(26) == 0.5
    assert multiplier(28) == multiplier(29.9) == 0.0
    assert [phase_at(m).key for m in (1, 5, 15, 22, 27)] == [
        "rush",
        "decay",
        "daytime",
        "evening",
        "wind_down",
    ]


def test_expected_figures_match_the_sanity_check():
    assert 12.0 <= arrivals.expected_arrivals() <= 13.5
    assert 6.8 <= arrivals.expected_arrivals(10) <= 7.8


def test_a_thirty_minute_run_brings_twelve_or_thirteen_customers_about_seven_early():
    runs = [plan(seed, duration=THIRTY, pool=POOL) for seed in range(400)]
    assert 12.0 <= statistics.mean(len(r) for r in runs) <= 13.6
    early = statistics.mean(sum(1 for a in r if a.at < 600) for r in runs)
    assert 6.5 <= early <= 8.0
    # Nobody arrives in the last two minutes, in any run.
    assert max(a.at for r in runs for a in r) < 28 * 60
    # Times ascend within a run.
    assert all([a.at for a in r] == sorted(a.at for a in r) for r in runs)


def test_the_same_seed_gives_the_same_arrivals_and_another_seed_others():
    first = plan("drill-7:student-3", duration=THIRTY, pool=POOL)
    assert first == plan("drill-7:student-3", duration=THIRTY, pool=POOL)
    assert first != plan("drill-7:student-4", duration=THIRTY, pool=POOL)


def test_a_shorter_run_squeezes_the_curve_into_its_minutes():
    ten = [plan(seed, duration=600, pool=POOL) for seed in range(400)]
    # A third of the customers, over a third of the time; none in the last 40 s.
    assert 3.6 <= statistics.mean(len(r) for r in ten) <= 4.8
    assert max(a.at for r in ten for a in r) < 600 * 28 / 30
    early = [a for r in ten for a in r if a.at < 200]
    assert len(early) / sum(len(r) for r in ten) > 0.5  # the rush and the decay still lead
    # A faster pace brings more in the same minutes, the curve's shape kept.
    fast = [plan(seed, duration=120, pool=POOL, intensity=12) for seed in range(200)]
    assert 9 <= statistics.mean(len(r) for r in fast) <= 12
    assert max(a.at for r in fast for a in r) < 112


def test_kinds_follow_the_phase_mix_and_scenarios_come_from_the_pool():
    runs = [a for seed in range(600) for a in plan(seed, duration=THIRTY, pool=POOL)]
    rush = [a for a in runs if a.phase == "rush"]
    share = sum(1 for a in rush if a.kind == PRE_SALE) / len(rush)
    assert 0.44 <= share <= 0.56  # 50 % pre-sale in the midnight rush
    after = sum(1 for a in rush if a.kind == AFTER_SALE) / len(rush)
    assert 0.06 <= after <= 0.14
    assert {a.scenario for a in runs} == {1, 2, 3, 4}
    assert all(dict(POOL)[a.scenario] == a.kind for a in runs)


def test_a_pool_of_one_kind_serves_every_phase_with_it():
    only = plan(1, duration=THIRTY, pool=[(9, AFTER_SALE)])
    assert only
    assert {a.scenario for a in only} == {9}
    assert plan(1, duration=THIRTY, pool=[]) == []
