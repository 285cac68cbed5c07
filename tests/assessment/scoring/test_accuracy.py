"""Fact checks rule by rule, on invented shops and sentences written for these tests."""

from __future__ import annotations

import re

import pytest

from assessment.scoring.accuracy import AgentLine, fact_errors, numerals_to_digits
from scenarios.cues import facts_from_mapping

CLOTHES = facts_from_mapping(
    {
        "shop": {
            "name": "小衫",
            "products": [
                {
                    "sku": "J1",
                    "name": "牛仔夹克",
                    "price": 259,
                    "options": {"颜色": ["蓝色", "黑色"], "尺码": ["S", "M", "L"]},
                    "specs": {"肩宽": "S 40cm / M 42cm / L 44cm"},
                    "stock": {"蓝色 M": 3, "蓝色 L": 2, "黑色 M": 0},
                },
                {"sku": "T1", "name": "纯棉卫衣", "price": 139},
            ],
            "promotions": ["满300减20"],
            "shipping": {
                "default": "中通包邮",
                "upgrades": ["顺丰 +12元"],
                "ship_within_hours": 48,
                "transit_days": "2-5天",
            },
            "policy": {
                "returns": "7天无理由退货",
                "return_freight": "seller",
                "notes": [
                    "预售定金20元抵40元",
                    "收到退货后48小时内检测，确认后24小时内退款",
                    "质量问题：签收后72小时内拍照反馈",
                ],
            },
        },
        "order": {
            "id": "1",
            "items": [
                {"sku": "J1", "name": "牛仔夹克", "colour": "蓝色", "size": "L", "price": 259}
            ],
            "total": 239,
        },
    }
)

KETTLES = facts_from_mapping(
    {
        "shop": {
            "name": "Brew",
            "products": [
                {
                    "sku": "K1",
                    "name": "Travel kettle",
                    "price": 129,
                    "specs": {"Capacity": "0.8 L", "Power": "1200 W", "Height": "18 cm"},
                },
                {
                    "sku": "K2",
                    "name": "Family kettle",
                    "price": 159,
                    "specs": {"Capacity": "2 L", "Power": "2200 W", "Height": "25 cm"},
                },
            ],
            "shipping": {"default": "ZTO", "ship_within_hours": 24, "transit_days": "2-4 days"},
            "policy": {
                "returns": "7-day no-reason returns",
                "return_freight": "buyer",
                "notes": [
                    "Refunds within 3 days of receiving the return",
                    "Transit damage: photos within 48 hours of signing",
                    "2-year warranty",
                ],
            },
        },
        "order": {
            "id": "2",
            "items": [{"sku": "K2", "name": "Family kettle", "qty": 1, "price": 159}],
            "total": 149,
        },
    }
)

FRYERS = facts_from_mapping(
    {
        "shop": {
            "name": "炸",
            "products": [
                {"sku": "F4", "name": "空气炸锅 4L", "price": 259, "specs": {"功率": "1300W"}},
                {"sku": "F7", "name": "空气炸锅 7L", "price": 359, "specs": {"功率": "1800W"}},
            ],
            "policy": {"returns": "7天无理由", "notes": ["保修: 1年"]},
        }
    }
)

WATCH = facts_from_mapping(
    {
        "shop": {
            "name": "表",
            "products": [
                {"sku": "W1", "name": "运动手表", "price": 499, "specs": {"保修": "1年"}},
            ],
            "policy": {"returns": "7天无理由"},
        }
    }
)


def kinds(text: str, facts, context: str = "") -> list[str]:
    line = AgentLine(1, text, (), frozenset(), context)
    return [error.kind for error in fact_errors([line], facts)]


# -- numbers written in Chinese characters --------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一共三百五十七", "一共357"),
        ("定金三十可以抵五十", "定金30可以抵50"),
        ("保修是三个月", "保修是3个月"),
        ("一般三到七天能到", "一般3到7天能到"),
        ("两百块", "200块"),
        ("十五天内", "15天内"),
        ("十分感谢，千万别着急", "十分感谢，千万别着急"),
        ("百分百正品，一下就好", "百分百正品，一下就好"),
        ("十几件", "十几件"),
        ("双十一", "双11"),
    ],
)
def test_numbers_in_chinese_characters_become_digits_and_idioms_stay(text, expected):
    assert numerals_to_digits(text) == expected


