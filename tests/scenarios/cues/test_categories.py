"""Rule families that generalise by category (issue 11), each on wordings written for this test,
not taken from any labelled set: reading back or reporting an order change, short replies to
thanks, plain statements of an action, implicit rudeness, unhedged guarantees."""

from __future__ import annotations

import pytest

from scenarios.cues import facts_from_mapping, recogniser_for

ZH = recogniser_for("zh-hans")
EN = recogniser_for("en")
POLICY = facts_from_mapping(
    {"policy": {"return_freight": "buyer", "freight_insurance": False, "compensation_limit": 10}}
)


def zh(text: str, context: str | None = None) -> frozenset[str]:
    return ZH.recognise(text, context=context, facts=POLICY).moves


def en(text: str, context: str | None = None) -> frozenset[str]:
    return EN.recognise(text, context=context, facts=POLICY).moves


@pytest.mark.parametrize(
    "text",
    ["颜色已经给您换过来了", "地址改好了亲", "收货人给您改成李女士了", "白色L码两件，没错吧"],
)
def test_reporting_or_reading_back_an_order_change_is_verify(text):
    assert "verify" in zh(text, "麻烦帮我改一下")


@pytest.mark.parametrize(
    "text",
    [
        "I've changed the colour to navy for you",
        "your address is now updated",
        "What's your new address?",
    ],
)
def test_english_order_changes_and_detail_requests_are_verify(text):
    assert "verify" in en(text, "can I change my order?")


def test_a_plain_change_offer_in_the_future_is_not_yet_verify():
    assert "verify" not in zh("修改成功后会短信通知您", "能改吗")


@pytest.mark.parametrize(("text", "context"), [("谢谢亲~", "好的拍了"), ("不客气哈", "谢谢啦")])
def test_a_short_reply_to_closing_words_is_farewell(text, context):
    assert "farewell" in zh(text, context)


def test_thanks_in_the_middle_of_a_complaint_is_not_farewell():
    assert "farewell" not in zh("谢谢您的耐心，我这边继续帮您查物流", "怎么还没到")


@pytest.mark.parametrize(("text", "context"), [("np!", "thank you"), ("cheers :)", "ok thx")])
def test_english_short_replies_to_thanks_are_farewell(text, context):
    assert "farewell" in en(text, context)


@pytest.mark.parametrize(
    "text", ["马上给您补发一个", "这件事我们来处理", "退款链接发您了", "我去问下仓库"]
)
def test_plain_statements_of_an_action_are_resolve(text):
    assert "resolve" in zh(text, "东西坏了怎么办")


@pytest.mark.parametrize("text", ["done, order cancelled", "I've filed a claim with the courier"])
def test_english_actions_taken_are_resolve(text):
    assert "resolve" in en(text, "it arrived broken")


@pytest.mark.parametrize(
    ("text", "context"),
    [
        ("您是不是自己选错颜色了", "颜色不对啊"),
        ("这是快递摔的 您找快递理赔", "盒子破了"),
        ("大促期间都这样 等着吧", "怎么还不发货"),
        ("商品页都有写的哦", "这个多重啊"),
        ("嗯", "你们到底管不管"),
        ("抱歉你这么觉得", "你们态度太差了"),
    ],
)
def test_implicit_rudeness_is_rude(text, context):
    assert "rude" in zh(text, context)


@pytest.mark.parametrize(
    "text", ["嗯嗯 我帮您看一下", "您自己不用操心，我们来处理", "详情页上的尺码表我帮您截图发过来"]
)
def test_warm_or_helpful_lines_are_not_rude(text):
    assert "rude" not in zh(text, "颜色不对啊")


@pytest.mark.parametrize(
    "text",
    ["k", "did you even read the manual", "check the product page", "sorry you feel that way"],
)
def test_english_implicit_rudeness_is_rude(text):
    assert "rude" in en(text, "it stopped working after a week")


