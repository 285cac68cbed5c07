"""The move recogniser: agent message in, moves with evidence and factual claims out.

Pure and deterministic: the lexicon and the shop facts arrive as arguments; no Django, no I/O
after the lexicon is loaded. One scan per move over normalised text, then cheap checks around
each match (negation, hedges, softeners, position, the customer's last message, shop policy).
"""

from __future__ import annotations

import bisect
import re
import threading
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from scenarios.cues.facts import ShopFacts
from scenarios.cues.lexicon import (
    LANGUAGES,
    Lexicon,
    Rule,
    canonical_language,
    compile_lexicon,
    fold_phrase,
    read_lexicon_file,
)
from scenarios.cues.model import MoveModel, Signals, fact_spans, fact_terms, load_model
from scenarios.cues.normalise import Normalised, normalise
from scenarios.cues.phrases import expand, readable, shown
from scenarios.cues.types import EMPTY, MOVES, Claim, Evidence, Recognition

# Past this, a message is a paste, not a chat line; scanning the head keeps the cost bounded.
MAX_SCAN = 4000
# Evidence kept per move: enough to show a student, bounded for very long messages.
MAX_EVIDENCE_PER_MOVE = 4


class Recogniser:
    """Recognises agent moves in one language, from a base lexicon plus instructor phrases."""

    def __init__(self, lexicon: Lexicon, model: MoveModel | None = None) -> None:
        self.lexicon = lexicon
        self.language = lexicon.language
        # The learned component (scenarios/cues/model.py); None: the rules decide alone.
        self.model = model
        q = lexicon.question
        self._q_end = q["end"]
        self._q_closed = q["closed"]
        self._q_open = q["open"]
        self._q_not = q["not_question"]
        self._q_trailing = q["trailing"]
        self._q_start = q["start"]
        self._q_final = q["final"]
        self._q_unmarked_not = q["unmarked_not"]
        self._q_open_first = q["open_first"]
        self._q_soft = q["soft_end"]
        self._q_closed_start = q["closed_start"]
        self._filler = q.get("filler") or re.compile(r"[\s\W_]*")
        self._phrases: dict[tuple[str, int], tuple[str, ...]] = {}
        # The scanners as plain tuples, in order: the loop over them is the hot path.
        slots = lexicon.multi_slots or (-1,) * len(lexicon.scanners)
        self._plan = tuple(
            (
                scanner.move,
                scanner.rules,
                scanner.question_only,
                scanner.context_only,
                slot,
                scanner,
            )
            for scanner, slot in zip(lexicon.scanners, slots, strict=True)
        )

    @classmethod
    def load(
        cls, language: str, extra: Mapping[str, Iterable[str]] | None = None, *, fast: bool = True
    ) -> Recogniser:
        """The base lexicon for `language` ("zh-hans", "en"; "zh-CN" and the like are aliases)
        plus instructor phrases per move; raises ValueError for an unknown language or move.
        `fast=False` scans with plain `re.finditer` (same results, slower: for tests)."""
        code = canonical_language(language)
        return cls(compile_lexicon(read_lexicon_file(code), extra, fast=fast), load_model(code))

    @classmethod
    def from_mapping(
        cls,
        data: Mapping[str, Any],
        extra: Mapping[str, Iterable[str]] | None = None,
        *,
        fast: bool = True,
    ) -> Recogniser:
        """A recogniser from a lexicon mapping (an edited copy of a base file, say)."""
        return cls(compile_lexicon(data, extra, fast=fast))

    def recognise(
        self,
        text: str,
        *,
        facts: ShopFacts | None = None,
        context: str | None = None,
        kind: str | None = None,
        turn: int | None = None,
        rules_only: bool = False,
    ) -> Recognition:
        """Moves, evidence (spans in `text`) and claims for one agent message.

        `context` is the customer's previous line, `kind` the scenario's kind and `turn` the
        agent's line number (1 for the first); all optional. `rules_only` skips the model
        (the benchmark's `--rules-only`)."""
        if not text or text.isspace():
            return EMPTY
        lex = self.lexicon
        norm = normalise(text[:MAX_SCAN], lex.typos, lex.typo_re)
        body = norm.text
        ctx = _Context(context, lex, turn)
        evidence: list[Evidence] = []
        counts: dict[str, int] = {}

        # Sentences are found only when a question is possible or a rule needs one.
        sentences: list[tuple[int, int]] | None = None
        starts: list[int] = []
        kinds: list[str | None] = []
        gate = lex.question_gate
        any_question = False
        if gate is None or gate.search(body) is not None:
            sentences = self._sentences(body)
            starts = [start for start, _ in sentences]
            kinds = [self._question_kind(body[start:end]) for start, end in sentences]
            for index, kind in enumerate(kinds):
                if kind is not None:
                    any_question = True
                    start, end = sentences[index]
                    self._add(evidence, counts, norm, f"ask_{kind}", start, end, f"question.{kind}")

        multi = lex.multi
        hits = multi.scan(body) if multi is not None else {}
        for move, rules, question_only, context_only, slot, scanner in self._plan:
            if (question_only and not any_question) or (context_only and not context):
                continue
            if slot >= 0:
                found = hits.get(slot)
                if found is None:
                    continue
            else:
                found = scanner.spans(body)  # type: ignore[assignment]
            for start, end, index in found:
                if sentences is None:
                    sentences = self._sentences(body)
                    starts = [begin for begin, _ in sentences]
                    kinds = [None] * len(sentences)
                where = bisect.bisect_right(starts, start) - 1 if len(starts) > 1 else 0
                if where < 0:
                    where = 0
                sentence, kind = sentences[where], kinds[where]
                rule = rules[index]
                if not self._holds(rule, start, end, body, sentence, kind, ctx, facts):
                    # The alternation reports one rule per position; a later rule of the same
                    # move may still hold there ("来啦,您好" is no opening, but it is short).
                    retried = self._retry(rules, index, start, body, sentence, kind, ctx, facts)
                    if retried is None:
                        continue
                    rule, start, end = retried
                self._add(evidence, counts, norm, move, start, end, rule.name)
                if counts[move] >= MAX_EVIDENCE_PER_MOVE:
                    break

        self._verify_from_facts(evidence, counts, norm, facts)
        if lex.drops and len(counts) > 1:
            evidence = self._apply_drops(evidence, ctx)
        if self.model is not None and not rules_only:
            evidence = self._apply_model(self.model, evidence, norm, facts, kind, turn)
        if len(evidence) > 1:
            evidence.sort(key=_evidence_order)
        return Recognition(
            moves=frozenset([item.move for item in evidence]),
            evidence=tuple(evidence),
            claims=self._claims(norm, hits),
        )

    def _apply_drops(self, evidence: list[Evidence], ctx: _Context) -> list[Evidence]:
        shown = {item.move for item in evidence}
        dropped = set()
        for move, with_move, unless in self.lexicon.drops:
            if move in shown and with_move in shown:
                context = ctx.text
                if unless is None or not context or not unless.search(context):
                    dropped.add(move)
        return [item for item in evidence if item.move not in dropped] if dropped else evidence

    @staticmethod
    def signals(body: str, facts: ShopFacts | None, kind: str | None, turn: int | None) -> Signals:
        """What the model reads beside the message (shared with the trainer)."""
        terms = fact_terms(facts)
        return Signals(
            facts_named=len(fact_spans(body, terms)) if terms else 0,
            kind=kind,
            turn=turn,
        )

    def _verify_from_facts(
        self,
        evidence: list[Evidence],
        counts: dict[str, int],
        norm: Normalised,
        facts: ShopFacts | None,
    ) -> None:
        """Verify is what a message does with the order's facts: naming two of them (items,
        colour, size, address, recipient, order number) confirms them, whatever the words
        around them. (Reading back the customer's own line, `echoes`, was tried as a rule and
        fired mostly on @handles and quoted numbers in the tuning parts: it is not used.)"""
        if "verify" in counts:
            return
        body = norm.text
        spans = fact_spans(body, fact_terms(facts)) if facts is not None else []
        if len(spans) >= 2:
            self._add(evidence, counts, norm, "verify", spans[0][0], spans[1][1], "verify.facts")

    def model_input(
        self,
        text: str,
        *,
        facts: ShopFacts | None = None,
        kind: str | None = None,
        turn: int | None = None,
    ) -> tuple[str, Signals]:
        """The normalised message and the signals the model reads (bench/train_moves.py trains
        on exactly what the recogniser will feed the model)."""
        lex = self.lexicon
        body = normalise(text[:MAX_SCAN], lex.typos, lex.typo_re).text
        return body, self.signals(body, facts, kind, turn)

    def _apply_model(
        self,
        model: MoveModel,
        evidence: list[Evidence],
        norm: Normalised,
        facts: ShopFacts | None,
        kind: str | None,
        turn: int | None,
    ) -> list[Evidence]:
        """Adds the moves the model is sure of that the rules missed, each with the n-gram that
        spoke most for it as evidence; a rule's move is never removed."""
        body = norm.text
        added = model.confident(body, self.signals(body, facts, kind, turn))
        if not added:
            return evidence
        found = {item.move for item in evidence}
        counts: dict[str, int] = {}
        for move in added:
            if move not in found:
                span = model.strongest(body, move) or (0, len(body))
                self._add(evidence, counts, norm, move, *span, f"model.{move}")
        return evidence

    def _retry(
        self,
        rules: tuple[Rule, ...],
        after: int,
        start: int,
        text: str,
        sentence: tuple[int, int],
        kind: str | None,
        ctx: _Context,
        facts: ShopFacts | None,
    ) -> tuple[Rule, int, int] | None:
        for rule in rules[after + 1 :]:
            if rule.regex is None:
                continue
            match = rule.regex.match(text, start)
            if match is not None and self._holds(
                rule, start, match.end(), text, sentence, kind, ctx, facts
            ):
                return rule, start, match.end()
        return None

    def claims(self, text: str) -> tuple[Claim, ...]:
        """Only the factual claims of a message whose moves were recognised when it arrived
        (the scorer re-reads them for a stored conversation: one scan, not sixteen)."""
        if not text or text.isspace():
            return ()
        lex = self.lexicon
        return self._claims(normalise(text[:MAX_SCAN], lex.typos, lex.typo_re), None)

    def moves(
        self,
        text: str,
        *,
        facts: ShopFacts | None = None,
        context: str | None = None,
        kind: str | None = None,
        turn: int | None = None,
    ) -> frozenset[str]:
        """Just the move names, for callers that do not show evidence."""
        return self.recognise(text, facts=facts, context=context, kind=kind, turn=turn).moves

    # -- what teachers read and add ----------------------------------------------------------

    def phrases(self, move: str, *, limit: int = 40) -> tuple[str, ...]:
        """Readable phrases of the shipped lexicon that show `move`: each rule's plain phrases
        and concrete strings its patterns match (each checked against its rule), taking the
        rules in turn; instructor phrases are not among them. ValueError for an unknown move."""
        if move not in MOVES:
            raise ValueError(f"unknown move {move!r}")
        # Worked out once per recogniser (the lexicon page shows every move on every visit).
        key = (move, limit)
        if key not in self._phrases:
            self._phrases[key] = self._readable_phrases(move, limit)
        return self._phrases[key]

    def _readable_phrases(self, move: str, limit: int) -> tuple[str, ...]:
        sources: list[tuple[re.Pattern[str] | None, list[str]]] = []
        if move in ("ask_open", "ask_closed"):
            # Questions are found by form; the words that make one are the readable part.
            for key in ("open",) if move == "ask_open" else ("closed", "final"):
                pattern = self.lexicon.question[key]
                sources.append((pattern, expand(pattern.pattern)))
        for rule in self.lexicon.rules:
            if rule.move == move and not rule.name.startswith("extra."):
                sources.append((rule.regex, [*rule.phrases, *expand(rule.pattern)]))
        lex = self.lexicon
        checked = [
            [
                text
                for text in texts
                if readable(text)
                and (regex is None or regex.search(normalise(text, lex.typos, lex.typo_re).text))
            ]
            for regex, texts in sources
        ]
        found: dict[str, None] = {}
        for turn in range(max((len(texts) for texts in checked), default=0)):
            for texts in checked:
                if turn < len(texts):
                    text = shown(texts[turn])
                    if readable(text) and self.phrase_problem(text) is None:
                        found.setdefault(text, None)
        return tuple(found)[:limit]

    def phrase_problem(self, phrase: str) -> str | None:
        """Why `phrase` is too weak to add for a move, as a code, or None:
        `no_letters` (punctuation or digits only), `too_short` (one Latin letter),
        `too_common` (a word nearly every message has, such as 的 or "the")."""
        folded = fold_phrase(phrase)
        if not any(unicodedata.category(ch).startswith("L") for ch in folded):
            return "no_letters"
        if len(folded) < 2 and folded.isascii():
            return "too_short"
        if folded in self.lexicon.too_common:
            return "too_common"
        return None

    # -- segmentation and questions --------------------------------------------------------

    def _sentences(self, text: str) -> list[tuple[int, int]]:
        spans = []
        position = 0
        for match in self.lexicon.sentence_break.finditer(text):
            end = match.end()
            if text[position:end].strip():
                spans.append((position, end))
            position = end
        if position < len(text) and text[position:].strip():
            spans.append((position, len(text)))
        return spans or [(0, len(text))]

    def _question_kind(self, sentence: str) -> str | None:
        """ "open", "closed" or None, decided by form (labelling rules: final 吗, A不A, 还是 and
        tags → closed; wh-words without a final 吗 → open). A-not-A and wh-words inside a
        statement ("看看能不能帮您申请") need a question mark or a final 呢 to count."""
        core = self._q_trailing.sub("", sentence).strip()
        if not core or self._q_not.search(core):
            return None
        if self._q_final.search(core):
            return "closed"
        marked = bool(self._q_end.search(sentence))
        soft = self._q_soft.search(sentence) is not None
        has_wh = bool(self._q_open.search(core))
        if marked or soft:
            if self._q_open_first.search(core):
                return "open"  # English "Which part broke, the slider or the teeth?"
            if self._q_closed.search(core):
                return "closed"
            if has_wh:
                return "open"
            return "closed" if marked else None
        if has_wh and self._q_start.search(core) and not self._q_unmarked_not.search(core):
            return "open"
        if self._q_closed_start.search(core):
            return "closed"  # "你是不是一直边充边用", "did u wash it": A-not-A or yes/no, unmarked
        return None

    # -- rule conditions -------------------------------------------------------------------

    def _holds(
        self,
        rule: Rule,
        start: int,
        end: int,
        text: str,
        sentence: tuple[int, int],
        question: str | None,
        ctx: _Context,
        facts: ShopFacts | None,
    ) -> bool:
        lex = self.lexicon
        s_start, s_end = sentence
        if rule.question and question is None:
            return False
        if rule.first_turn and ctx.turn != 1:
            return False
        if rule.where == "start" and not self._is_filler(text[:start]):
            return False
        if rule.where == "end" and not self._is_filler(text[end:]):
            return False
        if rule.where == "alone" and not (
            self._is_filler(text[s_start:start]) and self._is_filler(text[end:s_end])
        ):
            return False
        if rule.where == "short" and len(self._filler.sub("", text)) > 14:
            return False
        context = (
            ctx.text if rule.if_context is not None or rule.unless_context is not None else None
        )
        if rule.if_context is not None:
            if context is None:
                if rule.needs_context:
                    return False
            elif not rule.if_context.search(context):
                return False
        if rule.unless_context is not None and context and rule.unless_context.search(context):
            return False
        # Slices, not pos/endpos: lexicon patterns anchor with ^ on the text after the match.
        if rule.unless_after is not None and rule.unless_after.search(
            text[end : min(s_end, end + rule.after_window)]
        ):
            return False
        if rule.unless_before is not None and rule.unless_before.search(
            text[max(s_start, start - lex.negation_window) : start]
        ):
            return False
        if rule.unless_sentence is not None and rule.unless_sentence.search(text[s_start:s_end]):
            return False
        if rule.unless_message is not None and rule.unless_message.search(text):
            return False
        if rule.negatable and self._negated(text, start, end, s_start, s_end):
            return False
        if rule.hedgeable and lex.hedges.search(text[s_start:s_end]):
            return False
        if rule.needs_facts and facts is None:
            return False
        if rule.policy is not None:
            return self._breaks_policy(rule.policy, text[start:end], text, ctx.text, facts)
        return True

    def _is_filler(self, piece: str) -> bool:
        return not piece or self._filler.fullmatch(piece) is not None

    def _negated(self, text: str, start: int, end: int, s_start: int, s_end: int) -> bool:
        lex = self.lexicon
        # The window stops at a clause break: "不用担心，退款会到账" keeps its commitment.
        window = text[max(s_start, start - lex.negation_window) : start]
        breaks = list(lex.clause_break.finditer(window))
        if breaks:
            window = window[breaks[-1].end() :]
        if lex.negation.search(window):
            return True
        return lex.negation_after.match(text[end : min(s_end, end + 4)]) is not None

    def _breaks_policy(
        self, policy: str, matched: str, text: str, context: str | None, facts: ShopFacts | None
    ) -> bool:
        """True when the commitment is outside what the shop allows; without facts only the
        commitments no shop can guarantee count (a delivery date, a compensation promise).
        With facts, platform red lines (off-platform payment or contact, cash for a review)
        always count, and a special VAT invoice counts where the facts allow only 普票."""
        contexts = self.lexicon.contexts
        fault = contexts.get("fault")
        if policy == "guaranteed_delivery":
            return facts is None or not facts.guaranteed_delivery
        if facts is None:
            return policy == "compensation"
        if policy in ("off_platform", "cash_for_review"):
            # Platform red lines: no shop's policy allows them (DOMAIN.md §6).
            return True
        if policy == "special_invoice":
            return facts.special_invoice is False
        if policy == "free_return":
            # Faulty or wrong items: the seller pays both ways by law, so it is not a promise.
            if fault is not None and (fault.search(text) or (context and fault.search(context))):
                return False
            # A case the shop's own rules pay the postage for ("过敏…运费由我们承担").
            said = f"{text} {context or ''}".lower()
            if any(case in said for case in facts.postage_paid_cases()):
                return False
            return facts.free_return_allowed is False
        if policy == "refund_before_return":
            return facts.refund_before_return is False
        if policy == "price_change":
            if facts.price_change:
                return False
            return not self._in_promotions(matched, facts)
        if policy == "compensation":
            amount = _first_number(matched)
            if facts.compensation_limit is None or amount is None:
                return True
            return amount > facts.compensation_limit
        if policy == "free_upgrade":
            return bool(facts.shipping_upgrades) or facts.price_change is False
        return False

    @staticmethod
    def _in_promotions(matched: str, facts: ShopFacts) -> bool:
        promotions = normalise(facts.promotion_text()).text
        numbers = re.findall(r"\d+(?:\.\d+)?", matched)
        return bool(numbers) and all(number in promotions for number in numbers)

    # -- evidence and claims ---------------------------------------------------------------

    @staticmethod
    def _add(
        evidence: list[Evidence],
        counts: dict[str, int],
        norm: Normalised,
        move: str,
        start: int,
        end: int,
        rule: str,
    ) -> None:
        if counts.get(move, 0) >= MAX_EVIDENCE_PER_MOVE:
            return
        begin, finish = norm.span(start, end)
        snippet = norm.original[begin:finish].strip()
        if not snippet:
            return
        # Trim the span to the visible snippet so highlighting never starts on a space.
        begin = norm.original.index(snippet, begin)
        counts[move] = counts.get(move, 0) + 1
        evidence.append(Evidence(move, begin, begin + len(snippet), snippet, rule))

    def _claims(
        self, norm: Normalised, hits: Mapping[int, list[tuple[int, int, int]]] | None = None
    ) -> tuple[Claim, ...]:
        lex = self.lexicon
        scanner = lex.claims
        if scanner is None:
            return ()
        body = norm.text
        if lex.claims_slot >= 0 and hits is not None:
            spans: Iterable[tuple[int, int, int]] = hits.get(lex.claims_slot, ())
        else:
            spans = scanner.spans(body)
        found: list[Claim] = []
        for start, end, index in spans:
            kind = scanner.rules[index].move
            begin, finish = norm.span(start, end)
            snippet = norm.original[begin:finish]
            found.append(Claim(kind, snippet, _claim_value(kind, body[start:end]), begin, finish))
            if len(found) >= 12:
                break
        return tuple(found)


