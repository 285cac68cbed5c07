"""Codes from the pure cores mapped to translated text, in one place (STYLE.md)."""

from scenarios.messages import MOVE_LABELS, move_label

__all__ = ["MOVE_LABELS", "move_label"]
