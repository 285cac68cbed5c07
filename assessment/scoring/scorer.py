"""score(transcript, rubric) -> Report: a sum of criterion scorers over the recognised moves.

Each criterion returns its mark, its maximum (the rubric weight), whether it applies, the message
numbers it rests on and a note code; a criterion that does not apply is left out of the total,
never scored zero. A failed critical criterion (an unauthorised promise, by default) caps the
total and fails the conversation, as shops' QA scorecards do.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from assessment.scoring import tools as shop_tools
from assessment.scoring.accuracy import AgentLine, fact_errors
from assessment.scoring.report import CriterionResult, FactError, Note, Part, Report
from assessment.scoring.response_time import response_times
from assessment.scoring.rubric import Criterion, Rubric, Step
from assessment.scoring.transcript import Transcript
from scenarios.cues import Recogniser, ShopFacts, facts_from_mapping, recogniser_for

SCORER_VERSION = "2026.12.1"


@dataclass(frozen=True)
class Ending:
    """How the conversation ended, when the simulator knows it (an imported chat may not)."""

    outcome: str | None = None  # success, partial, lost, escalated
    rating: int | None = None  # the customer's stars, 1–5
    customer_left: bool = False
    # The student closed the chat before the customer's story reached an ending.
    agent_closed: bool = False
    # The seller's order remark as it stands at the end, when the workspace kept one (None:
    # not known, as for an imported chat, and then not judged).
    remark: str | None = None
    # The student passed the customer to a supervisor (the workspace's 转接主管).
    transferred: bool = False
    # A teacher ended the chat (the live monitor): how it would have ended is not known, and
    # a teacher's own closing line as the customer says nothing of the student's outcome.
    teacher_ended: bool = False


@dataclass(frozen=True)
class _Conversation:
    transcript: Transcript
    agent: tuple[AgentLine, ...]
    facts: ShopFacts | None
    ending: Ending
    errors: tuple[FactError, ...]
    contexts: Mapping[str, re.Pattern[str]]

    def customer_said(self, context: str) -> bool:
        """Whether any customer line matches the lexicon's named context (`bargain`: the
        customer pushed on price; `choice`: their need is open). Language data, not code."""
        pattern = self.contexts.get(context)
        return pattern is not None and any(
            pattern.search(line.text.lower())
            for line in self.transcript.lines
            if line.role == "customer"
        )

    def customer_lines(self) -> list[str]:
        return [line.text for line in self.transcript.lines if line.role == "customer"]

    def with_move(self, *moves: str) -> list[AgentLine]:
        return [line for line in self.agent if line.moves.intersection(moves)]

    def first_with(self, *moves: str) -> AgentLine | None:
        return next((line for line in self.agent if line.moves.intersection(moves)), None)


def score(
    transcript: Transcript,
    rubric: Rubric,
    *,
    facts: ShopFacts | None = None,
    ending: Ending | None = None,
    recogniser: Recogniser | None = None,
) -> Report:
    """The report for one transcript. Agent lines that carry stored moves (recognised when they
    arrived) keep them; claims are read again from the text, which is cheap and deterministic."""
    if facts is None and transcript.shop_facts is not None:
        facts = facts_from_mapping(transcript.shop_facts)
    recogniser = recogniser or recogniser_for(transcript.language)
    agent = []
    context: list[str] = []
    for line in transcript.lines:
        if line.role == "customer":
            context.append(line.text)
            continue
        if transcript.recognised:
            moves, claims = line.moves, recogniser.claims(line.text)
        else:
            found = recogniser.recognise(
                line.text,
                facts=facts,
                context=context[-1] if context else None,
                kind=transcript.kind,
                turn=len(agent) + 1,
            )
            moves, claims = found.moves, found.claims
        agent.append(
            AgentLine(line.seq, line.text, claims, frozenset(moves), " ".join(context[-3:]))
        )
    agent_lines = tuple(agent)
    ending = ending or Ending()
    if ending.remark is None and (remark := shop_tools.last_remark(transcript.tools)) is not None:
        # A file with the workspace's tools carries the remark in its cards.
        ending = replace(ending, remark=remark)
    conversation = _Conversation(
        transcript,
        agent_lines,
        facts,
        ending,
        fact_errors(agent_lines, facts)
        + tuple(
            shop_tools.change_errors(
                transcript.tools, transcript.requested or {}, transcript.shop_facts
            )
        ),
        recogniser.lexicon.contexts,
    )
    results = []
    for criterion in rubric.criteria:
        if not criterion.enabled or criterion.weight <= 0:
            continue
        result = _SCORERS[criterion.key](conversation, criterion, rubric)
        results.append(result)
    # Marks are kept to two decimals, so a stored report reads back exactly as it was made.
    results = [replace(item, score=round(item.score, 2)) for item in results]
    critical_failed = any(item.failed for item in results)
    total = combine(
        ((item.score, item.max) for item in results if item.applicable),
        critical_failed=critical_failed,
        critical_cap=rubric.critical_cap,
    )
    return Report(
        total=total,
        passed=not critical_failed and total >= rubric.pass_mark,
        critical_failed=critical_failed,
        criteria=tuple(results),
        fact_errors=conversation.errors,
        scorer_version=SCORER_VERSION,
        rubric_key=rubric.key,
        rubric_version=rubric.version,
    )


def combine(
    marks: Iterable[tuple[float, float]], *, critical_failed: bool, critical_cap: float
) -> float:
    """The total out of 100 from (mark, maximum) of the criteria that apply. A failed critical
    item scales it into 0..cap rather than clipping it: a failed chat still ranks by its other
    marks, so a careful agent who slipped once reads above a careless one who also promised.
    Teachers' overrides recompute the total with this same rule."""
    pairs = list(marks)
    possible = sum(maximum for _, maximum in pairs)
    total = 100.0 * sum(mark for mark, _ in pairs) / possible if possible else 0.0
    if critical_failed:
        total = total * critical_cap / 100.0
    return round(max(0.0, min(100.0, total)), 1)