def test_a_total_written_in_chinese_characters_is_checked():
    assert kinds("两件卫衣一共三百五十七元", CLOTHES) == ["price"]
    assert kinds("两件卫衣一共二百七十八元", CLOTHES) == []


# -- amounts paid and refunded --------------------------------------------------------


def test_a_refund_names_the_amount_paid_even_a_few_words_on():
    assert kinds("OK, I'll refund you 159 yuan right now.", KETTLES) == ["price"]
    assert kinds("I can refund you the full 149 once it is back.", KETTLES) == []


def test_an_amount_in_the_next_clause_is_no_refund():
    assert kinds("退款239元，顺丰加12元", CLOTHES) == []


def test_an_amount_read_back_as_paid_is_checked_against_the_order():
    assert kinds("Yes, family kettle, 159 paid.", KETTLES) == ["price"]
    assert kinds("Yes, family kettle, 149 paid.", KETTLES) == []
    assert kinds("您实付259元", CLOTHES) == ["price"]
    assert kinds("您实付239元", CLOTHES) == []


def test_an_amount_the_agent_declines_is_no_price_claim():
    assert kinds("I can't approve 100 yuan, I'm sorry.", KETTLES) == []
    assert kinds("这个我没法答应200元的", CLOTHES) == []


# -- specs named by their unit, by a synonym, or for every product --------------------


def test_a_figure_with_a_specs_unit_is_checked_for_the_named_product():
    assert kinds("The travel kettle is 129 yuan and 1500 W.", KETTLES) == ["spec"]
    assert kinds("The travel kettle is 129 yuan and 1200 W.", KETTLES) == []
    assert kinds("The family kettle holds 2 L.", KETTLES) == []
    assert kinds("The family kettle holds 1.5 L.", KETTLES) == ["spec"]


def test_a_figure_in_a_product_name_is_the_product_not_a_claim():
    assert kinds("4L的259元，7L的359元", FRYERS) == []


def test_a_unit_figure_the_customer_gave_is_theirs_not_a_claim():
    context = "my cupboard has a 30 cm gap"
    assert kinds("A 30 cm gap is fine for it.", KETTLES, context) == []


def test_a_spec_named_by_a_synonym_is_checked():
    assert kinds("The family kettle is about 24 cm tall.", KETTLES) == ["spec"]
    assert kinds("The family kettle is 25 cm tall.", KETTLES) == []


def test_a_figure_claimed_for_both_products_must_hold_for_each():
    assert kinds("4L和7L两款功率都是1800W", FRYERS) == ["spec"]
    assert kinds("Both kettles are 1200 W.", KETTLES) == ["spec"]
    assert kinds("7L功率是1800W", FRYERS) == []


def test_a_size_named_in_the_sentence_before_decides_the_size_chart_row():
    line = "建议您选M码。它肩宽42cm，比S码的40cm宽一点。"
    assert kinds(line, CLOTHES) == []
    assert kinds("建议您选M码。它肩宽44cm。", CLOTHES) == ["size"]


# -- durations in the policy ----------------------------------------------------------


def test_a_refund_time_is_checked_against_the_policy():
    assert kinds("We refund within 5 days of receiving it.", KETTLES) == ["policy"]
    assert kinds("We refund within 3 days of receiving it.", KETTLES) == []
    assert kinds("We refund within 72 hours of receiving it.", KETTLES) == []


def test_a_refund_time_may_add_up_the_steps_of_one_rule():
    assert kinds("收到后三天内给您退款", CLOTHES) == []
    assert kinds("收到后三个工作日内退您款", CLOTHES) == []
    assert kinds("收到后五天内给您退款", CLOTHES) == ["policy"]


def test_a_reporting_window_after_signing_is_checked():
    assert kinds("You need to report it within 24 hours of signing.", KETTLES) == ["policy"]
    assert kinds("Please send photos within 48 hours of signing.", KETTLES) == []


