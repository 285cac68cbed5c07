"""Codes of the scenarios app as translated text: the move vocabulary (shared by the lexicon
editor and the scorer's pages) and the problems of a scenario document (`scenarios.schema`)."""

from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from scenarios.schema import TEXTS, Problem, Transition

MOVE_LABELS: dict[str, Promise] = {
    "greet": pgettext_lazy("seven-step", "Greet"),
    "ask_open": _("Open question"),
    "ask_closed": _("Closed question"),
    "recommend": pgettext_lazy("seven-step", "Recommend"),
    "negotiate": pgettext_lazy("seven-step", "Bargain"),
    "verify": pgettext_lazy("seven-step", "Verify"),
    "farewell": pgettext_lazy("seven-step", "Farewell"),
    "follow_up": pgettext_lazy("seven-step", "Follow up"),
    "control": pgettext_lazy("CLEAR", "Control"),
    "listen": pgettext_lazy("CLEAR", "Listen"),
    "empathise": pgettext_lazy("CLEAR", "Establish empathy"),
    "apologise": pgettext_lazy("CLEAR", "Apologise"),
    "resolve": pgettext_lazy("CLEAR", "Resolve"),
    "promise": _("Unauthorised promise"),
    "rude": _("Forbidden phrase"),
}


def move_label(code: str) -> str:
    return str(MOVE_LABELS.get(code, code))


def problem_text(problem: Problem) -> str:
    """What is wrong, in the active language."""
    template = TEXTS.get(problem.code)
    return _filled(template[0], problem) if template else problem.message


def problem_hint(problem: Problem) -> str:
    """How to fix it, in the active language (with “did you mean …?” when one is close)."""
    template = TEXTS.get(problem.code)
    hint = _filled(template[1], problem) if template and template[1] else ""
    if problem.values.get("suggestion"):
        hint = f"{_filled(TEXTS['did_you_mean'][0], problem)} {hint}".strip()
    return hint


def problem_line(problem: Problem, *, file: str = "") -> str:
    """`file:line:col: path: what is wrong — how to fix it` (a warning says so)."""
    file = file or problem.file
    place = ":".join(str(part) for part in (file, problem.line, problem.column) if part)
    text = problem_text(problem)
    if problem.severity == "warning":
        text = gettext("warning: %(text)s") % {"text": text}
    hint = problem_hint(problem)
    parts = [part for part in (place, problem.path, text) if part]
    return ": ".join(parts) + (gettext(" — %(hint)s") % {"hint": hint} if hint else "")


def _filled(template: str, problem: Problem) -> str:
    try:
        return gettext(template) % problem.values
    except (KeyError, TypeError, ValueError):
        return gettext(template)


# ----------------------------------------------------------------- the library pages

PERSONA_LABELS: dict[str, Promise] = {
    "hesitant": _("Hesitant"),
    "bargainer": _("Bargainer"),
    "angry": _("Angry"),
    "detail": _("Detail-minded"),
    "difficult": _("Difficult"),
    "decisive": _("Decisive"),
    "chatty": _("Chatty"),
}
# The same words as the conversation's outcome (simulator.models.Conversation.Outcome).
OUTCOME_LABELS: dict[str, Promise] = {
    "success": _("Success"),
    "partial": _("Partly resolved"),
    "lost": _("Customer lost"),
    "escalated": _("Escalated"),
}


def transition_label(transition: Transition) -> str:
    """What makes the customer move on, in words: “Greet / Open question + Verify”."""
    if transition.on == ["silence"]:
        return gettext("silence %(s)s s") % {"s": _number(transition.after or 0)}
    words = [
        gettext("any message") if name == "any" else move_label(name) for name in transition.on
    ]
    text = gettext(" / ").join(words)
    if transition.all:
        text += gettext(" + %(moves)s") % {
            "moves": gettext(" + ").join(move_label(m) for m in transition.all)
        }
    if transition.unless:
        text += gettext(" (not %(moves)s)") % {
            "moves": gettext(" / ").join(move_label(m) for m in transition.unless)
        }
    return text


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
