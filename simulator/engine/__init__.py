"""The scripted customer: a pure state machine over a scenario's script (DESIGN.md).

``CustomerEngine(script).react(state, event, now) -> (state, actions)``. No Django, no I/O:
the clock and the seed arrive as arguments, so any conversation replays exactly.
"""

from simulator.engine.core import (
    Action,
    AgentClosed,
    AgentSaid,
    Begin,
    CancelPending,
    CustomerEngine,
    CustomerState,
    End,
    Event,
    HandBack,
    Say,
    StartTimer,
    TakeOver,
    Tick,
    ToolUsed,
)
from simulator.engine.memory import Catalogue, Contradiction, Fact, Memory, Promise

__all__ = [
    "Action",
    "AgentClosed",
    "AgentSaid",
    "Begin",
    "CancelPending",
    "Catalogue",
    "Contradiction",
    "CustomerEngine",
    "CustomerState",
    "End",
    "Event",
    "Fact",
    "HandBack",
    "Memory",
    "Promise",
    "Say",
    "StartTimer",
    "TakeOver",
    "Tick",
    "ToolUsed",
]