def test_a_warranty_is_checked_in_any_unit():
    assert kinds("保修是三个月", WATCH) == ["policy"]
    assert kinds("保修十二个月", WATCH) == []
    assert kinds("保修一年", WATCH) == []
    assert kinds("It has a 1-year warranty.", KETTLES) == ["policy"]
    assert kinds("It has a 2-year warranty.", KETTLES) == []


def test_a_transit_range_with_dao_is_read_whole():
    assert kinds("一般三到七天能到", CLOTHES) == ["delivery"]
    assert kinds("一般2到5天能到", CLOTHES) == []


# -- who pays the return postage ------------------------------------------------------


def test_postage_put_on_the_buyer_where_the_shop_pays_is_an_error():
    assert kinds("寄回来的运费需要您自己承担哦", CLOTHES) == ["policy"]
    assert kinds("不用您出运费，我们安排上门取件", CLOTHES) == []
    assert kinds("Send it back, postage at your cost.", KETTLES) == []  # the buyer pays there


def test_a_no_reason_return_may_cost_the_buyer_postage():
    assert kinds("七天无理由退货的话运费需要您承担", CLOTHES) == []


# -- deposits -------------------------------------------------------------------------


def test_a_deposit_worth_more_than_the_shop_says_is_an_error():
    assert kinds("定金二十可以抵五十哦", CLOTHES) == ["promotion"]
    assert kinds("定金20元抵40元哦", CLOTHES) == []


# -- reading back the order -----------------------------------------------------------


def test_reading_back_the_wrong_size_of_the_order_is_an_error():
    assert kinds("好的，您拍的是蓝色M码，没错吧", CLOTHES) == ["order"]
    assert kinds("好的，您拍的是蓝色L码，没错吧", CLOTHES) == []


@pytest.mark.parametrize(
    ("text", "context"),
    [
        ("已经给您改成蓝色M码了", "能换成M码吗"),
        ("蓝色M码有货的", ""),
        ("要不要换蓝色M码？", ""),
        ("好的，蓝色M码，给您备注了", "我想换M码"),
    ],
)
def test_a_size_the_customer_asked_for_or_a_stock_answer_is_no_read_back(text, context):
    assert "order" not in kinds(text, CLOTHES, context)


@pytest.mark.parametrize(
    "text",
    [
        "家用壶高25cm，比旅行壶还高7cm",
        "The family kettle is 25 cm, which leaves you 5 cm.",
        "送您小样2支(各0.5L)",
    ],
)
def test_a_difference_or_a_samples_size_is_no_spec_claim(text):
    assert kinds(text, KETTLES) == []


def test_a_spec_word_after_a_comparison_states_a_difference():
    assert kinds("The family kettle is 25 cm tall, 7 cm more than the travel one.", KETTLES) == []
    assert kinds("家用款比您的柜子还高3cm", FRYERS) == []


def test_each_time_in_a_sentence_is_read_with_its_own_rule():
    line = "It has a 2-year warranty and photos are due within 48 hours of signing."
    assert kinds(line, KETTLES) == []
    assert kinds("It has a 2-year warranty and a 3-day refund once it is back.", KETTLES) == []


# -- return conditions, ingredients, gift thresholds, carriers -----------------------

MAKEUP = facts_from_mapping(
    {
        "shop": {
            "name": "妆",
            "products": [
                {"sku": "L1", "name": "丝绒口红", "price": 99, "specs": {"成分": "含香精与酒精"}},
                {
                    "sku": "L2",
                    "name": "温和润唇膏",
                    "price": 59,
                    "specs": {"成分": "无香精、无酒精"},
                },
            ],
            "promotions": ["实付满199送化妆包"],
            "shipping": {"default": "韵达包邮", "upgrades": ["顺丰 +8元"]},
            "policy": {
                "returns": "7天无理由退货(未拆封)；已拆封不支持无理由退货",
                "notes": ["使用后过敏凭照片可退货退款"],
            },
        }
    }
)
FRUIT = facts_from_mapping(
    {
        "shop": {
            "name": "果",
            "products": [
                {"sku": "P1", "name": "红富士苹果", "price": 49, "specs": {"果径": "80-85mm"}},
            ],
            "shipping": {"default": "京东包邮"},
            "policy": {"returns": "生鲜商品不支持7天无理由退货"},
        }
    }
)


