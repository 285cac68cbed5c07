"""Gaps found by the scenario authors: add-on selling, platform red lines judged with the shop's
facts, and honest delivery estimates (docs/cues.md, DOMAIN.md §2, §6, §10 O2/O4/A2)."""

from __future__ import annotations

import pytest

from scenarios.cues import Recogniser, ShopFacts, facts_from_mapping

INVOICE_SHOP = {
    "shop": {
        "name": "暖居",
        "policy": {
            "price_change": False,
            "compensation_limit": 10,
            "notes": ["只能开电子增值税普通发票(需要抬头和税号)，不能开专票", "只能通过平台付款"],
        },
    }
}


@pytest.fixture
def invoice_shop() -> ShopFacts:
    facts = facts_from_mapping(INVOICE_SHOP)
    assert facts is not None
    return facts


# -- 1. add-on selling (关联销售) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("context", "text", "also"),
    [
        ("就买一件卫衣", "再加一条牛仔裤就能用满300减30", {"negotiate"}),
        ("这件配什么好看", "搭配这条裤子更好看，一起拍还送袜子", {"negotiate"}),
        ("就要这个水壶", "顺便带一个吹风机的话可以一起发货哦", set()),
        ("满多少包邮", "还差21元，亲再拍一双袜子就够了", {"negotiate"}),
    ],
)
def test_an_add_on_suggestion_is_recommend(
    zh: Recogniser, context: str, text: str, also: set[str]
) -> None:
    moves = zh.recognise(text, context=context).moves
    assert "recommend" in moves
    assert also <= moves


def test_an_english_add_on_is_recommend_and_negotiate(en: Recogniser) -> None:
    moves = en.recognise("Add the jeans and the 30-off applies.", context="just the hoodie").moves
    assert {"recommend", "negotiate"} <= moves


@pytest.mark.parametrize(
    "text",
    ["不用再拍了亲，刚才那张照片就能看清楚", "麻烦再拍一张照片给我看看", "建议您用白醋加水煮一遍"],
)
def test_photos_and_usage_advice_are_not_add_ons(zh: Recogniser, text: str) -> None:
    assert "recommend" not in zh.recognise(text, context="水壶有水垢").moves


def test_a_pick_between_two_options_is_recommend(zh: Recogniser) -> None:
    assert "recommend" in zh.recognise("驼色更百搭一点", context="黑色还是驼色好看").moves
    assert "recommend" in zh.recognise("大号的", context="用大号还是小号的呢").moves
    assert "recommend" not in zh.recognise("是的", context="用大号还是小号的呢").moves
    assert "recommend" not in zh.recognise("我觉得都好吃", context="哪个口味好吃").moves


def test_a_help_page_is_not_a_recommendation(en: Recogniser) -> None:
    text = "For troubleshooting, please check out our Echo Help page here."
    assert "recommend" not in en.recognise(text, context="my Echo won't connect").moves
    text = "We suggest that you post a tweet on our help account."
    assert "recommend" not in en.recognise(text, context="can't log in").moves


# -- 2. platform red lines -----------------------------------------------------------------


RED_LINES_ZH = [
    "可以公对公转账的，我把账号发您",
    "加我微信私下付，给您便宜点",
    "那您直接转账到我卡上也行",
    "亲给个好评返5元红包哦",
    "五星好评晒图返现3元",
    "可以开专票的亲，把抬头和税号发我",
    "专票可以给您开",
]


@pytest.mark.parametrize("text", RED_LINES_ZH)
def test_red_lines_are_promises_with_facts_only(
    zh: Recogniser, invoice_shop: ShopFacts, text: str
) -> None:
    assert "promise" in zh.recognise(text, facts=invoice_shop).moves
    assert "promise" not in zh.recognise(text).moves  # real chat: no facts, notes only


@pytest.mark.parametrize(
    "text",
    [
        "Sure, you can pay me directly by bank transfer.",
        "Add me on WeChat and we can sort it out there.",
        "Leave us a 5-star review and get $5 cash back!",
        "Yes, we can issue a VAT special invoice for your company.",
    ],
)
def test_english_red_lines_are_promises_with_facts_only(
    en: Recogniser, invoice_shop: ShopFacts, text: str
) -> None:
    assert "promise" in en.recognise(text, facts=invoice_shop).moves
    assert "promise" not in en.recognise(text).moves


@pytest.mark.parametrize(
    "text",
    [
        "不好意思亲，只能通过平台付款哦，不能私下转账",
        "平台规定不能加微信哦，有问题在这里说就好",
        "抱歉亲，我们只能开电子普通发票，专票开不了哦",
        "不好意思，专票不可以开哦，电子普票可以的",
        "您需要开具增值税专用发票是吗？",
    ],
)
def test_refusing_a_red_line_is_not_a_promise(
    zh: Recogniser, invoice_shop: ShopFacts, text: str
) -> None:
    assert "promise" not in zh.recognise(text, facts=invoice_shop).moves


def test_english_refusals_are_not_promises(en: Recogniser, invoice_shop: ShopFacts) -> None:
    for text in (
        "Sorry, we can't take payment outside the platform.",
        "We can only issue electronic ordinary invoices, so a special invoice isn't possible.",
    ):
        assert "promise" not in en.recognise(text, facts=invoice_shop).moves, text