# -- criteria ---------------------------------------------------------------------------------


def _not_applicable(criterion: Criterion, code: str) -> CriterionResult:
    return CriterionResult(
        key=criterion.key,
        score=0.0,
        max=criterion.weight,
        applicable=False,
        explanation=Note(code),
        critical=criterion.critical,
    )


def _band(seconds: float, lines: Sequence[float]) -> float:
    """Share of the marks for a time: full within the first line, 80 % and 60 % lines, else 0."""
    full, eighty, sixty = lines
    if seconds <= full:
        return 1.0
    if seconds <= eighty:
        return 0.8
    return 0.6 if seconds <= sixty else 0.0


def response_time(c: _Conversation, criterion: Criterion, rubric: Rubric) -> CriterionResult:
    params = criterion.params
    factor = float(params.get("rush_factor", 1.0) or 1.0)
    first_lines = [x * factor for x in params.get("first_response_lines", (15, 30, 60))]
    average_lines = [x * factor for x in params.get("average_lines", (35, 45, 55))]
    target = float(params.get("three_minute_target", 0.9))
    times = response_times(c.transcript, customer_left=c.ending.customer_left)
    if not times.waits:
        return _not_applicable(criterion, "response_time.no_customer")
    answered = [w for w in times.waits if w.seconds is not None]
    if not answered:
        return CriterionResult(
            key=criterion.key,
            score=0.0,
            max=criterion.weight,
            applicable=True,
            explanation=Note("response_time.never_answered"),
            evidence=tuple(w.customer_seq for w in times.waits),
            critical=criterion.critical,
            advice=Note("advice.response_time.answer"),
        )
    first = times.waits[0].seconds
    first_share = _band(first, first_lines) if first is not None else 0.0
    average = times.average or 0.0
    average_share = _band(average, average_lines)
    within = sum(1 for w in times.waits if w.seconds is not None and w.seconds <= 180 * factor)
    rate = within / len(times.waits)
    rate_share = 1.0 if rate >= target else rate / target
    share = 0.4 * first_share + 0.3 * average_share + 0.3 * rate_share
    longest = max(answered, key=lambda w: w.seconds or 0.0)
    evidence = sorted(
        {
            times.waits[0].customer_seq,
            *(w.customer_seq for w in times.waits if w.answered_by is None),
        }
        | ({longest.customer_seq, longest.answered_by} if longest.answered_by else set())
    )
    parts = (
        Part("first_response", first_share == 1.0, (times.waits[0].customer_seq,)),
        Part("average", average_share == 1.0),
        Part(
            "three_minute_rate",
            rate >= target,
            tuple(
                w.customer_seq for w in times.waits if w.seconds is None or w.seconds > 180 * factor
            ),
        ),
    )
    advice = None
    if share < 0.999:
        advice = Note("advice.response_time.faster", {"first": round(first_lines[0])})
    return CriterionResult(
        key=criterion.key,
        score=criterion.weight * share,
        max=criterion.weight,
        applicable=True,
        explanation=Note(
            "response_time.summary",
            {
                "first": round(first or 0),
                "average": round(average),
                "longest": round(longest.seconds or 0),
                "rate": round(100 * rate),
                "unanswered": times.unanswered,
            },
        ),
        evidence=tuple(seq for seq in evidence if seq is not None),
        critical=criterion.critical,
        advice=advice,
        parts=parts,
    )


