"""Codes from the pure cores mapped to translated text, in one place (STYLE.md).

The scorer (`assessment/scoring/`) returns notes as codes with parameters; pages, exports and
`manage.py score_transcript` read them here, in the active language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from scenarios.messages import MOVE_LABELS, move_label

__all__ = [
    "CRITERION_LABELS",
    "MOVE_LABELS",
    "criterion_label",
    "move_label",
    "note_text",
    "part_label",
    "step_label",
]

CRITERION_LABELS: dict[str, Promise] = {
    "response_time": _("Response time"),
    "accuracy": _("Accuracy against the facts"),
    "promises": _("No unauthorised promises"),
    "clear": _("CLEAR complaint method"),
    "seven_steps": _("Seven-step method"),
    "questions": _("Open and closed questions"),
    "courtesy": _("Courtesy"),
    "outcome": _("Outcome"),
}

# Steps of the methods and sub-measures of criteria (report "parts").
PART_LABELS: dict[str, Promise] = {
    # Steps named after the move that shows them share its label (scenarios/messages.py).
    **{
        key: MOVE_LABELS[key]
        for key in (
            *("greet", "recommend", "negotiate", "verify", "farewell", "follow_up"),
            *("control", "listen", "apologise", "resolve"),
        )
    },
    "establish": MOVE_LABELS["empathise"],
    "ask": pgettext_lazy("seven-step", "Ask"),
    "first_response": _("First response"),
    "average": _("Average response"),
    "three_minute_rate": _("Answered within 3 minutes"),
    "facts": _("Claims match the facts"),
    "verified": _("Order read back"),
    "remark": _("Seller's remark holds every change"),
    "remark_size": _("the new size"),
    "remark_colour": _("the new colour"),
    "remark_address": _("the new address"),
    "remark_note": _("the note the customer asked for"),
    "remark_empty": _("any remark at all"),
    "open": _("Open questions"),
    "closed": _("Closed questions"),
    "no_forbidden": _("No forbidden phrases"),
    "address": _("Polite form of address"),
    "last_line_answered": _("Last customer line answered"),
}

NOTES: dict[str, Promise] = {
    "none": _("No details."),
    # response time
    "response_time.no_customer": _("The customer wrote nothing, so there is no response time."),
    "response_time.never_answered": _("The customer was never answered."),
    "response_time.summary": _(
        "First reply after %(first)s s, %(average)s s on average, longest wait %(longest)s s; "
        "%(rate)s%% of rounds answered within 3 minutes."
    ),
    # accuracy
    "accuracy.no_reply": _("No agent reply to check."),
    "accuracy.ok": _("Every checked claim matches the scenario's facts."),
    "accuracy.no_claims": _("No factual claims to check; nothing contradicted the facts."),
    "accuracy.errors": _("%(errors)s claim(s) contradict the scenario's facts."),
    "accuracy.not_verified": _(
        "The claims were right, but the order was never read back to the customer."
    ),
    "accuracy.errors_not_verified": _(
        "%(errors)s claim(s) contradict the facts, and the order was never read back."
    ),
    "accuracy.remark_missing": _(
        "The order was checked, but the seller's remark lacks: %(missing)s."
    ),
    # unauthorised promises
    "promises.no_reply": _("No agent reply to check."),
    "promises.none": _("No promise beyond the shop's policy or the agent's authority."),
    "promises.made": _(
        "Message #%(seq)s promises what the shop's policy does not allow: the customer may be "
        "pleased, but the shop would have to refuse it or pay for it."
    ),
    "promises.coupon": _(
        "Message #%(seq)s issues a ¥%(amount)s coupon, beyond the agent's authority "
        "(¥%(limit)s): the customer is pleased, the shop pays what it never allowed."
    ),
    "promises.retracted": _(
        "Message #%(seq)s promised too much, but it was corrected in time: half the marks."
    ),
    # methods
    "clear.no_reply": _("No agent reply, so no step of CLEAR was taken."),
    "seven_steps.no_reply": _("No agent reply, so no step was taken."),
    "method.no_steps": _("The rubric lists no steps for this method."),
    "clear.complete": _("Every CLEAR step was taken, in a sensible order."),
    "clear.missing": _("%(present)s of %(steps)s CLEAR steps taken; missing: %(missing)s."),
    "clear.order": _("Every CLEAR step was taken, but not in a sensible order: %(order)s."),
    "seven_steps.complete": _("Every step was taken, in a sensible order."),
    # "Of the steps that apply": bargaining counts only when the customer bargained, and an
    # order confirmation has fewer steps, so "of 6" must not read as a seven-step list cut short.
    "seven_steps.missing": _(
        "%(present)s of the %(steps)s steps that apply here taken; missing: %(missing)s."
    ),
    "seven_steps.order": _("Every step was taken, but not in a sensible order: %(order)s."),
    # questions
    "questions.no_reply": _("No agent reply, so no question was asked."),
    "questions.open_first": _("An open question found the customer's need before the solution."),
    "questions.closed_only": _(
        "Only closed questions before the solution: an open one finds the need better."
    ),
    "questions.late": _("The questions came only after the solution was offered."),
    "questions.none": _("No question was asked to find the customer's need."),
    "questions.need_known": _(
        "The customer asked about a rule, not for help choosing: no need to find out."
    ),
    # courtesy
    "courtesy.no_reply": _("No agent reply to judge."),
    "courtesy.ok": _("Polite throughout: no forbidden phrase."),
    "courtesy.rude": _("%(count)s message(s) use forbidden or dismissive phrasing."),
    "courtesy.address": _("The customer was rarely addressed as 您 or 亲."),
    "courtesy.last_unanswered": _("Polite, but the customer's last line went unanswered."),
    # outcome
    "outcome.success": _("The customer's goal was reached."),
    "outcome.partial": _("The customer's problem was only partly solved."),
    "outcome.lost": _("The customer left without buying or without a solution."),
    "outcome.escalated": _("The customer escalated: a complaint or a bad review."),
    "outcome.inferred_success": _("The customer's last words suggest a purchase or a solution."),
    "outcome.inferred_lost": _("The customer's last words suggest they left unhappy."),
    "outcome.unknown": _("How the conversation ended is not known."),
    "outcome.transferred": _(
        "The customer wanted what only a supervisor can give, and was transferred: the right "
        "move, though she still waits for the answer."
    ),
    "outcome.transferred_easy": _(
        "The customer was transferred to a supervisor, though her question was within the "
        "agent's reach."
    ),
    "outcome.teacher_ended": _(
        "A teacher ended the chat before its ending: the outcome is not scored."
    ),
    "outcome.closed_early": _(
        "The chat was closed while the customer still wanted something: she was abandoned."
    ),
    # what to do next time
    "advice.outcome.calm_first": _(
        "Hear the customer out and apologise before any solution or rule, so the complaint "
        "never comes."
    ),
    "advice.response_time.answer": _("Answer every customer, even just to say you are checking."),
    "advice.response_time.faster": _(
        "Reply within %(first)s s first, then keep every wait short: say you are checking if you "
        "need time."
    ),
    "advice.accuracy.check_facts": _(
        "Check the product panel before stating a price, size, stock or date (see message #%(seq)s)."
    ),
    "advice.accuracy.read_back": _(
        "Read the order back (item, colour, size, address) and ask the customer to confirm."
    ),
    "advice.promises.within_policy": _(
        "Offer only what the policy allows; for anything more, say you will ask your supervisor."
    ),
    "advice.promises.think_first": _(
        "Check the policy before you promise, so nothing has to be taken back."
    ),
    "advice.clear.missing": _("Next time also: %(missing)s."),
    "advice.clear.order": _(
        "Listen and apologise before you offer the solution (%(step)s before %(later)s)."
    ),
    "advice.clear.excuse": _("Apologise without a “but”: an excuse after the apology cancels it."),
    "advice.seven_steps.missing": _("Next time also: %(missing)s."),
    "advice.seven_steps.order": _(
        "Ask about the need before recommending (%(step)s before %(later)s)."
    ),
    "advice.questions.open": _(
        "Start with an open question (what, how, which) to find the real need."
    ),
    "advice.courtesy.rude": _(
        "Replace dismissive phrases with an offer to help (message #%(seq)s): 我帮您查一下."
    ),
    "advice.courtesy.address": _("Address the customer as 您 (or 亲) in your replies."),
    "advice.courtesy.last_line": _("Reply to the customer's last line, even a simple thanks."),
    "advice.accuracy.remark": _(
        "Write every change into the seller's remark (%(missing)s), in the shop's format."
    ),
    "advice.outcome.answer_yourself": _(
        "Answer what is within your authority yourself; transfer only what you may not grant."
    ),
    "advice.outcome.stay": _(
        "Stay with the customer until her question is answered or she says goodbye; never "
        "close the chat on her."
    ),
}


def criterion_label(key: str) -> str:
    return str(CRITERION_LABELS.get(key, key))


def part_label(key: str) -> str:
    return str(PART_LABELS.get(key, MOVE_LABELS.get(key, key)))


step_label = part_label


def _order_text(pair: list[str] | tuple[str, ...]) -> str:
    step, later = pair
    if later == "excuse":
        return gettext("the apology was followed by an excuse")
    return gettext("%(step)s came after %(later)s") % {
        "step": part_label(step),
        "later": part_label(later),
    }


def note_text(code: str, params: Mapping[str, Any] | None = None) -> str:
    """The note in the active language; list parameters become labels joined by commas."""
    template = NOTES.get(code)
    if template is None:
        return code
    values: dict[str, Any] = {}
    for key, value in (params or {}).items():
        if key == "order" and isinstance(value, list):
            values[key] = gettext(", ").join(
                _order_text(pair)
                for pair in value
                if isinstance(pair, list | tuple) and len(pair) == 2
            )
        elif isinstance(value, list | tuple):
            values[key] = gettext(", ").join(part_label(str(item)) for item in value)
        elif key in ("step", "later"):
            values[key] = part_label(str(value))
        else:
            values[key] = value
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):
        return str(template)