@pytest.mark.parametrize(
    "text",
    [
        "拆封了也可以退的，放心",
        "口红用过也能无理由退",
        "Even if it's opened you can still return it.",
    ],
)
def test_an_opened_item_said_to_be_returnable_where_the_rule_wants_it_sealed(text):
    assert kinds(text, MAKEUP) == ["policy"]


@pytest.mark.parametrize(
    ("text", "context"),
    [
        ("拆封了就不能无理由退了哦", ""),
        ("用了过敏的话，拆封了也可以退", ""),
        ("拆封了也可以退，您拍照给我", "用了两天嘴巴过敏了"),
    ],
)
def test_an_opened_item_refused_or_an_allergy_is_no_return_condition_error(text, context):
    assert kinds(text, MAKEUP, context) == []


def test_no_reason_returns_offered_where_the_goods_have_none():
    assert kinds("放心，支持7天无理由退货", FRUIT) == ["policy"]
    assert kinds("生鲜不支持7天无理由退货哦", FRUIT) == []
    assert kinds("放心，支持7天无理由退货", MAKEUP) == []


def test_an_ingredient_said_to_be_absent_from_a_product_that_has_it():
    assert kinds("丝绒口红不含香精的", MAKEUP) == ["spec"]
    assert kinds("润唇膏不含香精的", MAKEUP) == []
    assert kinds("两款都不含香精", MAKEUP) == ["spec"]
    assert kinds("这款不含香精的", MAKEUP) == []  # which one is not said


def test_a_gift_threshold_the_shop_does_not_set():
    assert kinds("满99送化妆包哦", MAKEUP) == ["promotion"]
    assert kinds("满199送化妆包哦", MAKEUP) == []


def test_a_figure_inside_a_range_of_the_specs_is_right():
    assert kinds("苹果果径82mm", FRUIT) == []
    assert kinds("苹果果径90mm", FRUIT) == ["size"]


def test_a_parcel_said_to_go_by_a_carrier_the_shop_does_not_use():
    assert kinds("您的包裹是顺丰发的", FRUIT) == ["delivery"]
    assert kinds("您的包裹是京东发的", FRUIT) == []
    assert kinds("您的包裹是顺丰发的", MAKEUP) == []  # an upgrade the buyer may have paid
    assert kinds("要不给您改发顺丰？", FRUIT) == []


def test_products_sharing_a_last_word_are_told_apart_by_their_own_words():
    two = facts_from_mapping(
        {
            "shop": {
                "products": [
                    {"sku": "A", "name": "水润粉底液", "price": 159, "specs": {"成分": "含酒精"}},
                    {"sku": "B", "name": "修护粉底液", "price": 189, "specs": {"成分": "无酒精"}},
                ]
            }
        }
    )
    assert kinds("水润款含酒精。更推荐修护粉底液，189元，无酒精的", two) == []
    assert kinds("水润粉底液189元", two) == ["price"]


FREE_TEXT = facts_from_mapping(
    [
        "店铺：小茶馆",
        "乌龙茶 100g ¥49，保质期18个月",
        "茶具套装 ¥129",
        "满99包邮，不满99运费6元",
        "7天无理由退货(未拆封)",
        "Free shipping over ¥99, otherwise ¥6",
    ]
)


def test_free_text_facts_price_their_products():
    assert kinds("乌龙茶59元一罐", FREE_TEXT) == ["price"]
    assert kinds("乌龙茶49元一罐，不满99运费6元", FREE_TEXT) == []
    assert kinds("茶具套装129元", FREE_TEXT) == []


def test_free_text_facts_carry_the_return_rule():
    assert kinds("拆了也能退的", FREE_TEXT) == ["policy"]
    assert kinds("没拆封的话7天无理由可以退", FREE_TEXT) == []


