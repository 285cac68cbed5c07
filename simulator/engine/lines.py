"""The customer's own words where a script writes none: nudges, leaving, acknowledgements,
challenges and reviews, per scenario language (data, not interface text: no gettext)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Words:
    nudge: list[str]
    leave: list[str]
    review: list[str]  # the review of a customer who left unanswered
    acknowledge: list[str]  # instead of asking again what the student already answered
    challenges: dict[str, list[str]]
    transferred: list[str]  # the review of a customer passed to a supervisor
    order_right: list[str]  # an order check that shows what she asked for
    order_wrong: list[str]  # one that does not: {problems} says what is wrong
    order_fields: dict[str, str]  # one problem: {wanted}, {shown}, {item}


ZH = Words(
    nudge=["在吗？", "亲？还在吗？", "人呢？"],
    leave=["算了，不等了。", "这么久都没人回，我去别家看看。"],
    review=["问了半天没人理，体验很差。", "客服不回消息，等了好久。"],
    acknowledge=["好的，这个你刚才说过了，我记下了。", "嗯嗯，刚才你说过了，明白。"],
    challenges={
        "said_in_stock": ["你刚才不是说有{key}吗？", "啊？你刚才不是说{key}有货吗？怎么又没了？"],
        "said_out_of_stock": ["你刚才不是说{key}没货了吗？", "咦，刚才不是说{key}卖完了吗？"],
        "stock_not_shown": ["页面上{key}显示没货了呀，真的有吗？", "可是{key}页面上显示缺货呀？"],
        "stock_shown": ["可页面上{key}还显示有货呀？", "页面上{key}明明还有库存呀？"],
        "spec": [
            "尺码表上{key}是{against}呀，你说{said}，到底哪个对？",
            "不对吧，详情页写的{key}是{against}，不是{said}吧？",
        ],
        "size": ["这款好像没有{said}码吧？", "页面上没看到{said}码呀？"],
    },
    transferred=["转给主管了，还要再等等看。", "被转接了一次，希望主管能解决。"],
    order_right=["对的，核对过了，没问题～", "嗯嗯，信息都对的👌"],
    order_wrong=[
        "诶，不对哦：{problems}。麻烦帮我改一下～",
        "等等，有地方不对：{problems}，帮我改下哈",
    ],
    order_fields={
        "address": "地址不对，是{wanted}",
        "size": "{item}要{wanted}码，不是{shown}",
        "colour": "{item}要{wanted}，不是{shown}",
        "quantity": "数量是{wanted}件，不是{shown}件",
    },
)

EN = Words(
    nudge=["Hello? Are you still there?", "Anyone there?"],
    leave=["Never mind, I'll look elsewhere.", "No answer... I'll shop somewhere else."],
    review=["Nobody answered me. Poor service.", "I waited ages and got no reply."],
    acknowledge=["OK, you already told me that. Noted.", "Right, you said that already. Got it."],
    challenges={
        "said_in_stock": [
            "Didn't you just say {key} was in stock?",
            "Wait, you said {key} was available a moment ago?",
        ],
        "said_out_of_stock": [
            "Didn't you just say {key} was sold out?",
            "Hang on, you said {key} was out of stock?",
        ],
        "stock_not_shown": [
            "The page shows {key} as sold out. Are you sure?",
            "But {key} says out of stock on the page?",
        ],
        "stock_shown": ["But the page still shows {key} in stock?"],
        "spec": [
            "The size chart says {key} is {against}, but you said {said}. Which is right?",
            "Are you sure? The page says {key} is {against}, not {said}.",
        ],
        "size": ["I don't think this comes in {said}?", "I can't see a size {said} on the page?"],
    },
    transferred=[
        "Passed to a supervisor; still waiting.",
        "Transferred once. Hope the manager sorts it.",
    ],
    order_right=["Yes, that's all correct, thanks!", "Checked: everything is right."],
    order_wrong=[
        "Hang on, that's not right: {problems}. Could you fix it?",
        "Wait, something's wrong: {problems}. Please change it.",
    ],
    order_fields={
        "address": "the address should be {wanted}",
        "size": "the {item} should be size {wanted}, not {shown}",
        "colour": "the {item} should be {wanted}, not {shown}",
        "quantity": "I want {wanted}, not {shown}",
    },
)


def defaults(language: str) -> Words:
    return EN if language == "en" else ZH
