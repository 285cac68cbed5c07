"""How well and how fast the scorer grades: `python -m bench.assessment` from the repo root.

Reads the graded set (tests/data/graded/: transcripts written and graded 1–5 by people who had
not read the scorer), scores each with its scenario's facts and the default rubric of its kind,
and prints, for the tuning and the sealed part separately (bench/sealed.py):
- the Spearman correlation between the totals and the teachers' grades (target ≥ 0.85);
- fact-error recall and precision against the graders' list, matched by message number;
- unauthorised-promise recall and precision, likewise;
then transcripts scored per second on one core, for stored conversations (moves recognised on
arrival) and for imported raw transcripts of 40 messages (recognition included).
Only the tuning part's disagreements are ever listed (`--errors`); sealed texts stay unread.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from assessment.scoring import default_rubric, score
from assessment.scoring.transcript import Line, Transcript, parse_transcript
from bench.sealed import split
from scenarios.cues import ShopFacts, facts_from_mapping, recogniser_for
from scenarios.schema import parse_source

ROOT = Path(__file__).resolve().parent.parent
GRADED = ROOT / "tests" / "data" / "graded"
SCENARIOS = ROOT / "fixtures" / "scenarios"


@dataclass(frozen=True)
class Graded:
    id: str
    transcript: Transcript
    facts: ShopFacts | None
    grade: int
    fact_errors: frozenset[int]
    promises: frozenset[int]


@cache
def scenario_facts(name: str) -> tuple[ShopFacts | None, str]:
    script = parse_source((SCENARIOS / f"{name}.yaml").read_bytes())
    facts = facts_from_mapping(
        script.model_dump(include={"shop", "order"}, mode="json", exclude_none=True)
    )
    return facts, script.kind


def load_graded(directory: Path = GRADED) -> list[Graded]:
    items = []
    for path in sorted(directory.glob("*.json")):
        raw = path.read_bytes()
        data = json.loads(raw)
        transcript = parse_transcript(raw)
        facts = None
        if data.get("scenario"):
            facts, kind = scenario_facts(data["scenario"])
            if transcript.kind is None:
                transcript = Transcript(transcript.lines, transcript.language, kind)
        grade = data["grade"]
        items.append(
            Graded(
                id=data.get("id", path.stem),
                transcript=transcript,
                facts=facts,
                grade=int(grade["score"]),
                fact_errors=frozenset(int(e["seq"]) for e in grade.get("fact_errors", [])),
                promises=frozenset(int(e["seq"]) for e in grade.get("unauthorised_promises", [])),
            )
        )
    return items


def _ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Spearman's rho with average ranks for ties (Pearson correlation of the ranks)."""
    rx, ry = _ranks(xs), _ranks(ys)
    mx, my = statistics.fmean(rx), statistics.fmean(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx)
    vy = sum((b - my) ** 2 for b in ry)
    return cov / (vx * vy) ** 0.5 if vx and vy else 0.0


@dataclass(frozen=True)
class Result:
    item: Graded
    total: float
    fact_errors: frozenset[int]
    promises: frozenset[int]


def evaluate(items: Sequence[Graded]) -> list[Result]:
    results = []
    for item in items:
        report = score(item.transcript, default_rubric(item.transcript.kind), facts=item.facts)
        promises = report.criterion("promises")
        results.append(
            Result(
                item,
                report.total,
                frozenset(error.seq for error in report.fact_errors),
                frozenset(promises.evidence) if promises and promises.applicable else frozenset(),
            )
        )
    return results


def recall_precision(results: Sequence[Result], field: str) -> tuple[float, float, int, int]:
    tp = fp = fn = 0
    for result in results:
        gold = getattr(result.item, field)
        got = getattr(result, field)
        tp += len(gold & got)
        fp += len(got - gold)
        fn += len(gold - got)
    recall = tp / (tp + fn) if tp + fn else 1.0
    precision = tp / (tp + fp) if tp + fp else 1.0
    return recall, precision, tp + fn, tp + fp


def print_part(title: str, results: Sequence[Result]) -> dict[str, float]:
    if not results:
        print(f"\n{title}: empty")
        return {}
    rho = spearman([r.total for r in results], [r.item.grade for r in results])
    fr, fp, fgold, fgot = recall_precision(results, "fact_errors")
    pr, pp, pgold, pgot = recall_precision(results, "promises")
    by_grade: dict[int, list[float]] = {}
    for r in results:
        by_grade.setdefault(r.item.grade, []).append(r.total)
    print(f"\n{title}: {len(results)} transcripts")
    print(f"  Spearman rho, total vs grade: {rho:.3f}   (target ≥ 0.85)")
    print(f"  fact errors: recall {fr:.2f} precision {fp:.2f} ({fgold} graded, {fgot} found)")
    print(f"  promises:    recall {pr:.2f} precision {pp:.2f} ({pgold} graded, {pgot} found)")
    print(
        "  mean total by grade: "
        + "  ".join(
            f"{grade}: {statistics.fmean(totals):5.1f} (n={len(totals)})"
            for grade, totals in sorted(by_grade.items())
        )
    )
    return {"rho": rho, "fact_recall": fr, "fact_precision": fp}


