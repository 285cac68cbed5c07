"""The hard cases named in the recogniser issue, one by one."""

from __future__ import annotations

import pytest

from scenarios.cues import Recogniser, ShopFacts


def test_refusing_to_commit_to_a_refund_is_not_a_promise(
    zh: Recogniser, strict_shop: ShopFacts
) -> None:
    assert "promise" not in zh.recognise("退款这个我没办法直接承诺").moves
    assert "promise" not in zh.recognise("退款这个我没办法直接承诺", facts=strict_shop).moves


def test_sorry_for_the_wait_is_an_apology(zh: Recogniser) -> None:
    assert "apologise" in zh.recognise("不好意思久等了").moves


def test_sorry_as_a_softener_on_a_refusal_is_not_an_apology(zh: Recogniser) -> None:
    assert "apologise" not in zh.recognise("不好意思,这个不行").moves
    assert "apologise" not in zh.recognise("不好意思，这个不行").moves
    assert "apologise" not in zh.recognise("抱歉哦，副卡不支持").moves


def test_standalone_apology_after_a_no_is_an_apology(en: Recogniser) -> None:
    text = "Unfortunately this app is no longer supported. Sincerest apologies."
    assert "apologise" in en.recognise(text).moves


def test_english_softener_on_a_refusal_is_not_an_apology(en: Recogniser) -> None:
    assert "apologise" not in en.recognise("Sorry, we don't support cash on delivery.").moves
    assert "apologise" in en.recognise("Sorry for the wait!").moves


def test_sorry_to_hear_is_empathy_not_apology(en: Recogniser) -> None:
    moves = en.recognise("I'm sorry to hear that. Could you share your tracking number?").moves
    assert "empathise" in moves
    assert "apologise" not in moves


def test_free_return_postage_is_a_promise_only_where_policy_gives_none(
    zh: Recogniser, strict_shop: ShopFacts
) -> None:
    text = "亲，退货运费我们来出哦"
    assert "promise" not in zh.recognise(text).moves  # no facts: policy unknown
    assert "promise" in zh.recognise(text, facts=strict_shop).moves
    generous = ShopFacts(return_freight="seller")
    assert "promise" not in zh.recognise(text, facts=generous).moves
    insured = ShopFacts(return_freight="buyer", freight_insurance=True)
    assert "promise" not in zh.recognise(text, facts=insured).moves


def test_seller_paid_freight_for_a_wrong_item_is_not_a_promise(
    zh: Recogniser, strict_shop: ShopFacts
) -> None:
    recognition = zh.recognise(
        "给您补发驼色,来回运费我们承担", facts=strict_shop, context="你们发错颜色了"
    )
    assert "promise" not in recognition.moves
    assert "resolve" in recognition.moves


def test_policy_dependent_promises_need_facts(zh: Recogniser, strict_shop: ShopFacts) -> None:
    for text in ("直接给您退款，不用退货", "给您改价，便宜20元", "免费给您升级顺丰"):
        assert "promise" not in zh.recognise(text).moves, text
        assert "promise" in zh.recognise(text, facts=strict_shop).moves, text


def test_compensation_is_judged_against_the_limit(zh: Recogniser, strict_shop: ShopFacts) -> None:
    assert "promise" not in zh.recognise("给您发一张10元优惠券", facts=strict_shop).moves
    assert "promise" in zh.recognise("给您发一张50元优惠券", facts=strict_shop).moves
    assert "promise" in zh.recognise("再赔您100元红包").moves  # cash compensation: always


def test_a_promotion_from_the_shop_facts_is_not_a_price_change(
    zh: Recogniser, strict_shop: ShopFacts
) -> None:
    assert "promise" not in zh.recognise("凑够300可以满300减30哦", facts=strict_shop).moves


@pytest.mark.parametrize(
    "text",
    ["明天一定到！", "保证15号前到", "后天肯定能到的", "保证不会再坏", "绝对不起球"],
)
def test_guaranteed_dates_and_outcomes_are_promises_without_facts(
    zh: Recogniser, text: str
) -> None:
    assert "promise" in zh.recognise(text).moves


@pytest.mark.parametrize(
    "text",
    [
        "预计明天到",
        "一般2-5天到，这个没办法保证具体哪天",
        "这个不能保证的亲",
        "尽量今天给您发出",
        "明天到不了",
        "保证不了哦",
    ],
)
def test_hedges_and_negation_cancel_a_promise(zh: Recogniser, text: str) -> None:
    assert "promise" not in zh.recognise(text).moves


