"""Test-play beside the editor: the teacher chats with the scripted customer and reads the
engine's trace, turn by turn.

Nothing here is an attempt: the pure engine runs in the request, on the editor's document as
it stands (saved or not), and the play travels in a signed form field (no Conversation or
Message rows, nothing scheduled). Delays are shown, not waited for: a virtual clock moves to
the moment the customer's line arrives, and the teacher jumps it to a timer to test silence.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.utils.translation import gettext as _

from scenarios import services as scenario_services
from scenarios.cues import Recognition
from scenarios.messages import OUTCOME_LABELS, move_label, transition_label
from scenarios.schema import Script, check_source
from simulator.engine import (
    AgentSaid,
    Begin,
    CancelPending,
    CustomerEngine,
    CustomerState,
    End,
    Event,
    Say,
    StartTimer,
    Tick,
)

MAX_TURNS = 80  # a script without loops ends long before; the field stays small
MAX_TEXT = 1000


class PlayError(ValueError):
    """A turn that cannot be played (the state was removed from the script); shown."""


def _salt(user_id: int, scenario_id: int) -> str:
    return f"simulator.testplay:{user_id}:{scenario_id}"


def sign(play: dict[str, Any], *, user_id: int, scenario_id: int) -> str:
    return signing.dumps(play, salt=_salt(user_id, scenario_id), compress=True)


def unsign(token: str, *, user_id: int, scenario_id: int) -> dict[str, Any] | None:
    """The play in `token`, or None for a missing, forged or another user's token."""
    if not token:
        return None
    try:
        play = signing.loads(token, salt=_salt(user_id, scenario_id))
    except signing.BadSignature:
        return None
    return play if isinstance(play, dict) and "state" in play else None


# ------------------------------------------------------------------ turns


def begin(script: Script, *, at: str | None = None, seed: int | None = None) -> dict[str, Any]:
    """A new play: the customer writes first, from the start or from state `at`."""
    seed = secrets.randbelow(2**31) if seed is None else seed
    engine = CustomerEngine(script)
    state = engine.start(seed)
    if at is not None:
        if at not in script.states:
            raise PlayError(_("The script has no state “%(name)s”.") % {"name": at})
        state = CustomerState(node=at, seed=seed)
    play = {"state": state.to_json(), "now": 0.0, "turns": [], "seed": seed, "from": at or ""}
    return _react(play, script, Begin(), kind="restart" if at else "begin")


def say(play: dict[str, Any], script: Script, text: str, recognition: Recognition) -> dict:
    """The teacher's message as a student's: recognised, fed to the engine, traced."""
    state = _state(play, script)
    # The customer's line has arrived by the time the teacher answers it.
    if state.pending is not None:
        play = {**play, "now": max(play["now"], state.pending.due)}
    return _react(play, script, AgentSaid(recognition.moves, text), text=text, found=recognition)


def jump(play: dict[str, Any], script: Script) -> dict[str, Any]:
    """Move the clock to the silence timer and let it fire."""
    state = _state(play, script)
    if state.deadline is None:
        raise PlayError(_("No timer is running: the customer waits for the student."))
    play = {**play, "now": max(play["now"], state.deadline)}
    return _react(play, script, Tick(), kind="tick")


def _state(play: dict[str, Any], script: Script) -> CustomerState:
    state = CustomerState.from_json(play["state"])
    if state.node not in script.states:
        raise PlayError(
            _("The state “%(name)s” is no longer in the script: restart the test-play.")
            % {"name": state.node}
        )
    return state


def _react(
    play: dict[str, Any],
    script: Script,
    event: Event,
    *,
    kind: str = "say",
    text: str = "",
    found: Recognition | None = None,
) -> dict[str, Any]:
    before = CustomerState.from_json(play["state"])
    now = float(play["now"])
    after, actions = CustomerEngine(script).react(before, event, now)
    entered = after.visited[len(before.visited) :]
    turn: dict[str, Any] = {
        "kind": kind,
        "at": now,
        "clock": clock(now),
        "text": text,
        "from": before.node,
        "entered": list(entered),
        "moves": _moves(found) if found else [],
        "segments": _segments(text, found) if found else [],
        "transition": _transition(script, before, after, found, kind),
        "customer": [],
        "timers": [],
        "ending": None,
        "cancelled": False,
        "state": after.to_json(),
    }
    for action in actions:
        match action:
            case Say(text=line, typing_after=typing_after, delay=delay):
                turn["customer"].append(
                    {
                        "text": line,
                        "typing_after": round(typing_after, 1),
                        "delay": round(delay, 1),
                        "clock": clock(now + delay),
                    }
                )
            case StartTimer(due=due):
                silence = next(
                    (t for t in script.states[after.node].transitions if "silence" in t.on), None
                )
                turn["timers"].append(
                    {
                        "in": round(due - now, 1),
                        "clock": clock(due),
                        "to": silence.to if silence else "",
                    }
                )
            case End(ending=ending, outcome=outcome, rating=rating):
                turn["ending"] = {
                    "name": ending,
                    "outcome": outcome,
                    "label": str(OUTCOME_LABELS.get(outcome, outcome)),
                    "rating": rating,
                }
            case CancelPending():
                turn["cancelled"] = True
    turns = [*play["turns"], turn][-MAX_TURNS:]
    return {**play, "state": after.to_json(), "turns": turns}