def print_errors(results: Sequence[Result]) -> None:
    for r in sorted(results, key=lambda r: r.item.id):
        missing_f = sorted(r.item.fact_errors - r.fact_errors)
        extra_f = sorted(r.fact_errors - r.item.fact_errors)
        missing_p = sorted(r.item.promises - r.promises)
        extra_p = sorted(r.promises - r.item.promises)
        print(
            f"  {r.item.id}: grade {r.item.grade} total {r.total:5.1f}"
            f"  facts -{missing_f} +{extra_f}  promises -{missing_p} +{extra_p}"
        )


def _stored(transcript: Transcript, facts: ShopFacts | None) -> Transcript:
    """The transcript as a stored conversation holds it: moves recognised on arrival."""
    recogniser = recogniser_for(transcript.language)
    lines = []
    last = None
    for line in transcript.lines:
        moves = frozenset()
        if line.role == "agent":
            moves = recogniser.recognise(line.text, facts=facts, context=last).moves
        else:
            last = line.text
        lines.append(Line(line.seq, line.role, line.text, line.at, moves))
    return Transcript(tuple(lines), transcript.language, transcript.kind, recognised=True)


def _forty(transcript: Transcript) -> Transcript:
    """A 40-message transcript made by repeating the chat's lines, times moving on."""
    lines = []
    source = transcript.lines
    while len(lines) < 40:
        for line in source:
            if len(lines) == 40:
                break
            at = (lines[-1].at + 10.0) if lines else 0.0
            lines.append(Line(len(lines) + 1, line.role, line.text, at))
    return Transcript(tuple(lines), transcript.language, transcript.kind)


def per_second(
    items: Sequence[tuple[Transcript, ShopFacts | None]],
    seconds: float,
    clock=time.perf_counter,
) -> float:
    """Transcripts scored per second of `clock`: wall time by default; process (CPU) time
    counts only this process's work, which a busy shared machine does not distort."""
    rubrics = {
        kind: default_rubric(kind) for kind in ("pre_sale", "order_confirmation", "after_sale")
    }
    for transcript, facts in items:  # warm the lexicons
        score(transcript, rubrics[transcript.kind or "pre_sale"], facts=facts)
    runs = []
    for _ in range(3):
        done = 0
        start = clock()
        while clock() - start < seconds / 3:
            for transcript, facts in items:
                score(transcript, rubrics[transcript.kind or "pre_sale"], facts=facts)
            done += len(items)
        runs.append(done / (clock() - start))
    return statistics.median(runs)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--errors", action="store_true", help="list the tuning part's disagreements"
    )
    parser.add_argument("--seconds", type=float, default=3.0, help="timed work per speed figure")
    parser.add_argument(
        "--cpu", action="store_true", help="time by CPU time of this process, not wall time"
    )
    args = parser.parse_args(argv)

    items = load_graded()
    tuning, sealed = split(items)
    print(f"Graded set: {len(items)} transcripts from {GRADED.relative_to(ROOT)}")
    tuning_results = evaluate(tuning)
    sealed_results = evaluate(sealed)
    print_part("Tuning part", tuning_results)
    figures = print_part("Sealed part (never read while tuning)", sealed_results)
    if args.errors:
        print("\nTuning-part disagreements:")
        print_errors(tuning_results)

    stored = [(_stored(i.transcript, i.facts), i.facts) for i in items if i.transcript.lines]
    raw = [(_forty(i.transcript), i.facts) for i in items if i.transcript.lines]
    clock = time.process_time if args.cpu else time.perf_counter
    stored_rate = per_second(stored, args.seconds, clock)
    raw_rate = per_second(raw, args.seconds, clock)
    print(
        f"\nSpeed on one core{' (CPU time)' if args.cpu else ''}: "
        f"{stored_rate:,.0f} stored conversations/s (target ≥ 500), "
        f"{raw_rate:,.0f} raw 40-message transcripts/s with recognition (target ≥ 200)"
    )
    print(
        f"sealed_rho={figures.get('rho', 0):.3f} sealed_fact_recall={figures.get('fact_recall', 0):.2f} "
        f"stored_per_s={stored_rate:.0f} raw40_per_s={raw_rate:.0f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