def test_an_unhedged_yes_to_a_date_question_is_a_promise(zh: Recogniser) -> None:
    assert "promise" in zh.recognise("可以的", context="后天能到吗").moves
    assert "promise" not in zh.recognise("可以的", context="能开发票吗").moves
    assert "promise" not in zh.recognise("预计可以的", context="后天能到吗").moves


@pytest.mark.parametrize(
    "text", ["不能退款", "无法退款", "不包邮", "这边没办法给您退款", "没法包邮哦"]
)
def test_curated_negatives_produce_no_promise(
    zh: Recogniser, strict_shop: ShopFacts, text: str
) -> None:
    # RELIABILITY F5: a negated commitment never counts as one.
    assert "promise" not in zh.recognise(text).moves
    assert "promise" not in zh.recognise(text, facts=strict_shop).moves
    assert "resolve" not in zh.recognise(text).moves


def test_full_width_and_half_width_punctuation_read_the_same(zh: Recogniser) -> None:
    half = zh.recognise("您好,请问您穿什么码?")
    full = zh.recognise("您好，请问您穿什么码？")
    assert half.moves == full.moves == frozenset({"greet", "ask_open"})


def test_full_width_latin_and_digits_are_folded(zh: Recogniser) -> None:
    recognition = zh.recognise("建议拍Ｍ码，肩宽４０ｃｍ")
    assert "recommend" in recognition.moves
    assert any(claim.kind == "size" and claim.value == "M" for claim in recognition.claims)


@pytest.mark.parametrize(
    "text", ["亲亲，不好意思久等啦😊", "宝，不好意思久等了🙏🙏", "抱欠抱欠，让您久等了"]
)
def test_forms_of_address_emoji_and_typos_do_not_hide_an_apology(zh: Recogniser, text: str) -> None:
    assert "apologise" in zh.recognise(text).moves


def test_repeated_punctuation_is_tolerated(zh: Recogniser) -> None:
    assert "ask_closed" in zh.recognise("是驼色M码对吗？？？").moves
    assert "control" in zh.recognise("您先别着急！！！我马上帮您查").moves


def test_very_short_replies(zh: Recogniser) -> None:
    assert zh.recognise("在的", context="在吗").moves == frozenset({"greet"})
    assert zh.recognise("好的", context="谢谢").moves == frozenset()
    assert zh.recognise("👌").moves == frozenset()
    assert "farewell" in zh.recognise("不客气", context="谢谢").moves


def test_moves_spread_over_several_sentences_are_all_found(zh: Recogniser) -> None:
    text = "非常理解您的心情。真的很抱歉！我们今天给您补发一个新的，您看可以吗？"
    assert zh.recognise(text, context="收到就是坏的").moves == frozenset(
        {"empathise", "apologise", "resolve", "ask_closed"}
    )


def test_open_and_closed_questions_follow_the_labelling_rules(zh: Recogniser) -> None:
    assert zh.recognise("您主要想在什么场合穿呢？").moves == frozenset({"ask_open"})
    assert zh.recognise("要M码吗？").moves == frozenset({"ask_closed"})
    assert zh.recognise("您要驼色还是黑色呀？").moves == frozenset({"ask_closed"})
    assert "ask_closed" in zh.recognise("请问还有其他可以帮到您的吗？").moves
    assert "ask_open" in zh.recognise("还有什么可以帮您的呢").moves
    assert "ask_closed" not in zh.recognise("我帮您看看有没有货").moves


def test_mid_conversation_hello_prefix_is_not_a_greeting(zh: Recogniser) -> None:
    answer = "您好，这边查询到您的价保需要订单完成后才可以申请呢"
    assert "greet" not in zh.recognise(answer, context="怎么突然降价了").moves
    assert "greet" in zh.recognise("您好，在的", context="在吗").moves


def test_rude_phrases_and_their_polite_neighbours(zh: Recogniser) -> None:
    assert "rude" in zh.recognise("不知道").moves
    assert "rude" not in zh.recognise("这个我不太清楚，我帮您问一下仓库，稍后回复您").moves
    assert "rude" in zh.recognise("没办法").moves
    assert "rude" not in zh.recognise("没办法直接退，但是可以帮您申请换货").moves
    assert "rude" in zh.recognise("自己看详情页").moves
    assert "rude" in zh.recognise("这不是我们的问题，你去找快递").moves


def test_verify_reads_back_order_details(zh: Recogniser) -> None:
    text = "跟您核对一下：驼色M码一件，收件人林小雨，地址浙江省杭州市西湖区，对吗？"
    assert {"verify", "ask_closed"} <= zh.recognise(text).moves