def _evidence_order(item: Evidence) -> tuple[int, int, str]:
    return (item.start, item.end, item.move)


_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_SIZE = re.compile(r"(?<![a-z])(xxxl|xxl|2xl|3xl|xl|xs|s|m|l)(?![a-z])|\d{2,3}(?=码|号|cm)")


def _first_number(text: str) -> float | None:
    found = _NUMBER.search(text)
    return float(found.group()) if found else None


def _claim_value(kind: str, text: str) -> str | float | None:
    if kind == "price":
        return _first_number(text)
    if kind == "size":
        found = _SIZE.search(text)
        return found.group().upper() if found else None
    if kind == "stock":
        number = _first_number(text)
        return number if number is not None else text
    return text


class _Context:
    """The customer's last message, normalised only if a rule asks about it."""

    __slots__ = ("_done", "_lexicon", "_raw", "_text", "turn")

    def __init__(self, raw: str | None, lexicon: Lexicon, turn: int | None = None) -> None:
        self.turn = turn  # the agent's line number in its conversation, when the caller knows it
        self._raw = raw
        self._lexicon = lexicon
        self._text: str | None = None
        self._done = not raw

    @property
    def text(self) -> str | None:
        if not self._done:
            lex = self._lexicon
            self._text = normalise(self._raw[:MAX_SCAN], lex.typos, lex.typo_re).text  # type: ignore[index]
            self._done = True
        return self._text


@lru_cache(maxsize=16)
def recogniser_for(language: str) -> Recogniser:
    """The cached base recogniser for a language; raises ValueError for a language with no
    lexicon (callers decide the fallback, so a typo in a scenario's language is not hidden)."""
    return Recogniser.load(canonical_language(language))


def warm() -> threading.Thread:
    """Compile every language's lexicon in a background thread. A server calls it as it starts,
    so that neither its first chat line nor its start-up sweep compiles the lexicons (2–3 s)
    in the database thread that every socket waits on. No lock: a caller that comes before
    the thread is done compiles for itself (seconds of work once), and never waits on it."""

    def compile_all() -> None:
        for language in LANGUAGES:
            recogniser_for(language)

    thread = threading.Thread(target=compile_all, name="lexicon-warm-up", daemon=True)
    thread.start()
    return thread