_VERIFY_NEEDED = ("order_confirmation",)


def accuracy(c: _Conversation, criterion: Criterion, rubric: Rubric) -> CriterionResult:
    if not c.agent:
        return _not_applicable(criterion, "accuracy.no_reply")
    errors = c.errors
    share = max(0.0, 1.0 - 0.35 * len(errors))
    parts = [Part("facts", not errors, tuple(sorted({e.seq for e in errors})))]
    evidence = [e.seq for e in errors]
    code = "accuracy.errors" if errors else "accuracy.ok"
    claims = sum(len(line.claims) for line in c.agent)
    if not errors and claims == 0:
        if rubric.kind not in _VERIFY_NEEDED:
            # Nothing stated that the facts could check: no marks earned for saying nothing.
            return _not_applicable(criterion, "accuracy.no_claims")
        code = "accuracy.no_claims"
    read_back = next(
        (line.seq for line in c.with_move("verify") if _reads_back(line.text, c.facts)), None
    )
    # The order-check card (核对订单) is a read-back the customer confirms item by item.
    checked = next((tool.seq for tool in shop_tools.checks(c.transcript.tools)), None)
    verified = min((seq for seq in (read_back, checked) if seq is not None), default=None)
    remark = None
    if rubric.kind in _VERIFY_NEEDED:
        parts.append(Part("verified", verified is not None, (verified,) if verified else ()))
        if verified is None:
            share *= 0.5
            code = "accuracy.errors_not_verified" if errors else "accuracy.not_verified"
        else:
            evidence.append(verified)
        if c.ending.remark is not None:
            remark = shop_tools.remark_check(
                c.ending.remark, c.transcript.tools, c.customer_lines()
            )
            if remark.needed:
                where = (remark.seq,) if remark.seq is not None else ()
                parts.append(Part("remark", not remark.missing, where))
                evidence.extend(where)
                if remark.missing:
                    share *= 0.7
                    if code in ("accuracy.ok", "accuracy.no_claims"):
                        code = "accuracy.remark_missing"
    advice = None
    if errors:
        advice = Note("advice.accuracy.check_facts", {"seq": errors[0].seq})
    elif rubric.kind in _VERIFY_NEEDED and verified is None:
        advice = Note("advice.accuracy.read_back")
    elif remark is not None and remark.missing:
        advice = Note("advice.accuracy.remark", {"missing": list(remark.missing)})
    return CriterionResult(
        key=criterion.key,
        score=criterion.weight * share,
        max=criterion.weight,
        applicable=True,
        explanation=Note(
            code,
            {"errors": len(errors), "claims": claims}
            | ({"missing": list(remark.missing)} if remark is not None and remark.missing else {}),
        ),
        evidence=tuple(sorted(set(evidence))),
        critical=criterion.critical,
        advice=advice,
        parts=tuple(parts),
    )


def _reads_back(text: str, facts: ShopFacts | None) -> bool:
    """A read-back names at least two of the order's details (item, colour, size, quantity,
    address, recipient); without order facts, any verify move counts."""
    order = facts.order if facts is not None else None
    if order is None or not order.items:
        return True
    details = set()
    for item in order.items:
        details.update(value for value in (item.colour, item.size) if value)
        if item.name:
            details.add(item.name[-2:])
    for value in (order.recipient, order.address):
        if value:
            details.update(piece for piece in re.split(r"[\s,，]+", value) if len(piece) >= 2)
    lowered = text.lower()
    named = {detail for detail in details if detail.lower() in lowered}
    if re.search(r"\d+\s*(?:件|个|台|条|pcs?|pieces?)|[x×]\s*\d", lowered):
        named.add("qty")
    return len(named) >= 2