CASES = facts_from_mapping(
    {
        "shop": {
            "name": "壳",
            "products": [
                {"sku": "C1", "name": "手机壳", "price": 39, "specs": {"材质": "TPU软边+PC背板"}},
            ],
            "policy": {
                "returns": "7天无理由退货(未使用)",
                "return_freight": "buyer",
                "notes": ["质量问题或过敏：凭照片核实可退货退款，运费店铺承担"],
            },
        }
    }
)


def test_a_material_the_specs_do_not_name():
    assert kinds("这款是全硅胶材质的", CASES) == ["spec"]
    assert kinds("这款是TPU软边加PC背板的", CASES) == []
    assert kinds("It's made of stainless steel.", KETTLES) == []  # no material in those specs


def test_a_return_refused_for_a_case_the_policy_accepts():
    assert kinds("过敏的话拆了就不能退了", CASES) == ["policy"]
    assert kinds("拆了就不能退的", CASES, "用了过敏了怎么办") == ["policy"]
    assert kinds("拆了就不能无理由退了", CASES) == []


def test_postage_put_on_the_buyer_for_a_fault_the_shop_pays_for():
    assert kinds("质量问题的话运费您自己承担哦", CASES) == ["policy"]
    assert kinds("无理由退货运费您自己承担哦", CASES) == []


# -- the same claims in other words ---------------------------------------------------

EN_CLOTHES = facts_from_mapping(
    {
        "shop": {
            "name": "Knit",
            "products": [
                {
                    "sku": "C1",
                    "name": "Cable cardigan",
                    "price": 219,
                    "options": {"Colour": ["cream", "navy"], "Size": ["S", "M", "L"]},
                    "specs": {"Chest": "S 92cm / M 98cm / L 104cm"},
                    "stock": {"cream M": 2, "navy M": 0, "navy L": 5},
                }
            ],
            "shipping": {"ship_within_hours": 48, "transit_days": "2-5 days"},
        }
    }
)


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("蓝色M码卖光了", CLOTHES),
        ("蓝色M没库存了", CLOTHES),
        ("蓝色L码库存5件", CLOTHES),
        ("We've run out of cream M.", EN_CLOTHES),
        ("There's no cream M left.", EN_CLOTHES),
        ("Cream M isn't available any more.", EN_CLOTHES),
        ("We have 4 cream M in stock.", EN_CLOTHES),
    ],
)
def test_stock_said_in_other_words_is_checked(text, facts):
    assert kinds(text, facts) == ["stock"]


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("蓝色M码还有3件", CLOTHES),
        ("蓝色L库存2件", CLOTHES),
        ("Navy M has run out, but navy L is in stock.", EN_CLOTHES),
        ("We have 2 cream M in stock.", EN_CLOTHES),
    ],
)
def test_stock_said_rightly_in_other_words_is_no_error(text, facts):
    assert kinds(text, facts) == []


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("付款后1天内发货", CLOTHES),
        ("24h内发货", CLOTHES),
        ("It goes out within 24 hours.", EN_CLOTHES),
        ("We dispatch within 3 days.", EN_CLOTHES),
    ],
)
def test_a_ship_window_said_in_other_words_is_checked(text, facts):
    assert kinds(text, facts) == ["delivery"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("快递一般要3到7天", ["delivery"]),
        ("It usually takes 6-8 days.", ["delivery"]),
        ("It should get there in 1 day.", ["delivery"]),
        ("快递一般要2到5天", []),
        ("It usually takes 2-5 days.", []),
        ("We dispatch within 2 days and it takes 3-5 days.", []),
    ],
)
def test_transit_said_in_other_words_is_checked(text, expected):
    facts = CLOTHES if re.search(r"[\u4e00-\u9fff]", text) else EN_CLOTHES
    assert kinds(text, facts) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("肩宽M码44cm", ["size"]),
        ("M码肩宽大概44cm", ["size"]),
        ("肩宽M码42cm", []),
        ("The M has a chest of about 104 cm.", ["size"]),
        ("The M has a chest of about 98 cm.", []),
    ],
)
def test_a_size_chart_figure_said_in_other_words_is_checked(text, expected):
    facts = CLOTHES if re.search(r"[\u4e00-\u9fff]", text) else EN_CLOTHES
    assert kinds(text, facts) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("这款夹克价格是299", ["price"]),
        ("夹克299一件", ["price"]),
        ("两件卫衣总共要付288", ["price"]),
        ("给您退259元", ["price"]),
        ("The cardigan costs 249.", ["price"]),
        ("Two cardigans, the total would be 448.", ["price"]),
        ("这款夹克价格是259", []),
        ("夹克259一件", []),
        ("两件卫衣总共要付278", []),
        ("给您退239元", []),
        ("The cardigan costs 219.", []),
        ("Two cardigans, the total would be 438.", []),
    ],
)
def test_a_price_said_in_other_words_is_checked(text, expected):
    facts = CLOTHES if re.search(r"[\u4e00-\u9fff]", text) else EN_CLOTHES
    assert kinds(text, facts) == expected


