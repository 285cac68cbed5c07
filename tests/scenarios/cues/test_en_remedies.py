"""English agent commitments to concrete remedies (resolve) and their neighbours."""

from __future__ import annotations

import pytest

from scenarios.cues import Recogniser, ShopFacts

WRONG_COLOUR = "You sent the wrong colour!"


@pytest.mark.parametrize(
    "text",
    [
        "We'll send the camel M by SF today, and the shop pays the return postage.",
        "We'll send you the camel M today.",
        "I'll send out the right colour today by SF.",
        "We'll ship the camel one out to you today.",
        "We'll get a new one sent to you tomorrow.",
        "I can exchange it for an M for you",
        "I can swap it for the camel for you.",
        "Let me swap it out for the camel one.",
        "I'll arrange a courier pickup tomorrow",
        "A courier will pick up the wrong coat tomorrow.",
        "We'll resend it today",
        "I've updated the address to your office",
        "I've added the gift note to your order",
        "I'll put a note on your order.",
        "Would you like me to send the camel M today?",
    ],
)
def test_agent_commitments_to_a_remedy_are_resolve(en: Recogniser, text: str) -> None:
    assert "resolve" in en.recognise(text, context=WRONG_COLOUR).moves


@pytest.mark.parametrize(
    "text",
    [
        "Returns are accepted within 7 days.",
        "Our policy allows exchanges within 7 days of delivery.",
        "I'll send you a photo of the camel.",
        "We can't send it today, sorry.",
        "We sent it yesterday.",
        "Rest assured, we'll get this sorted for you today.",
        "Sure, I've added a note: birthday gift, no price tag.",
    ],
)
def test_policy_statements_and_non_remedies_are_not_resolve(en: Recogniser, text: str) -> None:
    assert "resolve" not in en.recognise(text, context=WRONG_COLOUR).moves


def test_tracking_number_is_follow_up_not_resolve(en: Recogniser) -> None:
    moves = en.recognise("I'll send you the tracking number as soon as it ships").moves
    assert moves == {"follow_up"}


def test_apology_with_empathy(en: Recogniser) -> None:
    text = "Sorry for the trouble, I completely understand how frustrating this is"
    assert en.recognise(text, context=WRONG_COLOUR).moves == {"apologise", "empathise"}


def test_shop_paid_return_postage_is_a_promise_only_where_policy_gives_none(
    en: Recogniser,
) -> None:
    text = "We'll send the camel M by SF today, and the shop pays the return postage."
    seller = ShopFacts(return_freight="seller")
    buyer = ShopFacts(return_freight="buyer", freight_insurance=False)
    assert en.recognise(text, context=WRONG_COLOUR, facts=seller).moves == {"resolve"}
    # A wrong item: the seller pays by law, whatever the policy says.
    assert "promise" not in en.recognise(text, context=WRONG_COLOUR, facts=buyer).moves
    no_reason = "I changed my mind, can I send it back?"
    assert "promise" in en.recognise(text, context=no_reason, facts=buyer).moves
    assert "promise" not in en.recognise(text, context=no_reason).moves
