"""Translated names of the move vocabulary, shared by the lexicon editor and the scorer's pages."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