# A correction in a later message takes a promise back ("刚才说错了", "sorry, I misspoke").
_RETRACT = re.compile(
    r"说错了|更正|纠正一下|收回|刚才(?:说的)?不(?:对|准确)|不能(?:保证|承诺)|无法(?:保证|承诺)|不好意思.{0,4}刚才"
    r"|misspoke|correction|i was wrong|can(?:no|')t (?:promise|guarantee)|not able to (?:promise|guarantee)",
    re.I,
)


def _promised(criterion: Criterion, note: Note, evidence: Iterable[int]) -> CriterionResult:
    """The critical item failed: a promise or compensation beyond policy stands."""
    return CriterionResult(
        key=criterion.key,
        score=0.0,
        max=criterion.weight,
        applicable=True,
        explanation=note,
        evidence=tuple(evidence),
        critical=criterion.critical,
        failed=criterion.critical,
        advice=Note("advice.promises.within_policy"),
    )


def promises(c: _Conversation, criterion: Criterion, rubric: Rubric) -> CriterionResult:
    beyond = shop_tools.coupons_beyond(c.transcript.tools)
    if beyond:
        # A coupon over the agent's authority is compensation the shop never allowed.
        first = beyond[0]
        return _promised(
            criterion,
            Note(
                "promises.coupon",
                {
                    "seq": first.seq,
                    "amount": first.card.get("amount"),
                    "limit": first.card.get("limit"),
                },
            ),
            sorted({t.seq for t in beyond} | {x.seq for x in c.with_move("promise")}),
        )
    if not c.agent:
        return _not_applicable(criterion, "promises.no_reply")
    made = c.with_move("promise")
    standing: list[AgentLine] = []
    retracted: list[AgentLine] = []
    for line in made:
        later = [other for other in c.agent if other.seq > line.seq][:3]
        if any(_RETRACT.search(other.text) for other in later if "promise" not in other.moves):
            retracted.append(line)
        else:
            standing.append(line)
    if standing:
        return _promised(
            criterion,
            Note("promises.made", {"count": len(standing), "seq": standing[0].seq}),
            [line.seq for line in standing],
        )
    if retracted:
        return CriterionResult(
            key=criterion.key,
            score=criterion.weight * 0.5,
            max=criterion.weight,
            applicable=True,
            explanation=Note("promises.retracted", {"seq": retracted[0].seq}),
            evidence=tuple(line.seq for line in retracted),
            critical=criterion.critical,
            advice=Note("advice.promises.think_first"),
        )
    return CriterionResult(
        key=criterion.key,
        score=criterion.weight,
        max=criterion.weight,
        applicable=True,
        explanation=Note("promises.none"),
        critical=criterion.critical,
    )


_CUT = re.compile(r"但是|不过|可是|只是|\bbut\b|\bhowever\b", re.I)