@pytest.mark.parametrize(
    "text",
    [
        "肩宽是S 40cm / M 42cm / L 44cm",
        "Yes, blue M is available.",
        "质量或过敏问题由店铺承担运费",
    ],
)
def test_true_statements_of_the_facts_are_no_errors(text):
    assert kinds(text, CLOTHES) == []


def test_a_fee_the_facts_name_read_back_as_paid_is_no_error():
    facts = facts_from_mapping(
        {
            "shop": {
                "products": [{"sku": "A", "name": "Coat", "price": 399}],
                "shipping": {"upgrades": ["SF Express +12"]},
            },
            "order": {"id": "1", "items": [{"sku": "A", "price": 399}], "total": 369},
        }
    )
    assert kinds("Switched to SF Express (12 paid).", facts) == []
    assert kinds("Coat, 399 paid.", facts) == ["price"]


@pytest.mark.parametrize(
    "text",
    [
        "给您核对下：牛仔夹克黑色L码1件，地址改成杭州西湖区了，没问题吧？",
        "我念一遍哈 牛仔夹克蓝色M码1件 收件地址改好了 对吗",
    ],
)
def test_a_read_back_beside_a_change_or_a_question_is_still_checked(text):
    # The change and the closing question are other clauses: the read-back clause is wrong.
    assert kinds(text, CLOTHES) == ["order"]


@pytest.mark.parametrize(
    "text",
    [
        "给您核对下：牛仔夹克蓝色L码1件，地址改成杭州西湖区了，没问题吧？",
        "可以给您换成黑色L码1件，地址也改好了",
        "是要换蓝色M码吗？地址我改好了",
        "蓝色M码只剩1件了，地址改好了",
    ],
)
def test_the_right_read_back_a_change_a_question_or_stock_is_no_read_back_error(text):
    assert "order" not in kinds(text, CLOTHES)


def test_anything_else_after_a_read_back_does_not_hide_it():
    assert kinds("好的，蓝色M码，还有别的需要随时找我", CLOTHES) == ["order"]


# -- stock rows named otherwise than by colour and size ------------------------------

SHADES = facts_from_mapping(
    {
        "shop": {
            "products": [
                {
                    "sku": "F1",
                    "name": "柔雾粉底液",
                    "price": 159,
                    "options": {"色号": ["01象牙白", "02自然色"]},
                    "stock": {"01象牙白": 15, "02自然色": 0},
                },
                {
                    "sku": "P1",
                    "name": "手机壳",
                    "price": 39,
                    "options": {"型号": ["iPhone 15", "iPhone 15 Pro"]},
                    "stock": {"iPhone 15": 80, "iPhone 15 Pro": 2},
                },
            ]
        }
    }
)
KETTLE = facts_from_mapping(
    {"shop": {"products": [{"sku": "K", "name": "电热水壶", "price": 89, "stock": {"默认": 50}}]}}
)


@pytest.mark.parametrize(
    ("text", "facts", "expected"),
    [
        ("自然色有货的", SHADES, ["stock"]),
        ("02号有货哦", SHADES, ["stock"]),
        ("象牙白只剩2件了", SHADES, ["stock"]),
        ("象牙白有货的", SHADES, []),
        ("iPhone 15 Pro的壳还有很多", SHADES, ["stock"]),
        ("iPhone 15的壳还有很多", SHADES, []),
        ("水壶没货了", KETTLE, ["stock"]),
        ("水壶有货", KETTLE, []),
        ("问题没有了吧？", KETTLE, []),
    ],
)
def test_stock_rows_named_by_shade_model_or_the_product_are_checked(text, facts, expected):
    assert kinds(text, facts) == expected