@pytest.mark.parametrize("text", ["绝对不会再坏的", "下周一肯定到"])
def test_unhedged_guarantees_are_promises(text):
    assert "promise" in zh(text, "补发的还会坏吗")


@pytest.mark.parametrize("text", ["这个不敢保证会不会再坏", "一般下周一能到，不能保证"])
def test_refusing_to_guarantee_is_not_a_promise(text):
    assert "promise" not in zh(text, "补发的还会坏吗")


def test_english_guarantees_and_off_platform_payment_are_promises():
    assert "promise" in en("it will definitely arrive by friday", "will it arrive by friday?")
    assert "promise" in en("just pay me via paypal directly", "any cheaper way to pay?")
    assert "promise" not in en("I can't guarantee friday, sorry", "will it arrive by friday?")


def test_how_about_is_no_negation_of_an_off_platform_offer():
    assert "promise" in zh("要不您加我微信，私下便宜点", "能便宜吗")


def test_answering_which_size_with_one_is_a_recommendation():
    assert "recommend" in zh("就拍L码吧", "我该选哪个码")
    assert "recommend" in en("then L is the one for you", "which size should I get?")


def test_asking_for_the_order_number_of_a_problem_is_listen():
    assert "listen" in zh("订单号发我一下哈", "东西少发了一件")
    assert "listen" in en("order number please", "my parcel is missing")


@pytest.mark.parametrize("text", ["快递单号一出来我就发给您", "周三我再来问问您用得怎么样"])
def test_commitments_to_come_back_later_are_follow_up(text):
    assert "follow_up" in zh(text, "好的")


def test_english_commitments_to_come_back_later_are_follow_up():
    assert "follow_up" in en("I'll be back before noon with the answer", "ok")
    assert "follow_up" in en("tell me how it fits after a wash!", "thanks")


@pytest.mark.parametrize("text", ["通勤的话黑色更合适", "或者看看加绒款"])
def test_a_suggestion_tied_to_the_need_is_recommend(text):
    assert "recommend" in zh(text, "我主要上班穿")


def test_a_suggestion_in_a_complaint_is_not_a_sales_recommendation():
    assert "recommend" not in zh("或者看看退货退款", "东西坏了")


def test_promotions_named_in_a_read_back_are_the_read_back_not_bargaining():
    readback = "给您对一下：白色S码一件，满200减20后实付179，包邮，对吗"
    moves = zh(readback, "好的就要这个")
    assert "verify" in moves
    assert "negotiate" not in moves
    assert "negotiate" in zh(readback, "能便宜点吗")  # an answer to a price question bargains


@pytest.mark.parametrize("text", ["单价我这边真的动不了哈", "这已经是活动价了亲"])
def test_holding_the_price_when_asked_is_negotiate(text):
    assert "negotiate" in zh(text, "再便宜点呗")


def test_holding_the_price_in_english_is_negotiate():
    assert "negotiate" in en("sorry, the price is fixed", "can you do it cheaper?")


@pytest.mark.parametrize("text", ["照片收到了，盖子这里确实裂了", "明白了，您是说少发了一双袜子"])
def test_taking_in_and_restating_the_problem_is_listen(text):
    assert "listen" in zh(text, "东西坏了，怎么回事")


def test_restating_the_problem_in_english_is_listen():
    assert "listen" in en("Got them, so the lid arrived cracked", "it arrived broken")


def test_naming_the_variant_after_recommending_is_recommend():
    assert "recommend" in zh("按您的肩宽，推荐藏青L码哦", "我肩膀比较宽")
    assert "recommend" not in zh("建议您申请售后处理", "东西坏了")


@pytest.mark.parametrize(
    "text", ["这不是很正常吗，你急什么", "你是不是自己付款的时候填错了？你自己看看"]
)
def test_waving_away_or_blaming_an_upset_customer_is_rude(text):
    assert "rude" in zh(text, "怎么还没到！！")