def _method(c: _Conversation, criterion: Criterion, rubric: Rubric, method: str) -> CriterionResult:
    steps = rubric.steps.get(method) or ()
    if not c.agent:
        return _not_applicable(criterion, f"{method}.no_reply")
    if not steps:
        return _not_applicable(criterion, "method.no_steps")
    first_seq = {}
    checked = next((tool.seq for tool in shop_tools.checks(c.transcript.tools)), None)
    for step in steps:
        line = _step_line(c, step)
        if line is not None:
            first_seq[step.key] = line.seq
        if (
            checked is not None
            and "verify" in step.moves
            and step.position not in ("first", "last")
        ):
            # The order-check card (核对订单) is the verify step, wherever it stands.
            first_seq[step.key] = min(first_seq.get(step.key, checked), checked)
    parts: list[Part] = []
    earned = 0.0
    possible = 0.0
    order_faults: list[tuple[str, str, int]] = []
    # The simulator closed the chat on the customer's own line ("嗯，拍了。") before the student
    # had begun to close: no turn was left for a goodbye or a return visit, so neither is asked.
    # A student who said goodbye had that turn, and could have invited her back in it.
    lines = c.transcript.lines
    closing = [s for s in steps if set(s.moves) <= _CLOSING_MOVES]
    no_last_turn = (
        c.ending.customer_left
        and bool(lines)
        and lines[-1].role == "customer"
        and not any(s.key in first_seq for s in closing)
    )
    for step in steps:
        if step.when == "price_asked" and not c.customer_said("bargain"):
            continue
        if step.when == "choice_asked" and not c.customer_said("choice"):
            continue
        seq = first_seq.get(step.key)
        if seq is None and no_last_turn and set(step.moves) <= _CLOSING_MOVES:
            continue
        possible += step.weight
        if seq is None:
            parts.append(Part(step.key, False))
            continue
        credit = step.weight
        for later in step.before:
            later_seq = first_seq.get(later)
            if later_seq is not None and later_seq < seq:
                credit *= 0.5
                order_faults.append((step.key, later, seq))
        if step.key == "apologise":
            line = next(line for line in c.agent if line.seq == seq)
            if _excuse_after_apology(line.text):
                credit *= 0.5
                order_faults.append(("apologise", "excuse", seq))
        if step.key == "control" and c.with_move("rude"):
            credit *= 0.25
        earned += credit
        parts.append(Part(step.key, True, (seq,)))
    if method == "clear" and "control" not in first_seq and not c.with_move("rude"):
        # Control is the absence of a counter-attack as much as a calming line: credit half.
        control = next((step for step in steps if step.key == "control"), None)
        if control is not None:
            earned += control.weight * 0.5
    share = earned / possible if possible else 0.0
    missing = [part.key for part in parts if not part.present]
    evidence = sorted(
        {seq for part in parts for seq in part.evidence} | {seq for _, _, seq in order_faults}
    )
    if missing:
        code = f"{method}.missing"
    elif order_faults:
        code = f"{method}.order"
    else:
        code = f"{method}.complete"
    params: dict[str, object] = {
        "missing": missing,
        "present": len(parts) - len(missing),
        "steps": len(parts),
    }
    if order_faults:
        params["order"] = [[step, later] for step, later, _ in order_faults]
    advice = None
    if any(later == "excuse" for _, later, _ in order_faults):
        advice = Note("advice.clear.excuse")
    elif order_faults:
        advice = Note(
            f"advice.{method}.order", {"step": order_faults[0][0], "later": order_faults[0][1]}
        )
    elif missing:
        advice = Note(f"advice.{method}.missing", {"missing": missing})
    return CriterionResult(
        key=criterion.key,
        score=criterion.weight * min(1.0, share),
        max=criterion.weight,
        applicable=True,
        explanation=Note(code, params),
        evidence=tuple(evidence),
        critical=criterion.critical,
        advice=advice,
        parts=tuple(parts),
    )


def _earns(line: AgentLine, step: Step) -> bool:
    """Whether a line shows the step. A rude line earns no step (Control runs throughout), and a
    solution or bargain that is itself an unauthorised promise is no step of the method."""
    if not line.moves.intersection(step.moves) or "rude" in line.moves:
        return False
    return not ("promise" in line.moves and step.key in _PROMISE_SPOILS)


_PROMISE_SPOILS = frozenset({"resolve", "negotiate", "recommend"})


def _step_line(c: _Conversation, step: Step) -> AgentLine | None:
    if step.position == "first":
        first = c.agent[0] if c.agent else None
        return first if first is not None and _earns(first, step) else None
    lines = c.agent[-2:] if step.position == "last" else c.agent
    return next((line for line in lines if _earns(line, step)), None)


def _excuse_after_apology(text: str) -> bool:
    apology = re.search(r"抱歉|对不起|不好意思|sorry|apolog", text, re.I)
    return bool(apology and _CUT.search(text[apology.end() :]))


def clear(c: _Conversation, criterion: Criterion, rubric: Rubric) -> CriterionResult:
    return _method(c, criterion, rubric, "clear")


def seven_steps(c: _Conversation, criterion: Criterion, rubric: Rubric) -> CriterionResult:
    return _method(c, criterion, rubric, "seven_steps")