# -- cut-off times, dates and price protection ----------------------------------------

PRESALE = facts_from_mapping(
    {
        "shop": {
            "products": [{"sku": "B", "name": "电饭煲", "price": 299}],
            "promotions": ["预售：定金20元抵50元，尾款11月11日00:00-23:59支付"],
            "policy": {"notes": ["每天15点前付款的订单当天发出", "价保：付款后15天内降价可申请"]},
        }
    }
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("下午5点前付款当天就能发", ["delivery"]),
        ("15点前付款当天发出", []),
        ("尾款11月10号晚上8点开始付", ["promotion"]),
        ("尾款11月11号付就行", []),
        ("保价30天，放心买", ["policy"]),
        ("价保15天", []),
    ],
)
def test_cut_off_times_balance_dates_and_price_protection_are_checked(text, expected):
    assert kinds(text, PRESALE) == expected


def test_reading_back_the_right_size_in_another_colour_is_an_error():
    assert kinds("跟您核对一下，黑色M码一件", CLOTHES) == []  # the order's size is L
    assert kinds("跟您核对一下，黑色L码一件", CLOTHES) == ["order"]
    assert kinds("跟您核对一下，黑色L码一件", CLOTHES, "我收到的是黑色的") == []
    assert kinds("跟您核对一下，蓝色L码一件", CLOTHES) == []


def test_stock_rows_with_a_figure_in_their_name_are_read_with_or_without_spaces():
    fryers = facts_from_mapping(
        {
            "shop": {
                "products": [
                    {"sku": "A", "name": "Air fryer 4.5 L", "price": 299, "stock": {"4.5 L": 20}},
                    {"sku": "B", "name": "Air fryer 6 L", "price": 369, "stock": {"6 L": 0}},
                ]
            }
        }
    )
    assert kinds("We have 20 4.5 L left.", fryers) == []
    assert kinds("The 4.5L is out of stock.", fryers) == ["stock"]
    assert kinds("Only 5 black L left.", EN_CLOTHES) == []  # no black in that shop
    assert kinds("Only 5 navy L left.", EN_CLOTHES) == []
    assert kinds("Only 3 navy L left.", EN_CLOTHES) == ["stock"]


def test_the_one_item_of_the_order_read_back_without_its_colour():
    assert kinds("您拍的是M码哦", CLOTHES) == ["order"]
    assert kinds("您拍的是L码哦", CLOTHES) == []
    assert kinds("You ordered the M, right? Let me check.", EN_CLOTHES) == []  # no order there


def test_the_order_amount_read_back_is_the_amount_paid():
    assert kinds("订单金额是259元", CLOTHES) == ["price"]
    assert kinds("订单金额是239元", CLOTHES) == []
    assert kinds("Your order total is 159.", KETTLES) == ["price"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("There's 50 off right now.", ["promotion"]),
        ("You get a 50-yuan discount.", ["promotion"]),
        ("现在下单立减50元", ["promotion"]),
        ("现在下单立减20元", []),
        ("There's 20 off right now.", []),
        ("I can add a 10 yuan off coupon.", []),
    ],
)
def test_a_discount_the_shop_does_not_run(text, expected):
    assert kinds(text, CLOTHES) == expected


# -- a wrong figure denied or quoted to correct it ------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "不是299哦，这款夹克259元",
        "不是299元，这款夹克259元",
        "您说的满300减50是没有的，我们是满300减20",
        "蓝色M码不是没货，还有3件",
        "不是24小时发货，是48小时内发货",
        "It's not 299, the jacket is 259 yuan.",
        "You said 24 hours, but we ship within 48 hours.",
    ],
)
def test_a_wrong_figure_denied_or_quoted_is_no_error(text):
    assert kinds(text, CLOTHES) == []


