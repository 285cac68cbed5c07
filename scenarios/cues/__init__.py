"""The move recogniser shared by the customer engine and the scorer (pure: no Django).

    recogniser_for("zh-hans").recognise("亲,不好意思久等了~", context="在吗?")

returns the moves with the evidence for each and the factual claims made. Lexicons are data
files per language (`lexicons/*.yaml`, docs/cues.md); `Recogniser.load(language, extra)` adds
an instructor's phrases per move.
"""

from scenarios.cues.facts import Order, OrderItem, Product, ShopFacts, facts_from_mapping
from scenarios.cues.lexicon import LANGUAGES, LexiconError, canonical_language
from scenarios.cues.recogniser import Recogniser, recogniser_for, warm
from scenarios.cues.types import MOVES, Claim, Evidence, Recognition

__all__ = [
    "LANGUAGES",
    "MOVES",
    "Claim",
    "Evidence",
    "LexiconError",
    "Order",
    "OrderItem",
    "Product",
    "Recogniser",
    "Recognition",
    "ShopFacts",
    "canonical_language",
    "facts_from_mapping",
    "recogniser_for",
    "warm",
]