def questions(c: _Conversation, criterion: Criterion, rubric: Rubric) -> CriterionResult:
    if not c.agent:
        return _not_applicable(criterion, "questions.no_reply")
    if rubric.kind == "pre_sale" and not c.customer_said("choice"):
        # Nothing to find out: the buyer asked about a rule, not for help choosing.
        return _not_applicable(criterion, "questions.need_known")
    open_lines = c.with_move("ask_open")
    closed_lines = c.with_move("ask_closed")
    finding = c.with_move("listen")
    first_solution = c.first_with("recommend" if rubric.kind == "pre_sale" else "resolve")
    cutoff = first_solution.seq if first_solution else 10**9
    early_open = [line for line in open_lines if line.seq <= cutoff]
    early_any = [line for line in [*open_lines, *closed_lines, *finding] if line.seq <= cutoff]
    if early_open:
        share, code = 1.0, "questions.open_first"
    elif early_any:
        share, code = 0.6, "questions.closed_only"
    elif open_lines or closed_lines or finding:
        share, code = 0.3, "questions.late"
    else:
        share, code = 0.0, "questions.none"
    evidence = sorted(
        {line.seq for line in (early_open or early_any or [*open_lines, *closed_lines])}
    )
    return CriterionResult(
        key=criterion.key,
        score=criterion.weight * share,
        max=criterion.weight,
        applicable=True,
        explanation=Note(code, {"open": len(open_lines), "closed": len(closed_lines)}),
        evidence=tuple(evidence),
        critical=criterion.critical,
        advice=None if share == 1.0 else Note("advice.questions.open"),
        parts=(
            Part("open", bool(open_lines), tuple(line.seq for line in open_lines)),
            Part("closed", bool(closed_lines), tuple(line.seq for line in closed_lines)),
        ),
    )


_ADDRESS = re.compile(r"您|亲")


def courtesy(c: _Conversation, criterion: Criterion, rubric: Rubric) -> CriterionResult:
    if not c.agent:
        return _not_applicable(criterion, "courtesy.no_reply")
    rude = c.with_move("rude")
    share = max(0.0, 1.0 - 0.5 * len(rude))
    parts = [Part("no_forbidden", not rude, tuple(line.seq for line in rude))]
    addressed = True
    if c.transcript.language.startswith("zh"):
        polite = [line for line in c.agent if _ADDRESS.search(line.text)]
        addressed = len(polite) * 2 >= len(c.agent)
        parts.append(Part("address", addressed, tuple(line.seq for line in polite[:3])))
        if not addressed:
            share *= 0.7
    last_customer = next((line for line in reversed(c.transcript.lines)), None)
    closing_unanswered = (
        last_customer is not None
        and last_customer.role == "customer"
        and not c.ending.customer_left
    )
    if closing_unanswered:
        share *= 0.85
        parts.append(Part("last_line_answered", False, (last_customer.seq,)))
    code = "courtesy.rude" if rude else ("courtesy.address" if not addressed else "courtesy.ok")
    if closing_unanswered and code == "courtesy.ok":
        code = "courtesy.last_unanswered"
    advice = None
    if rude:
        advice = Note("advice.courtesy.rude", {"seq": rude[0].seq})
    elif not addressed:
        advice = Note("advice.courtesy.address")
    elif closing_unanswered:
        advice = Note("advice.courtesy.last_line")
    return CriterionResult(
        key=criterion.key,
        score=criterion.weight * share,
        max=criterion.weight,
        applicable=True,
        explanation=Note(code, {"count": len(rude)}),
        evidence=tuple(
            sorted({seq for part in parts for seq in part.evidence if not part.present})
        ),
        critical=criterion.critical,
        advice=advice,
        parts=tuple(parts),
    )


_CLOSING_MOVES = frozenset({"farewell", "follow_up"})
_OUTCOME_SHARE = {"success": 1.0, "partial": 0.6, "escalated": 0.2, "lost": 0.0}
# An imported chat has no ending: read the customer's last words (a purchase, thanks, a threat).
_GOOD_END = re.compile(
    r"拍了|下单了|已拍|付款了|付了|就这个|那就|好的|好滴|谢谢|感谢|行吧|可以|ok\b|thanks|thank you|great|perfect|ordered|bought|sounds good",
    re.I,
)
_BAD_END = re.compile(
    r"算了|差评|投诉|12315|不买了|去别家|退款吧|平台介入|垃圾|forget it|never again|complain|bad review|cancel",
    re.I,
)


