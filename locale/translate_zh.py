"""Fill locale/zh_Hans from the table below and mirror msgids into locale/en.

Run after `manage.py makemessages`: `python locale/translate_zh.py`. Entries missing here stay
empty, and tests/test_translations.py fails until they are translated.
"""

import sys
from pathlib import Path

import polib

HERE = Path(__file__).resolve().parent

ZH = {
    "Assessment": "考核评价",
    "Scenarios": "情景脚本",
    "Pre-sale inquiry": "售前咨询",
    "Order confirmation": "售中核单",
    "After-sale complaint": "售后投诉",
    "identifier": "标识",
    "owner": "作者",
    "Empty for the shared library.": "留空表示公共情景库。",
    "created at": "创建时间",
    "scenario": "情景",
    "scenarios": "情景",
    "version": "版本",
    "YAML source": "YAML 源文件",
    "kind": "类型",
    "language": "语言",
    "title": "标题",
    "scenario version": "情景版本",
    "scenario versions": "情景版本",
    "Simulator": "实训平台",
    "Join code": "班级邀请码",
    "Class name": "班级名称",
    "Scenario": "情景",
    "Due": "截止时间",
    "Attempts allowed": "可练习次数",
    "Leave empty for unlimited attempts.": "留空表示不限次数。",
    "Student": "学生",
    "Instructor": "教师",
    "role": "角色",
    "name": "名称",
    "instructor": "任课教师",
    "join code": "邀请码",
    "classroom": "班级",
    "classrooms": "班级",
    "student": "学生",
    "joined at": "加入时间",
    "membership": "班级成员",
    "memberships": "班级成员",
    "due": "截止时间",
    "attempts allowed": "可练习次数",
    "Empty for unlimited.": "留空表示不限。",
    "assignment": "实训任务",
    "assignments": "实训任务",
    "In progress": "进行中",
    "Ended": "已结束",
    "Success": "成交/解决",
    "Partly resolved": "部分解决",
    "Customer lost": "顾客流失",
    "Escalated": "升级投诉",
    "The customer ended the chat": "顾客结束了对话",
    "The student closed the chat": "学生关闭了对话",
    "status": "状态",
    "started at": "开始时间",
    "ended at": "结束时间",
    "ended by": "结束方式",
    "ending": "结局",
    "outcome": "结果",
    "customer rating": "顾客评分",
    "conversation": "对话",
    "conversations": "对话",
    "Customer": "顾客",
    "Agent": "客服",
    "number": "序号",
    "text": "内容",
    "sent at": "发送时间",
    "message": "消息",
    "messages": "消息",
    "Typing indicator": "正在输入提示",
    "Customer line": "顾客发言",
    "Timer": "计时器",
    "End of conversation": "对话结束",
    "This action is not possible.": "无法执行此操作。",
    "This conversation has ended.": "对话已结束。",
    "You have used all attempts for this assignment.": "这个任务的练习次数已用完。",
    "No classroom has this join code.": "没有找到使用这个邀请码的班级。",
    "You cannot write in this conversation.": "你不能在这个对话中发言。",
    "Simplified Chinese": "简体中文",
    "English": "英语",
    "You joined %(classroom)s.": "已加入 %(classroom)s。",
    "Classroom %(name)s created. Join code: %(code)s": "已创建班级 %(name)s，邀请码：%(code)s",
    "Assigned “%(title)s” to %(classroom)s.": "已向 %(classroom)s 布置“%(title)s”。",
    "Transcript": "对话记录",
    "Home": "首页",
    "Back to the chat": "回到对话",
    "First response time": "首次响应时间",
    "%(s)s s": "%(s)s 秒",
    "Average response time": "平均响应时间",
    "Unanswered customer turns": "未回复的顾客消息",
    "Customer rating": "顾客评分",
    "Ended by": "结束方式",
    "answered in %(s)s s": "%(s)s 秒后回复",
    "unanswered": "未回复",
    "No messages.": "没有消息。",
    "Customer Service Trainer": "网店客服实训",
    "CS Trainer": "网店客服实训",
    "Online-shop customer service practice": "售前 · 售中 · 售后 情景对话练习",
    "Log out": "退出登录",
    "Sign in": "登录",
    "Practise pre-sale, order-confirmation and after-sale chats with realistic customers.": "与逼真的模拟顾客练习售前咨询、售中核单和售后投诉处理。",
    "Your username and password did not match. Please try again.": "用户名或密码不正确，请重试。",
    "Username": "用户名",
    "Password": "密码",
    "Demo classroom": "演示班级",
    "Instructor: <code>teacher</code> · Students: <code>student01</code> … <code>student30</code>. The passwords are printed by <code>make run</code>.": "教师：<code>teacher</code> · 学生：<code>student01</code> … <code>student30</code>。密码由 <code>make run</code> 打印。",
    "My classrooms": "我的班级",
    "Assign a scenario": "布置情景任务",
    "Assign": "布置",
    "Assignments": "实训任务",
    "Started": "已开始",
    "Finished": "已完成",
    "No assignments yet.": "还没有实训任务。",
    "No students have joined yet.": "还没有学生加入。",
    "Teaching": "教学",
    "Assign scenarios, follow your students' chats and read their transcripts.": "布置情景任务，跟进学生的对话并查看对话记录。",
    "New class name": "新班级名称",
    "Create classroom": "创建班级",
    "Open classroom": "进入班级",
    "Create your first classroom to get a join code for your students.": "创建第一个班级，把邀请码发给学生。",
    "Recent chats": "最近的对话",
    "Classroom": "班级",
    "Status": "状态",
    "No chats yet.": "还没有对话。",
    "Scenario library": "情景库",
    "Kind": "类型",
    "Title": "标题",
    "Language": "语言",
    "Version": "版本",
    "My assignments": "我的实训任务",
    'Welcome, <span translate="no">%(name)s</span>': '欢迎，<span translate="no">%(name)s</span>',
    "You have not joined a classroom yet.": "你还没有加入班级。",
    "Join code, e.g. K7M2QX": "邀请码，如 K7M2QX",
    "Join classroom": "加入班级",
    "Unlimited attempts": "不限练习次数",
    "Attempt %(n)s": "第 %(n)s 次",
    "Continue chat": "继续对话",
    "Try again": "再练一次",
    "Start chat": "开始对话",
    "No attempts left": "练习次数已用完",
    "No assignments yet. Join your classroom with the code your teacher gives you.": "还没有实训任务。请用老师给的邀请码加入班级。",
    "Conversations": "会话",
    "Your task": "你的任务",
    "Chat": "对话",
    "Connecting…": "正在连接…",
    "Close chat": "结束对话",
    "%(name)s is typing…": "%(name)s 正在输入…",
    "The conversation has ended.": "对话已结束。",
    "View transcript": "查看对话记录",
    "Type your reply… (Enter to send, Shift+Enter for a new line)": "输入回复…（Enter 发送，Shift+Enter 换行）",
    "Your reply": "你的回复",
    "Send": "发送",
    "Customer and order": "顾客与订单",
    "Order": "订单",
    "Order number": "订单号",
    "Item": "商品",
    "Paid": "实付",
    "Recipient": "收件人",
    "Phone": "电话",
    "Address": "地址",
    "Remark": "备注",
    "Products · %(shop)s": "商品 · %(shop)s",
    "Stock": "库存",
    "Promotions and shipping": "优惠与物流",
    "Ships within %(h)s hours": "%(h)s 小时内发货",
    "Transit: %(d)s": "运输时效：%(d)s",
    "Policies": "店铺政策",
    "Return postage: paid by the shop": "退货运费：店铺承担",
    "Return postage: paid by the buyer": "退货运费：买家承担",
    "This order has return-postage insurance": "本订单有运费险",
    "No return-postage insurance on this order": "本订单没有运费险",
    "You may change the price": "可以改价",
    "You may not change the price": "不可改价",
    "Compensation limit: ¥%(n)s": "补偿上限：¥%(n)s",
    "Sending…": "发送中…",
    "Sent": "已发送",
    "Not sent": "未发送",
    "Connected": "已连接",
    "Connection lost. Reconnecting… your messages are kept.": "连接已断开，正在重连…消息不会丢失。",
    "Close this chat? The customer will be gone and the transcript is final.": "确定结束对话吗？顾客会离开，对话记录将定稿。",
    "The customer left the chat.": "顾客已离开对话。",
    "You closed the chat.": "你结束了对话。",
    "The message is too long (at most 2000 characters).": "消息太长（最多 2000 字）。",
    "The server refused this action.": "服务器拒绝了这个操作。",
    "waiting {s} s": "已等待 {s} 秒",
    "Export (JSON)": "导出（JSON）",
    "Cue lexicon": "话术词库",
    "The due date must be in the future.": "截止时间必须晚于现在。",
    "This assignment is past its due date.": "这个任务已过截止时间。",
    "Closed": "已截止",
    "Past the due date": "已过截止时间",
    "The customer is done and has closed the chat.": "顾客已满意地结束对话。",
    "How it ended": "对话结局",
    "The recogniser finds each move in a student's reply from a shipped lexicon. Add the phrases your classes use; they count for the customer and the scoring from the next message on.": "系统根据内置词库识别学生回复中的每个话术动作。你可以添加本班常用的说法，从下一条消息起，模拟顾客和评分都会采用。",
    "Add a phrase": "添加说法",
    "Move": "话术动作",
    "Phrase": "说法",
    "Matched as written, inside any message; full- and half-width forms count as the same.": "按原文匹配，可出现在消息任意位置；全角和半角视为相同。",
    "Sample messages to try it on": "用于试验的示例消息",
    "Add phrase": "添加",
    "Messages it matches": "匹配到的消息",
    "Type a phrase to see which sample messages would show the move.": "输入一个说法，即可看到哪些示例消息会被识别为该动作。",
    "Your phrases": "你添加的说法",
    "Remove": "删除",
    "Only the shipped lexicon.": "仅使用内置词库。",
    "new": "新增",
    "No sample message shows this move with this phrase.": "没有示例消息因这个说法被识别为该动作。",
    "Phrase added. It counts in your classes from now on.": "已添加。从现在起在你的班级中生效。",
    "Unknown move.": "未知的话术动作。",
    "A phrase has 1 to 60 characters.": "说法长度应为 1 到 60 个字。",
    "move": "话术动作",
    "phrase": "说法",
    "cue phrase": "话术说法",
    "cue phrases": "话术说法",
    "Open question": "开放式提问",
    "Closed question": "封闭式提问",
    "Unauthorised promise": "越权承诺",
    "Forbidden phrase": "服务禁语",
}
# msgctxt-qualified entries: (context, msgid) -> translation
ZH_CONTEXT = {
    ("logo letters", "CS"): "客",
    ("seven-step", "Greet"): "招呼",
    ("seven-step", "Recommend"): "推荐",
    ("seven-step", "Bargain"): "议价",
    ("seven-step", "Verify"): "核实",
    ("seven-step", "Farewell"): "道别",
    ("seven-step", "Follow up"): "回访",
    ("CLEAR", "Control"): "控制情绪",
    ("CLEAR", "Listen"): "倾听",
    ("CLEAR", "Establish empathy"): "建立共鸣",
    ("CLEAR", "Apologise"): "道歉",
    ("CLEAR", "Resolve"): "解决",
}
ZH_PLURAL = {
    "%(n)s student": "%(n)s 名学生",
    "%(left)s attempt left": "还可练习 %(left)s 次",
    "%(n)s sample message shows the move.": "%(n)s 条示例消息被识别为该动作。",
}


def main() -> int:
    zh = polib.pofile(HERE / "zh_Hans/LC_MESSAGES/django.po")
    missing = []
    for entry in zh:
        if entry.msgctxt:
            text = ZH_CONTEXT.get((entry.msgctxt, entry.msgid))
        elif entry.msgid_plural:
            text = ZH_PLURAL.get(entry.msgid)
        else:
            text = ZH.get(entry.msgid)
        if text is None:
            missing.append(entry.msgid)
        elif entry.msgid_plural:
            entry.msgstr_plural = {0: text}
        else:
            entry.msgstr = text
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    zh.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    zh.metadata["Language"] = "zh_Hans"
    zh.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    zh.save()
    en = polib.pofile(HERE / "en/LC_MESSAGES/django.po")
    for entry in en:
        # Source strings are English: the catalogue mirrors them so no entry is empty.
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    en.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    en.metadata["Language"] = "en"
    en.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    en.save()
    for msgid in missing:
        print("untranslated:", msgid)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