def test_a_denial_does_not_hide_the_wrong_figure_after_it():
    assert kinds("不是299哦，这款夹克269元", CLOTHES) == ["price"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We dispatch within three days.", ["delivery"]),
        ("It usually takes two to five days.", []),
        ("It usually takes six to eight days.", ["delivery"]),
        ("It has a one-year warranty.", ["policy"]),
        ("It has a two-year warranty.", []),
        ("Only four navy L left.", ["stock"]),
        ("Is there a navy one left?", []),
        ("The two of them are lovely.", []),
    ],
)
def test_numbers_in_english_words_are_read_before_a_unit(text, expected):
    facts = EN_CLOTHES if "navy" in text else KETTLES
    assert kinds(text, facts) == expected


def test_the_wrong_item_fetched_back_in_a_remark_is_no_read_back_of_the_order():
    assert kinds("已备注：发错色，今天补发蓝色L，上门取回黑色M，运费我们出", CLOTHES) == []


def test_a_time_ago_is_when_something_happened_not_a_rules_duration():
    assert kinds("您10天前签收的夹克，质量问题签收后72小时内拍照反馈就行", CLOTHES) == []
    assert (
        kinds("Signed for 10 days ago, so quality problems: photos within 72 hours.", CLOTHES) == []
    )
    assert kinds("质量问题签收后10天内拍照反馈就行", CLOTHES) == ["policy"]


def test_a_fault_the_agent_denies_does_not_put_the_postage_on_the_shop():
    buyer_pays = facts_from_mapping(
        {
            "shop": {
                "policy": {
                    "returns": "7天无理由",
                    "return_freight": "buyer",
                    "notes": ["质量问题或发错货：来回运费由店铺承担"],
                }
            }
        }
    )
    assert kinds("寄回的运费要您承担，因为不属于发错货", buyer_pays) == []
    assert kinds("这是我们发错货了，寄回运费要您承担", buyer_pays) == ["policy"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("双11订单我们24小时内就发哈", ["delivery"]),
        ("下单后24小时内就给您发走", ["delivery"]),
        ("48小时内会发的，放心", []),
        ("24小时内发票会开好", []),
    ],
)
def test_a_ship_window_said_plainly_is_checked(text, expected):
    assert kinds(text, CLOTHES) == expected


@pytest.mark.parametrize(
    "text", ["行吧，给你改成199一件", "算您199吧", "OK, I'll let you have it for 199."]
)
def test_a_price_change_offered_is_no_price_claim(text):
    assert "price" not in kinds(text, CLOTHES)


def test_a_price_stated_wrong_is_still_a_price_claim():
    assert kinds("夹克现在卖199元", CLOTHES) == ["price"]


TEA = facts_from_mapping(
    {
        "shop": {
            "name": "茶铺",
            "products": [{"sku": "T1", "name": "乌龙茶礼盒", "price": 70}],
            "promotions": ["满300减30"],
            "policy": {"returns": "7天无理由"},
        }
    }
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("亲 4盒就能用满300减30哦", ["promotion"]),
        ("拍5盒就可以用满300减30啦", []),
        ("4盒还不够满300，5盒就可以减30", []),
        ("Four boxes won't reach the 300 threshold.", []),
    ],
)
def test_a_count_said_to_reach_a_threshold_it_falls_short_of(text, expected):
    assert kinds(text, TEA) == expected


@pytest.mark.parametrize(
    "text",
    ["建议您选M码，肩宽42cm胸围100cm", "M码肩宽42cm胸围100cm，L码肩宽44cm"],
)
def test_figures_run_together_each_belong_to_the_key_before_them(text):
    chart = facts_from_mapping(
        {
            "shop": {
                "products": [
                    {
                        "sku": "J1",
                        "name": "夹克",
                        "price": 259,
                        "options": {"尺码": ["S", "M", "L"]},
                        "specs": {
                            "肩宽": "S 40cm / M 42cm / L 44cm",
                            "胸围": "S 96cm / M 100cm / L 104cm",
                        },
                    }
                ]
            }
        }
    )
    assert kinds(text, chart) == []
    assert kinds("M码肩宽42cm胸围104cm", chart) == ["size"]
    assert kinds("M is 42 cm across the shoulders.", chart) == []