def test_a_special_invoice_is_a_promise_only_where_the_facts_forbid_it(zh: Recogniser) -> None:
    text = "可以开专票的亲"
    allowed = facts_from_mapping({"policy": {"invoice": "可开增值税专用发票"}})
    unknown = facts_from_mapping({"policy": {"returns": "7天无理由"}})
    assert allowed is not None
    assert allowed.special_invoice is True
    assert unknown is not None
    assert unknown.special_invoice is None
    assert "promise" not in zh.recognise(text, facts=allowed).moves
    assert "promise" not in zh.recognise(text, facts=unknown).moves


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({"policy": {"notes": ["只开电子普通发票"]}}, False),
        ({"policy": {"invoice": "electronic ordinary invoice only"}}, False),
        ({"policy": {"special_invoice": True}}, True),
        ("发票：不支持专票", False),
        ({"policy": {}}, None),
    ],
)
def test_invoice_policy_is_read_from_the_facts(facts: object, expected: bool | None) -> None:
    shop = facts_from_mapping(facts)  # type: ignore[arg-type]
    assert shop is not None
    assert shop.special_invoice is expected


def test_cash_for_a_review_is_a_price_matter_not_a_review_request(zh: Recogniser) -> None:
    moves = zh.recognise("需要麻烦您确认收货好评一下返您5元哦").moves
    assert "negotiate" in moves
    assert "follow_up" not in moves
    assert "follow_up" in zh.recognise("收到货满意的话麻烦给个五星好评哦").moves


# -- 3. honest delivery estimates -----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "双11订单72小时内发货，到您那边一般2-5天",
        "双11订单72小时内发货。到您那边一般2-5天",
        "预计后天发出，到杭州一般2-3天",
        "正常情况下3天左右到，具体以物流为准哦",
    ],
)
def test_a_hedged_delivery_estimate_is_not_a_promise(
    zh: Recogniser, strict_shop: ShopFacts, text: str
) -> None:
    for facts in (None, strict_shop):
        recognition = zh.recognise(text, context="15号前能到吗", facts=facts)
        assert "promise" not in recognition.moves
        assert "resolve" not in recognition.moves  # policy information, not a remedy
        assert any(claim.kind == "delivery" for claim in recognition.claims)


def test_a_guaranteed_date_stays_a_promise(zh: Recogniser, en: Recogniser) -> None:
    assert "promise" in zh.recognise("一定能到的，放心", context="11号前能到吗").moves
    assert "promise" in zh.recognise("72小时内一定发货，15号前保证到").moves
    text = "Double-11 orders ship within 72 hours and usually arrive in 2-5 days."
    assert "promise" not in en.recognise(text, context="Will it arrive before the 15th?").moves


# -- general rules found on real shop chat ------------------------------------------------


def test_a_strong_yes_to_a_guarantee_request_is_a_promise_in_a_long_answer(
    zh: Recogniser,
) -> None:
    text = "保证的，运费亲先垫付，收到后给亲补发"
    assert "promise" in zh.recognise(text, context="退回去能确保下次的就不是这样的吗").moves
    assert "promise" not in zh.recognise(text, context="好的").moves


def test_a_gift_promised_after_it_ran_out_is_a_promise(zh: Recogniser) -> None:
    assert "promise" in zh.recognise("刚得知送完了，但是答应亲了我还是送您一套").moves
    assert "promise" in zh.recognise("您下次再来我们店我们给您送点额外的小礼品").moves


def test_questions_about_the_problem_are_listening(zh: Recogniser, en: Recogniser) -> None:
    assert "listen" in zh.recognise("亲收到了几包呢？", context="收到的湿巾少了").moves
    assert "listen" in zh.recognise("亲2盒是不是都拆了？", context="有杂质").moves
    assert "listen" not in zh.recognise("请问还有其他可以帮到您的吗？", context="东西坏了").moves
    assert "listen" not in zh.recognise("方便说下您的体重吗?", context="我160,平时穿S").moves
    text = "Sorry to hear that. Is the light on the front red or green?"
    assert "listen" in en.recognise(text, context="my router keeps dropping").moves
    assert "listen" in en.recognise("Pls, DM your confirmation number.", context="help").moves
    assert (
        "listen"
        not in en.recognise("Is there anything else I can help with?", context="help").moves
    )


def test_remedies_done_by_the_agent_are_resolve(zh: Recogniser, en: Recogniser) -> None:
    for text in (
        "我明天帮您和快递联系一下",
        "地址我可以帮您改的",
        "好的亲，已经给您退了",
        "快递送来的时候您拒收一下就可以退回了",
        "您稍微等下哦我先帮您摧件",
    ):
        assert "resolve" in zh.recognise(text, context="怎么还没到").moves, text
    for text in ("为您申请价保的话需要订单完成后才能操作哦", "您好，有什么问题我可以帮您处理的呢?"):
        assert "resolve" not in zh.recognise(text, context="在吗").moves, text
    assert "resolve" in en.recognise("Our team will look into it.", context="order wrong").moves
