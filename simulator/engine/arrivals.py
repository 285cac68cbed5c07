"""When the customers of a Double-11 rush drill arrive, and what each one wants (DOMAIN.md §7).

Pure: a seed, a duration and a pool of scenarios in; a list of arrivals out. Per student the
arrivals are a non-homogeneous Poisson process (rate λ₀·m(t), drawn by thinning) over the
30-minute "11.11" curve; a shorter run squeezes the same curve into its minutes, so a 10-minute
drill has the same phases at the same pace per minute, and a third of the customers (a chat
still takes minutes: more would never drain). `intensity` multiplies the pace (tests and
demos). The same seed gives the same arrivals.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# New customers per minute per student at m(t) = 1 (DOMAIN.md §7).
BASE_RATE = 0.25
# The curve's own length: phases are given in these minutes and scaled to the drill's.
CURVE_MINUTES = 30.0
# The decay after the midnight rush: ×4 down to ×1 with this half-life (curve minutes).
DECAY_HALF_LIFE = 3.0
PRE_SALE, IN_SALE, AFTER_SALE = "pre_sale", "order_confirmation", "after_sale"


@dataclass(frozen=True)
class Phase:
    key: str
    start: float  # curve minutes
    end: float
    mix: Mapping[str, float]  # scenario kind -> share of this phase's arrivals


PHASES = (
    Phase("rush", 0, 3, {PRE_SALE: 0.5, IN_SALE: 0.4, AFTER_SALE: 0.1}),
    Phase("decay", 3, 10, {PRE_SALE: 0.4, IN_SALE: 0.45, AFTER_SALE: 0.15}),
    Phase("daytime", 10, 20, {PRE_SALE: 0.45, IN_SALE: 0.35, AFTER_SALE: 0.2}),
    Phase("evening", 20, 26, {PRE_SALE: 0.5, IN_SALE: 0.3, AFTER_SALE: 0.2}),
    # Nobody new in the last two minutes: they let the open chats close.
    Phase("wind_down", 26, 28, {PRE_SALE: 0.45, IN_SALE: 0.35, AFTER_SALE: 0.2}),
)
LAST_ARRIVAL = PHASES[-1].end
PEAK = 4.0


def multiplier(minute: float) -> float:
    """m(t) at `minute` of the 30-minute curve: ×4, decaying to ×1, ×1, ×2, ×0.5, then none."""
    if minute < 0 or minute >= LAST_ARRIVAL:
        return 0.0
    if minute < 3:
        return PEAK
    if minute < 10:
        return 1.0 + (PEAK - 1.0) * 0.5 ** ((minute - 3) / DECAY_HALF_LIFE)
    if minute < 20:
        return 1.0
    if minute < 26:
        return 2.0
    return 0.5


def phase_at(minute: float) -> Phase:
    return next(p for p in PHASES if p.start <= minute < p.end)


def expected_arrivals(until: float = CURVE_MINUTES, steps: int = 6000) -> float:
    """∫ λ₀·m(t) dt over the first `until` curve minutes (the figure DOMAIN.md checks)."""
    width = until / steps
    return BASE_RATE * width * sum(multiplier((i + 0.5) * width) for i in range(steps))


@dataclass(frozen=True)
class Arrival:
    at: float  # seconds after the drill's start
    phase: str
    kind: str
    scenario: int  # an id from the pool


def plan(
    seed: str | int,
    *,
    duration: float,
    pool: Sequence[tuple[int, str]],
    intensity: float = 1.0,
) -> list[Arrival]:
    """The arrivals of one student's drill of `duration` seconds, in time order.

    `pool` is (scenario id, kind) pairs. Each arrival draws its kind from its phase's mix among
    the kinds the pool has (shares renormalised), then a scenario of that kind uniformly.
    """
    if duration <= 0 or not pool:
        return []
    rng = random.Random(f"arrivals:{seed}")
    by_kind: dict[str, list[int]] = {}
    for scenario, kind in pool:
        by_kind.setdefault(kind, []).append(scenario)
    # Drill seconds per curve minute: 60 in a 30-minute run, 20 in a 10-minute one.
    scale = duration / CURVE_MINUTES
    # Per curve minute, so that per drill minute the pace is λ₀·m(t)·intensity.
    rate_max = BASE_RATE * PEAK * intensity * scale / 60
    arrivals: list[Arrival] = []
    minute = 0.0
    while True:
        minute += rng.expovariate(rate_max)
        if minute >= LAST_ARRIVAL:
            break
        if rng.random() * PEAK >= multiplier(minute):
            continue  # thinned out: the rate is below the peak here
        phase = phase_at(minute)
        kind = _draw_kind(rng, phase.mix, by_kind)
        arrivals.append(
            Arrival(
                at=round(minute * scale, 3),
                phase=phase.key,
                kind=kind,
                scenario=rng.choice(by_kind[kind]),
            )
        )
    return arrivals


def _draw_kind(
    rng: random.Random, mix: Mapping[str, float], by_kind: Mapping[str, list[int]]
) -> str:
    kinds = sorted(by_kind)
    weights = [mix.get(kind, 0.0) for kind in kinds]
    if not math.fsum(weights):
        weights = [1.0] * len(kinds)  # the pool has none of the phase's kinds: any will do
    return rng.choices(kinds, weights)[0]
