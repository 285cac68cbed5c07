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
}
ZH_DRILLS_CONTEXT: dict[tuple[str, str], str] = {}
ZH_DRILLS_PLURAL: dict[str, tuple[str, ...]] = {}
