"""Accuracy and speed of the move recogniser: `python -m bench.recogniser` from the repo root.

Prints per-move precision, recall and F1 with macro-F1 for the labelled development set
(tests/data/moves/) and for the real shop-chat sample read from ../shared at run time (never
copied into the repository), then agent messages per second on one core.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from scenarios.cues import MOVES, recogniser_for

ROOT = Path(__file__).resolve().parent.parent
DEV_DIR = ROOT / "tests" / "data" / "moves"
REAL_CHAT = ROOT.parent / "shared" / "data" / "real-chat" / "utterances.jsonl"


@dataclass(frozen=True)
class Example:
    id: str
    language: str
    context: str
    text: str
    moves: frozenset[str]


@dataclass(frozen=True)
class Score:
    per_move: dict[
        str, tuple[int, int, int]
    ]  # move → (true positives, false positives, false negatives)

    def prf(self, move: str) -> tuple[float, float, float, int]:
        tp, fp, fn = self.per_move[move]
        precision = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1, tp + fn

    def macro_f1(self) -> float:
        """Mean F1 over the moves that occur in the gold labels (a move never labelled and never
        predicted says nothing about accuracy)."""
        scored = [self.prf(move)[2] for move in MOVES if sum(self.per_move[move][::2])]
        return sum(scored) / len(scored) if scored else 0.0

    def lowest(self) -> tuple[str, float]:
        present = [
            (move, self.prf(move)[2])
            for move in MOVES
            if self.per_move[move][0] + self.per_move[move][2]
        ]
        return min(present, key=lambda item: item[1]) if present else ("-", 0.0)


def load_examples(paths: Iterable[Path]) -> list[Example]:
    examples = []
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                row = json.loads(line)
                unknown = set(row["moves"]) - set(MOVES)
                if unknown:
                    raise ValueError(f"{path.name}:{number}: unknown moves {sorted(unknown)}")
                examples.append(
                    Example(
                        id=str(row["id"]),
                        language=row["language"],
                        context=row.get("context") or "",
                        text=row["text"],
                        moves=frozenset(row["moves"]),
                    )
                )
    return examples


def dev_examples() -> list[Example]:
    return load_examples(sorted(DEV_DIR.glob("*.jsonl")))


def evaluate(examples: Sequence[Example]) -> tuple[Score, list[tuple[Example, frozenset[str]]]]:
    counts = {move: [0, 0, 0] for move in MOVES}
    errors = []
    for example in examples:
        predicted = (
            recogniser_for(example.language)
            .recognise(example.text, context=example.context or None)
            .moves
        )
        for move in MOVES:
            gold, got = move in example.moves, move in predicted
            if gold and got:
                counts[move][0] += 1
            elif got:
                counts[move][1] += 1
            elif gold:
                counts[move][2] += 1
        if predicted != example.moves:
            errors.append((example, predicted))
    return Score({move: (tp, fp, fn) for move, (tp, fp, fn) in counts.items()}), errors


def print_table(title: str, score: Score) -> None:
    print(f"\n{title}")
    print(f"{'move':<12}{'P':>7}{'R':>7}{'F1':>7}{'n':>6}")
    for move in MOVES:
        precision, recall, f1, support = score.prf(move)
        print(f"{move:<12}{precision:>7.2f}{recall:>7.2f}{f1:>7.2f}{support:>6}")
    worst, worst_f1 = score.lowest()
    print(f"{'macro-F1':<12}{score.macro_f1():>21.3f}   (lowest: {worst} {worst_f1:.2f})")


def messages_per_second(examples: Sequence[Example], seconds: float = 2.0) -> float:
    """Recognise the examples in a loop on one core for about `seconds` (context included)."""
    pairs = [(recogniser_for(e.language), e.text, e.context or None) for e in examples]
    for recogniser, text, context in pairs:  # warm the caches (lexicons, regexes)
        recogniser.recognise(text, context=context)
    done = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for recogniser, text, context in pairs:
            recogniser.recognise(text, context=context)
        done += len(pairs)
    return done / (time.perf_counter() - start)


# A deliberately naive recogniser (one keyword regex per move), timed on the same messages so
# the speed figure can be read against the machine: the issue quotes ~18,000 msg/s for it.
_NAIVE = {
    "greet": "您好|你好|欢迎|hello|hi",
    "ask_open": "什么|怎么|哪|what|how|which",
    "ask_closed": "吗|是否|还是|\\?",
    "recommend": "推荐|建议|recommend|suggest",
    "negotiate": "优惠|便宜|包邮|券|discount|coupon",
    "verify": "核对|确认|confirm",
    "farewell": "再见|祝您|不客气|bye|welcome",
    "follow_up": "评价|好评|回复您|review|follow up",
    "control": "放心|别着急|worry",
    "listen": "订单号|照片|dm|photo",
    "empathise": "理解|understand",
    "apologise": "抱歉|不好意思|对不起|sorry|apolog",
    "resolve": "补发|换货|退款|refund|replace",
    "promise": "保证|一定|guarantee|promise",
    "rude": "不知道|没办法|自己看|policy",
}


def naive_messages_per_second(examples: Sequence[Example], seconds: float = 1.0) -> float:
    import re

    patterns = [(move, re.compile(rx, re.IGNORECASE)) for move, rx in _NAIVE.items()]
    texts = [e.text for e in examples]
    done = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for text in texts:
            {move for move, pattern in patterns if pattern.search(text)}
        done += len(texts)
    return done / (time.perf_counter() - start)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list dev-set disagreements")
    parser.add_argument("--seconds", type=float, default=2.0, help="length of the speed run")
    args = parser.parse_args(argv)

    dev = dev_examples()
    languages = sorted({e.language for e in dev})
    print(
        f"Development set: {len(dev)} agent messages ({', '.join(languages)}) from {DEV_DIR.relative_to(ROOT)}"
    )
    score, errors = evaluate(dev)
    print_table("Development set", score)
    for language in languages:
        part = [e for e in dev if e.language == language]
        print(f"  {language}: macro-F1 {evaluate(part)[0].macro_f1():.3f} on {len(part)}")
    if args.errors:
        for example, predicted in errors:
            missing = sorted(example.moves - predicted)
            extra = sorted(predicted - example.moves)
            print(
                f"  {example.id}: -{missing} +{extra} | {example.context[:40]} => {example.text[:90]}"
            )

    if REAL_CHAT.exists():
        real = load_examples([REAL_CHAT])
        real_score, _ = evaluate(real)
        print_table(f"Real shop chat: {len(real)} agent messages from {REAL_CHAT}", real_score)
        for language in sorted({e.language for e in real}):
            part = [e for e in real if e.language == language]
            print(f"  {language}: macro-F1 {evaluate(part)[0].macro_f1():.3f} on {len(part)}")
    else:
        print(f"\nReal shop chat: skipped, {REAL_CHAT} is absent")

    rate = messages_per_second(dev, args.seconds)
    naive = naive_messages_per_second(dev, args.seconds / 2)
    print(f"\nSpeed: {rate:,.0f} agent messages per second on one core (dev set, with context)")
    print(f"       naive keyword recogniser on the same messages: {naive:,.0f} per second")
    return 0


if __name__ == "__main__":
    sys.exit(main())
