"""The audit log of a class: one row per change, written in the change's own transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from simulator.models import AuditEvent, Classroom, User

Action = AuditEvent.Action


def record(
    action: AuditEvent.Action,
    *,
    by: User,
    classroom: Classroom | None,
    subject: User | None = None,
    **details: Any,
) -> AuditEvent:
    """Log `action` by `by`; names go into `details` too, so the row reads after deletions."""
    if not transaction.get_connection().in_atomic_block:
        # A change and its record commit together; outside a transaction they could part.
        raise RuntimeError("audit.record runs inside the change's transaction")
    if subject is not None:
        details.setdefault("student", subject.display_name)
        details.setdefault("username", subject.username)
    return AuditEvent.objects.create(
        action=action, actor=by, classroom=classroom, subject=subject, details=details
    )


def describe(event: AuditEvent) -> str:
    """The change in one line of the reader's language, from what the row kept."""
    d = event.details
    match event.action:
        case Action.CLASSROOM_RENAMED:
            return _("“%(old)s” → “%(new)s”") % {"old": d.get("old", ""), "new": d.get("new", "")}
        case Action.STUDENTS_ADDED:
            names = d.get("students", [])
            return ngettext("%(n)s account: %(names)s", "%(n)s accounts: %(names)s", len(names)) % {
                "n": len(names),
                "names": ", ".join(names),
            }
        case Action.CO_TEACHER_ADDED | Action.CO_TEACHER_REMOVED:
            return d.get("teacher", "")
        case Action.ASSIGNMENT_CHANGED:
            return _("%(title)s: %(due)s, attempts %(attempts)s") % {
                "title": d.get("assignment", ""),
                "due": _when(d.get("due_at")),
                "attempts": d.get("max_attempts") or _("unlimited"),
            }
        case Action.ASSIGNMENT_DELETED:
            return d.get("assignment", "")
        case Action.ASSIGNMENT_CREATED:
            return _("%(title)s (%(mode)s): %(due)s, attempts %(attempts)s") % {
                "title": d.get("assignment", ""),
                "mode": d.get("mode", ""),
                "due": _when(d.get("due_at")),
                "attempts": d.get("max_attempts") or _("unlimited"),
            }
        case Action.MARK_OVERRIDDEN:
            return _("%(criterion)s: %(old)s → %(new)s (“%(reason)s”)") % {
                "criterion": _(d["criterion_label"])
                if d.get("criterion_label")
                else d.get("criterion", ""),
                "old": _number(d.get("old")),
                "new": _number(d.get("new")),
                "reason": d.get("reason", ""),
            }
        case Action.TAKEN_OVER:
            return _("%(scenario)s, conversation #%(id)s") % _chat(d)
        case Action.HANDED_BACK:
            return _("%(scenario)s, conversation #%(id)s: back at state “%(state)s”") % {
                **_chat(d),
                "state": d.get("state", ""),
            }
        case Action.CONVERSATION_ENDED:
            if d.get("note"):
                return _("%(scenario)s, conversation #%(id)s (“%(note)s”)") % {
                    **_chat(d),
                    "note": d["note"],
                }
            return _("%(scenario)s, conversation #%(id)s") % _chat(d)
        case Action.QUICK_REPLY_CHANGED:
            changes = {"added": _("added"), "changed": _("changed"), "removed": _("removed")}
            return _("%(change)s “%(title)s”") % {
                "change": changes.get(d.get("change", ""), d.get("change", "")),
                "title": d.get("title", ""),
            }
        case Action.INVITED:
            return _("%(scenario)s: %(agent)s as the agent, %(customer)s as the customer") % {
                "scenario": d.get("scenario", ""),
                "agent": d.get("agent", ""),
                "customer": d.get("customer", ""),
            }
        case Action.PAIRED:
            return _("%(scenario)s: %(agent)s as the agent, %(customer)s as the customer") % {
                "scenario": d.get("scenario", ""),
                "agent": d.get("student", ""),
                "customer": d.get("customer", ""),
            }
    return ""


def _chat(details: dict[str, Any]) -> dict[str, Any]:
    return {"scenario": details.get("scenario", ""), "id": details.get("conversation", "")}


def _when(value: str | None) -> str:
    if not value:
        return _("no due date")
    when = date_format(localtime(datetime.fromisoformat(value)), "SHORT_DATETIME_FORMAT")
    return _("due %(when)s") % {"when": when}


def _number(value: float | None) -> str:
    return "" if value is None else f"{round(value, 1):g}"
