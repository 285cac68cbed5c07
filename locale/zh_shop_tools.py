"""Chinese for the shop's tools in the order panel (simulator/shop_tools.py, its cards and the
report's notes on them); merged by translate_zh.py."""

ZH_SHOP_TOOLS = {
    "The student transferred the chat to a supervisor": "学生把对话转接给了主管",
    "Shop tool": "店铺工具",
    "This conversation has no order to check or change.": "这个对话没有可以核对或修改的订单。",
    "The order has shipped: its address and items can no longer change.": "订单已发货：地址和商品都不能再改了。",
    "The shop has no such product.": "店铺没有这个商品。",
    "The product does not come in that size or colour.": "这个商品没有这个尺码或颜色。",
    "Nothing changes: the order already says that.": "没有变化：订单里已经是这样了。",
    "This tool use is incomplete.": "这个工具的信息没有填完整。",
    "Product card": "商品卡片",
    "Please check your order": "核对订单",
    "Order changed": "订单已修改",
    "Seller's remark": "卖家备注",
    "The agent updated the seller's remark (the customer does not see it).": "客服更新了卖家备注（顾客看不到内容）。",
    "Coupon": "优惠券",
    "Beyond the agent's authority (limit ¥{n})": "超出客服权限（上限 ¥{n}）",
    "Beyond the agent's authority (limit ¥%(n)s)": "超出客服权限（上限 ¥%(n)s）",
    "Transferred to a supervisor": "已转接主管",
    "Note for the supervisor": "给主管的说明",
    "Item": "商品",
    "Recipient": "收货人",
    "Phone": "电话",
    "Address": "地址",
    "Size": "尺码",
    "Colour": "颜色",
    "Remark": "备注",
    "Please confirm these details, or tell us what is wrong.": "请您核对以上信息，无误请回复确认，有误请告诉我们哪里不对。",
    "Agent · shop tool": "客服 · 店铺工具",
}
ZH_SHOP_TOOLS_CONTEXT = {
    ("remark", "none"): "无",
}