def outcome(c: _Conversation, criterion: Criterion, rubric: Rubric) -> CriterionResult:
    ending = c.ending
    if ending.transferred:
        return _transferred(c, criterion)
    if ending.outcome in _OUTCOME_SHARE:
        share = _OUTCOME_SHARE[ending.outcome]
        if ending.rating is not None:
            share = 0.7 * share + 0.3 * (max(1, min(5, ending.rating)) - 1) / 4
        # A complaint or a bad review fails the chat (when critical), as a shop's QA sheet
        # does: a chat that ended in 投诉 scored 89 and passed on its method marks.
        escalated = ending.outcome == "escalated"
        return CriterionResult(
            key=criterion.key,
            score=criterion.weight * share,
            max=criterion.weight,
            applicable=True,
            explanation=Note(f"outcome.{ending.outcome}", {"rating": ending.rating}),
            critical=criterion.critical,
            failed=escalated and criterion.critical,
            advice=Note("advice.outcome.calm_first") if escalated else None,
        )
    if ending.teacher_ended:
        return _not_applicable(criterion, "outcome.teacher_ended")
    customers = [line for line in c.transcript.lines if line.role == "customer"]
    if not customers:
        return _not_applicable(criterion, "outcome.unknown")
    tail = " ".join(line.text for line in customers[-2:])
    waiting = c.transcript.lines[-1].role == "customer"
    if ending.agent_closed and (waiting or not _GOOD_END.search(tail) or _BAD_END.search(tail)):
        # Closing the chat on a customer who still wanted something is abandoning her: in a
        # shop's QA scorecard that fails the chat, whatever else went well (when critical).
        return CriterionResult(
            key=criterion.key,
            score=0.0,
            max=criterion.weight,
            applicable=True,
            explanation=Note("outcome.closed_early"),
            evidence=(customers[-1].seq,),
            critical=criterion.critical,
            failed=criterion.critical,
            advice=Note("advice.outcome.stay"),
        )
    if _BAD_END.search(tail) or not c.agent:
        share, code = 0.0, "outcome.inferred_lost"
    elif _GOOD_END.search(tail):
        share, code = 1.0, "outcome.inferred_success"
    else:
        return _not_applicable(criterion, "outcome.unknown")
    return CriterionResult(
        key=criterion.key,
        score=criterion.weight * share,
        max=criterion.weight,
        applicable=True,
        explanation=Note(code),
        evidence=(customers[-1].seq,),
        critical=criterion.critical,
    )


def _transferred(c: _Conversation, criterion: Criterion) -> CriterionResult:
    """A transfer to a supervisor: right when the customer demanded what the agent may not
    give (no abandonment), a missed chance when an agent could have answered her."""
    limit = c.facts.compensation_limit if c.facts is not None else None
    transfer = next((t.seq for t in c.transcript.tools if t.kind == "transfer"), None)
    evidence = (transfer,) if transfer is not None else ()
    if shop_tools.demand_beyond_authority(c.customer_lines(), limit):
        share = 0.6
        if c.ending.rating is not None:
            share = 0.7 * share + 0.3 * (max(1, min(5, c.ending.rating)) - 1) / 4
        return CriterionResult(
            key=criterion.key,
            score=criterion.weight * share,
            max=criterion.weight,
            applicable=True,
            explanation=Note("outcome.transferred", {"rating": c.ending.rating}),
            evidence=evidence,
            critical=criterion.critical,
        )
    return CriterionResult(
        key=criterion.key,
        score=criterion.weight * 0.2,
        max=criterion.weight,
        applicable=True,
        explanation=Note("outcome.transferred_easy", {"rating": c.ending.rating}),
        evidence=evidence,
        critical=criterion.critical,
        advice=Note("advice.outcome.answer_yourself"),
    )


_SCORERS: dict[str, Callable[[_Conversation, Criterion, Rubric], CriterionResult]] = {
    "response_time": response_time,
    "accuracy": accuracy,
    "promises": promises,
    "clear": clear,
    "seven_steps": seven_steps,
    "questions": questions,
    "courtesy": courtesy,
    "outcome": outcome,
}
