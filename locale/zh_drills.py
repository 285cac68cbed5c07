"""Chinese for the Double-11 rush drill (simulator/drills.py and its pages); merged by
translate_zh.py."""

ZH_DRILLS = {
    # Models and errors
    "drill": "大促演练",
    "The drill ended": "演练结束",
    "rush drill": "大促演练",
    "rush drills": "大促演练",
    "Running": "进行中",
    "Not arrived yet": "尚未进线",
    "Queued": "排队中",
    "Being served": "接待中",
    "Never served": "未接待",
    "Gave up in the queue": "排队时离开",
    "started by": "发起人",
    "stopped by": "结束人",
    "scenarios": "情景",
    "duration (seconds)": "时长（秒）",
    "chats at once per student": "每人同时接待上限",
    "state": "状态",
    "ends at": "结束时间",
    "A drill is already running in this class. Stop it before starting another.": (
        "本班已有一场演练在进行。请先结束它，再开始新的演练。"
    ),
    "Choose at least one scenario for the drill's customers.": "请至少为演练选择一个情景。",
    "The class has no students yet: nobody would serve the customers.": (
        "本班还没有学生：没有人接待顾客。"
    ),
    # The class page, the set-up form
    "Double-11 rush drill": "双十一大促演练",
    "The whole class serves a wave of customers at once: a midnight rush, a lull, an evening peak. Each student juggles several chats; the rest queue.": (
        "全班同时接待一波顾客：零点开抢、回落、晚间高峰。每位学生同时处理多个对话，其余顾客排队等候。"
    ),
    "Open the live dashboard": "打开实时看板",
    "Set up a drill": "设置演练",
    "%(minutes)s min, up to %(cap)s chats each": "%(minutes)s 分钟，每人最多同时 %(cap)s 个对话",
    "Summary": "演练总结",
    "Live dashboard": "实时看板",
    "Customers arrive as on 11.11, compressed: a midnight rush (×4), its decay, the daytime, an evening peak (×2), then a wind-down with nobody new in the last two minutes. About 12–13 customers per student in 30 minutes, 7 of them in the first 10.": (
        "顾客按压缩后的双十一节奏进线：零点开抢（×4）、逐渐回落、白天平稳、晚间高峰（×2），"
        "最后收尾，最后两分钟不再进线。30 分钟内每位学生约接待 12–13 位顾客，其中约 7 位在前 10 分钟。"
    ),
    "A drill is already running in this class.": "本班已有一场演练正在进行。",
    "Duration": "时长",
    "%(n)s minutes": "%(n)s 分钟",
    "Chats at once per student": "每人同时接待上限",
    "3 (novice)": "3 个（新手）",
    "5 (standard)": "5 个（标准）",
    "8 (Double-11 stretch)": "8 个（双十一冲刺）",
    "Customers beyond it queue; their wait counts toward first response time.": (
        "超出上限的顾客进入排队，排队时间计入首次响应时间。"
    ),
    "Customers from these scenarios": "顾客来自这些情景",
    "Each arrival is a scenario of the kind its phase calls for (pre-sale, order, after-sale), among those you tick. Response times are judged ×1.5 in a drill; accuracy and promises as ever.": (
        "每位进线顾客会从你勾选的情景中，按当时阶段的类型比例（售前、售中、售后）抽取。"
        "演练中响应时间标准放宽为 1.5 倍；信息准确和承诺规则照常评判。"
    ),
    "Start the drill now": "立即开始演练",
    "The drill has started: customers are arriving.": "演练已开始，顾客正在进线。",
    "The drill is stopped. Open chats were closed and scored.": "演练已结束，进行中的对话已关闭并评分。",
    # The live dashboard
    "Stop the drill": "结束演练",
    "Chats in progress": "进行中的对话",
    "Started %(when)s · %(minutes)s minutes · up to %(cap)s chats per student": (
        "%(when)s 开始 · %(minutes)s 分钟 · 每人最多同时 %(cap)s 个对话"
    ),
    "Time left": "剩余时间",
    "Served": "已接待",
    "Open chats": "进行中",
    "Longest wait now": "当前最长等待",
    "Answered within 3 min": "3 分钟回复率",
    # The summary
    "Drill summary": "演练总结",
    "Chats served": "接待完成",
    "Left unanswered": "未回复",
    "Average first response (s)": "平均首次响应（秒）",
    "Average first response": "平均首次响应",
    "Average score": "平均得分",
    "Reports": "评价报告",
    "Download CSV": "下载 CSV",
    "First response counts from the customer's arrival, queue included. Response times are judged ×1.5 in a drill.": (
        "首次响应从顾客进线算起，包含排队时间。演练中响应时间标准放宽为 1.5 倍。"
    ),
    # The student's home and drill workspace
    "Double-11 rush drill in progress": "双十一大促演练进行中",
    '<span translate="no">%(classroom)s</span>: customers are arriving now. Serve up to %(cap)s at once; the others queue, and their wait counts.': (
        '<span translate="no">%(classroom)s</span>：顾客正在进线。你最多可同时接待 %(cap)s 位，'
        "其余顾客排队等候，排队时间也计入响应。"
    ),
    "Join the drill": "进入演练",
    "Waiting for customers… they arrive on their own; nothing to do yet.": (
        "等待顾客进线……顾客会自动进入，现在无需操作。"
    ),
    "Queued: {n}": "排队中 {n} 位",
    "Nobody queued": "无人排队",
    "{t} left": "剩余 {t}",
    "The drill is over. Your chats are being scored.": "演练结束，你的对话正在评分。",
    "New customer: {name}": "新顾客：{name}",
    "The drill is over: the chat was closed.": "演练结束，对话已关闭。",
    "My rush drills": "我的大促演练",
    "Rush drill of %(when)s": "%(when)s 的大促演练",
}
ZH_DRILLS_CONTEXT: dict[tuple[str, str], str] = {("seconds waited", "%(s)s s"): "%(s)s 秒"}
ZH_DRILLS_PLURAL: dict[str, str] = {
    "%(n)s customer served": "接待 %(n)s 位顾客",
}