def clock(seconds: float) -> str:
    """Seconds since the play began as m:ss."""
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def _moves(found: Recognition) -> list[dict[str, Any]]:
    return [
        {
            "move": move,
            "label": move_label(move),
            "evidence": [e.text for e in found.evidence_for(move)],
        }
        for move in found.ordered_moves()
    ]


def _segments(text: str, found: Recognition) -> list[dict[str, Any]]:
    """The message cut at its evidence spans, each span with the moves it shows."""
    marks: dict[int, set[str]] = {}
    for item in found.evidence:
        for i in range(max(0, item.start), min(len(text), item.end)):
            marks.setdefault(i, set()).add(item.move)
    segments: list[dict[str, Any]] = []
    for i, char in enumerate(text):
        moves = sorted(marks.get(i, set()))
        if segments and segments[-1]["moves"] == moves:
            segments[-1]["text"] += char
        else:
            segments.append({"text": char, "moves": moves})
    for segment in segments:
        segment["labels"] = " · ".join(move_label(m) for m in segment["moves"])
    return segments


def _transition(
    script: Script,
    before: CustomerState,
    after: CustomerState,
    found: Recognition | None,
    kind: str,
) -> dict[str, Any] | None:
    """Which transition of the state the engine took (the first that leads where it went)."""
    entered = after.visited[len(before.visited) :]
    if kind in ("begin", "restart") or not entered:
        return None
    source = script.states.get(before.node)
    target = entered[0]
    candidates = [
        (i, t)
        for i, t in enumerate(source.transitions if source else ())
        if t.to == target and (("silence" in t.on) == (kind == "tick"))
    ]
    if not candidates:
        return {"index": None, "label": "", "to": target}
    index, transition = candidates[0]
    return {"index": index, "label": transition_label(transition), "to": target}


# ------------------------------------------------------------------ the pane


@dataclass(frozen=True)
class Pane:
    play: dict[str, Any] | None
    token: str
    states: list[str]
    note: str = ""
    errors: int = 0  # errors in the document: nothing can be played until they are fixed

    @property
    def state(self) -> CustomerState | None:
        return CustomerState.from_json(self.play["state"]) if self.play else None

    @property
    def ended(self) -> bool:
        return bool(self.play and self.play["state"].get("ended"))

    @property
    def deadline_in(self) -> float | None:
        state = self.state
        if state is None or state.deadline is None:
            return None
        return max(0.0, state.deadline - float(self.play["now"]))

    @property
    def state_rows(self) -> list[tuple[str, str]]:
        """The engine state as `to_json()` gives it, every field (new ones too), flattened."""
        return flatten(self.play["state"]) if self.play else []


def flatten(data: Any, prefix: str = "") -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    if isinstance(data, dict) and data:
        for key, value in data.items():
            rows += flatten(value, f"{prefix}.{key}" if prefix else str(key))
        return rows
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    return [(prefix, text)]


def play_turn(user, scenario, data) -> Pane:
    """One request of the test-play pane: start, restart at a state, a message, a clock jump."""
    source = data.get("source") or scenario.latest.source
    script, problems = check_source(source)
    play = unsign(data.get("play", ""), user_id=user.pk, scenario_id=scenario.pk)
    if script is None:
        errors = sum(1 for p in problems if p.severity == "error")
        token = sign(play, user_id=user.pk, scenario_id=scenario.pk) if play else ""
        return Pane(play, token, [], errors=errors)
    action = data.get("action", "")
    note = ""
    try:
        if action == "restart" or play is None:
            at = data.get("at") or None
            play = begin(script, at=at if action == "restart" else None)
        elif action == "jump":
            play = jump(play, script)
        elif action == "say":
            text = " ".join(data.get("text", "").split())[:MAX_TEXT]
            if not text:
                raise PlayError(_("Write a message first."))
            if play["state"].get("ended"):
                raise PlayError(_("The conversation has ended: restart to play again."))
            last = _last_customer_line(play)
            found = scenario_services.recognise_draft(
                text, script=script, context=last, instructor_id=user.pk
            )
            play = say(play, script, text, found)
    except PlayError as error:
        note = str(error)
    token = sign(play, user_id=user.pk, scenario_id=scenario.pk) if play else ""
    states = [script.start, *(name for name in script.states if name != script.start)]
    return Pane(play, token, states, note=note)


def _last_customer_line(play: dict[str, Any]) -> str | None:
    for turn in reversed(play["turns"]):
        if turn["customer"]:
            return turn["customer"][-1]["text"]
    return None
