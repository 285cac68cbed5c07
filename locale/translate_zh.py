"""Fill locale/zh_Hans from the table below and mirror msgids into locale/en.

Run after `manage.py makemessages`: `python locale/translate_zh.py`. Entries missing here stay
empty, and tests/test_translations.py fails until they are translated.
"""

import sys
from pathlib import Path

import polib
from zh_classrooms import ZH_CLASSROOMS, ZH_CLASSROOMS_PLURAL
from zh_drills import ZH_DRILLS, ZH_DRILLS_CONTEXT, ZH_DRILLS_PLURAL
from zh_monitor import ZH_MONITOR, ZH_MONITOR_CONTEXT
from zh_peers import ZH_PEERS, ZH_PEERS_CONTEXT, ZH_PEERS_PLURAL
from zh_quick_replies import ZH_QUICK_REPLIES, ZH_QUICK_REPLIES_PLURAL
from zh_scenarios import ZH_SCENARIOS, ZH_SCENARIOS_CONTEXT, ZH_SCENARIOS_PLURAL
from zh_scoring import ZH_SCORING, ZH_SCORING_CONTEXT
from zh_shop_tools import ZH_SHOP_TOOLS, ZH_SHOP_TOOLS_CONTEXT

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
    # Phones and error pages
    "Account menu": "账号菜单",
    "Workspace views": "工作台视图",
    "Task and order": "任务与订单",
    "Back to home": "返回首页",
    "Page not found": "页面不存在",
    "This page does not exist, or it is not yours to open. The link may be mistyped or out of date.": (
        "这个页面不存在，或者你没有打开它的权限。链接可能输错了，或已经失效。"
    ),
    "No access": "没有访问权限",
    "Your account may not open this page. If you think it should, ask your teacher.": (
        "你的账号不能打开这个页面。如果你认为应该可以，请联系任课老师。"
    ),
    "Something went wrong": "服务器出了点问题",
    "The server could not finish this request. Please try again in a moment; if it keeps happening, tell your teacher.": (
        "服务器暂时无法完成这个请求。请稍后再试；如果问题一直出现，请告诉任课老师。"
    ),
    "Bad request": "请求无法处理",
    "The server could not understand this request. Go back and try again, or start from the home page.": (
        "服务器无法理解这个请求。请返回重试，或从首页重新开始。"
    ),
    "The page has expired": "页面已过期",
    "The form could not be sent: the page was open too long, or you signed in or out in another tab. Reload the page and try again.": (
        "表单没有提交成功：页面打开太久，或你在其他标签页登录或退出了。请刷新页面后重试。"
    ),
    "Change password": "修改密码",
    "You are signed out. Taking you to the sign-in page… your messages are kept.": (
        "你已退出登录，正在前往登录页面……未发送的消息会保留。"
    ),
    "The message is empty.": "消息内容为空。",
    "A message with this id was already sent with other text; this one was not stored.": (
        "使用同一编号的消息已以不同内容发送过，这条没有保存。"
    ),
    "%(name)s can sign in again.": "%(name)s 可以重新登录了。",
    "Sign-in locked": "登录已锁定",
    "Unlock": "解锁",
    "Other browsers signed in as you will have to sign in again.": "用你的账号登录的其他浏览器需要重新登录。",
    "Your password was changed. Other browsers signed in as you must sign in again.": (
        "密码已修改。用你的账号登录的其他浏览器需要重新登录。"
    ),
    "Only students can join a class with a join code. Teachers create their own classes.": (
        "只有学生可以用邀请码加入班级。教师请创建自己的班级。"
    ),
    "Join code": "班级邀请码",
    "Class name": "班级名称",
    "Scenario": "情景",
    "Due": "截止时间",
    "Attempts allowed": "可作答次数",  # practice and exams alike
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
    "attempts allowed": "可作答次数",
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
    "Empty for the library's default rubrics.": "留空表示公共默认评分标准。",
    "rubric data": "评分标准数据",
    "based on": "基于",
    "rubric": "评分标准",
    "rubrics": "评分标准",
    "scorer version": "评分程序版本",
    "report": "评分报告",
    "total": "总分",
    "passed": "通过",
    "critical item failed": "关键项不合格",
    "current": "当前有效",
    "released at": "公布时间",
    "assessment": "评分",
    "assessments": "评分",
    "criterion": "评分项",
    "original mark": "原分数",
    "new mark": "新分数",
    "reason": "理由",
    "changed by": "修改人",
    "changed at": "修改时间",
    "mark override": "改分记录",
    "mark overrides": "改分记录",
    "message number": "消息序号",
    "author": "作者",
    "comment": "批注",
    "comments": "批注",
    "answer": "答复",
    "answered by": "答复人",
    "answered at": "答复时间",
    "dispute": "申诉",
    "disputes": "申诉",
    "Mode": "模式",
    "Practice shows the report at once; an exam shows it when you release it.": "练习模式立即显示评分报告；考试模式在您公布后才显示。",
    "Pass mark": "及格分",
    "Out of 100. Leave empty for the rubric's pass mark.": "满分 100。留空则使用评分标准的及格分。",
    "Practice": "练习",
    "Exam": "考试",
    "mode": "模式",
    "pass mark": "及格分",
    "Empty for the rubric's pass mark.": "留空则使用评分标准的及格分。",
    "The conversation has not ended yet.": "对话尚未结束。",
    "This criterion is not part of the report.": "评分报告中没有这一项。",
    "The mark must lie between 0 and the criterion's maximum.": "分数必须在 0 到该项满分之间。",
    "Please give a reason.": "请填写理由。",
    "Please write something first.": "请先填写内容。",
    "This report has not been released yet.": "这份评分报告尚未公布。",
    "Score report": "评分报告",
    "Passed": "通过",
    "Not passed": "未通过",
    "Pass mark %(mark)s.": "及格分 %(mark)s。",
    "Rubric %(key)s v%(version)s, scorer %(scorer)s.": "评分标准 %(key)s 第 %(version)s 版，评分程序 %(scorer)s。",
    "A critical item failed: whatever else went well, the shop would not accept this conversation.": "关键项不合格：无论其他方面做得多好，店铺都不会认可这次接待。",
    "The total is capped at %(cap)s, so changing other marks may not change it.": (
        "总分上限为 %(cap)s 分，所以修改其他评分项可能不会改变总分。"
    ),
    "Shown to the student since %(at)s": "已于 %(at)s 向学生公布",
    "Not yet shown to the student": "尚未向学生公布",
    "Release to the student": "向学生公布",
    "What to do next time": "下次可以这样做",
    "Click a criterion to highlight the messages it rests on.": "点击评分项，对话记录中会高亮它所依据的消息。",
    "critical": "关键项",
    "not applicable": "不适用",
    "Messages": "消息",
    "present": "已做到",
    "missing": "缺少",
    "Dispute": "申诉",
    "Teacher's answer": "教师答复",
    "Your answer": "您的答复",
    "Answer": "答复",
    "Waiting for the teacher's answer.": "等待教师答复。",
    "Change this mark": "改分",
    "New mark (0–%(max)s)": "新分数（0–%(max)s）",
    "Reason (the student sees it)": "理由（学生可以看到）",
    "Save the mark": "保存分数",
    "Dispute this mark": "对这一项提出申诉",
    "Why do you think the mark is wrong?": "您认为这一项的分数哪里不对？",
    "Send the dispute": "提交申诉",
    "Claims that contradict the facts": "与事实不符的说法",
    "fact:": "事实：",
    "None found.": "未发现。",
    "Comment on a message": "批注消息",
    "Message number": "消息序号",
    "Comment": "批注",
    "Add the comment": "添加批注",
    "The report is made when the conversation ends.": "对话结束后生成评分报告。",
    "This is an exam: your report appears here when your teacher releases it.": "这是一次考试：教师公布后，评分报告会显示在这里。",
    "Not scored yet. Scoring runs again when the server restarts.": "尚未评分。服务器重启时会重新评分。",
    "Teacher's comment": "教师批注",
    "reply %(s)s s later": "%(s)s 秒后得到回复",
    "Average": "平均分",
    "Assignment": "实训任务",
    "Attempts": "练习次数",
    "Total": "总分",
    "yes": "是",
    "no": "否",
    "Criterion marks": "评分项得分",
    "Criterion": "评分项",
    "Mark": "得分",
    "Maximum": "满分",
    "Which attempt counts": "计入哪一次练习",
    "Best attempt": "最好成绩",
    "Latest attempt": "最近一次",
    "Export CSV": "导出 CSV",
    "Export Excel": "导出 Excel",
    "Progress": "进步曲线",
    "not released": "未公布",
    "What the class misses most": "全班最薄弱的环节",
    "No criterion or step averages below 60.": "没有平均低于 60 的评分项或步骤。",
    "No scored attempts yet.": "还没有已评分的练习。",
    "Class average per criterion, as a percentage of its maximum.": "各评分项的全班平均得分率（占满分的百分比）。",
    "All": "全部",
    "How often each method step was shown.": "各方法步骤做到的比例。",
    "Step": "步骤",
    "Grade book": "成绩册",
    "Results": "成绩",
    "pass %(mark)s": "及格 %(mark)s",
    "Grade book (%(done)s finished)": "成绩册（%(done)s 人已完成）",
    'Mark changed from %(old)s to %(new)s by <span translate="no">%(who)s</span> on %(at)s:': '<span translate="no">%(who)s</span> 于 %(at)s 将分数从 %(old)s 改为 %(new)s：',
    "Averages per criterion and step": "各评分项与步骤的平均得分",
    "Class averages": "全班平均",
    "is not a number": "不是数字",
    "is not a whole number above 0": "不是大于 0 的整数",
    "is out of range": "超出允许范围",
    "must be a list": "必须是列表",
    "must be an object": "必须是对象",
    "must be true or false": "必须是 true 或 false",
    "is required": "不能为空",
    "appears twice": "重复出现",
    "needs at least one criterion switched on": "至少要启用一个评分项",
    "names a move the recogniser does not know": "包含识别器不认识的动作",
    "names a step that is not in the list": "引用了列表中没有的步骤",
    "names an unknown method": "方法名称未知",
    "has an unknown position": "位置取值未知",
    "has an unknown condition": "条件取值未知",
    "names an unknown criterion": "评分项名称未知",
    "names an unknown kind": "类型未知",
    "is not valid JSON": "不是有效的 JSON",
    "needs three numbers, smallest first, e.g. 15, 30, 60": "需要三个从小到大的数字，例如 15, 30, 60",
    "%(field)s %(problem)s": "%(field)s %(problem)s",
    "Saved as version %(version)s. New chats in your classes use it.": "已保存为第 %(version)s 版。您班级的新对话将使用它评分。",
    "Re-score the class": "全班重新评分",
    "Scores every ended chat of this class again with the rubric you choose (for its kind). The earlier scores stay on record.": "用您选择的评分标准（按对应类型）重新评定本班所有已结束的对话。之前的评分会保留在记录中。",
    "Rubric": "评分标准",
    "library": "公共库",
    "Re-score": "重新评分",
    "Rubrics": "评分标准",
    "Edit rubric": "编辑评分标准",
    "Saving stores a new version; scores made with earlier versions keep theirs until you re-score a class.": "保存会生成一个新版本；用旧版本评出的分数保持不变，除非您对班级重新评分。",
    "Name": "名称",
    "Highest total when a critical item fails": "关键项不合格时的最高总分",
    "Counts": "计分",
    "Weight": "权重",
    "Critical": "关键项",
    "Thresholds": "阈值",
    "First response: seconds for full, 80 percent and 60 percent of the marks": "首次响应：得满分、80% 和 60% 分数的秒数",
    "Average response: seconds for full, 80 percent and 60 percent of the marks": "平均响应：得满分、80% 和 60% 分数的秒数",
    "Share of rounds to answer within 3 minutes": "3 分钟内回复的轮次比例",
    "Rush-hour factor for the times": "高峰期时间放宽系数",
    "Method steps (JSON): which steps, their order, the moves that show each": "方法步骤（JSON）：包含哪些步骤、顺序，以及体现每一步的动作",
    "Save as a new version": "保存为新版本",
    "Versions": "版本",
    "Copy a library rubric to change which criteria count, their weights, thresholds and method steps. Your newest rubric of a kind scores the new chats in your classes.": "复制一份公共评分标准，即可修改计分项、权重、阈值和方法步骤。每种类型中您最新的评分标准会用于您班级的新对话。",
    "Library": "公共库",
    "Copy and edit": "复制并编辑",
    "My rubrics": "我的评分标准",
    "Edit": "编辑",
    "None yet: copy one from the library.": "还没有：请从公共库复制一份。",
    "%(file)s: the file is larger than 2 MB.": "%(file)s：文件超过 2 MB。",
    "The server refuses this page's live connection, so messages cannot be sent. Open the site "
    "at the address your teacher or administrator gave you; if that is the address in use, ask "
    "the administrator to add it to SITE_ORIGINS.": (
        "服务器拒绝了本页的实时连接，消息无法发送。请使用老师或管理员提供的网址打开本站；如果正在使用的就是这个网址，请联系管理员把它加入 SITE_ORIGINS。"
    ),
    "%(file)s: kind: “%(kind)s” is not a kind of conversation.": (
        "%(file)s：kind：“%(kind)s”不是对话类型。"
    ),
    "%(file)s: language: “%(language)s” is not one the product reads (%(known)s).": (
        "%(file)s：language：不支持语言“%(language)s”（可用：%(known)s）。"
    ),
    "%(file)s: messages: the file holds no messages.": "%(file)s：messages：文件里没有消息。",
    "%(file)s: not UTF-8 text.": "%(file)s：不是 UTF-8 文本。",
    "%(file)s line 1: the header needs the columns role, text, time (missing: %(cols)s).": "%(file)s 第 1 行：表头需要 role, text, time 三列（缺少：%(cols)s）。",
    "%(file)s line %(line)s: role: “%(value)s” is neither customer nor agent.": "%(file)s 第 %(line)s 行：role：“%(value)s”既不是 customer 也不是 agent。",
    "%(file)s line %(line)s: time: “%(value)s” is not a time.": "%(file)s 第 %(line)s 行：time：“%(value)s”不是时间。",
    "%(file)s line %(line)s: time: earlier than the line before.": "%(file)s 第 %(line)s 行：time：早于上一行。",
    "Choose a file first.": "请先选择文件。",
    "Score a real shop's chat": "为真实店铺对话评分",
    "Upload a transcript file (JSON in the transcript format) or a CSV with the columns role, text, time. It is scored with your newest rubric of its kind and not stored.": "上传对话记录文件（对话记录格式的 JSON），或包含 role, text, time 三列的 CSV。系统会用您该类型最新的评分标准评分，文件不会被保存。",
    "File (.json or .csv)": "文件（.json 或 .csv）",
    "As the file says (pre-sale if it does not)": "按文件标注（未标注则按售前）",
    "Language of a CSV": "CSV 的语言",
    "Score it": "评分",
    "Message #%(seq)s promises what the shop does not allow.": "第 %(seq)s 条消息做出了店铺不允许的承诺。",
    "Message #%(seq)s: “%(claim)s” contradicts the facts (%(fact)s).": "第 %(seq)s 条消息：“%(claim)s”与事实不符（%(fact)s）。",
    "The customer has been waiting %(s)s s: answer now.": "顾客已经等了 %(s)s 秒：请马上回复。",
    "Not shown yet: %(step)s.": "还没有做到：%(step)s。",
    "Hints (practice)": "练习提示",
    "The chat has ended: your report is on the transcript page.": "对话已结束：评分报告在对话记录页面。",
    "All good so far.": "目前一切正常。",
    "%(total)s points": "%(total)s 分",
    "awaiting release": "待公布",
    "Earlier scores": "之前的评分",
    "%(total)s by %(rubric)s on %(at)s": "%(total)s 分（%(rubric)s，%(at)s）",
    "See the report": "查看评分报告",
    "Your score": "你的得分",
    "The checks below are the scorer's; the teacher's mark above is the one that counts.": "下面各项是系统评分的判断；以上方老师改后的分数为准。",
    "Unlimited exam attempts": "不限考试次数",
    "No exam attempts left": "考试次数已用完",
    "Retake the exam": "再考一次",
    "Exam attempts": "考试次数",
    "customer rating %(stars)s★": "顾客评分 %(stars)s★",
    "Disputes waiting for your answer": "待你答复的评分申诉",
    "Before the teacher's change, the scorer said:": "老师改分前，系统评分的说明：",
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
    (
        "Too many failed sign-ins with this username: it is locked for %(minutes)s minute. "
        "Try again later, or ask your teacher to unlock it."
    ): "该用户名登录失败次数过多，已锁定 %(minutes)s 分钟。请稍后再试，或请老师为你解锁。",
    "%(n)s student": "%(n)s 名学生",
    "%(left)s attempt left": "还可练习 %(left)s 次",
    "%(n)s sample message shows the move.": "%(n)s 条示例消息被识别为该动作。",
    "round of %(n)s message": "本轮共 %(n)s 条消息",
    "%(n)s attempt": "%(n)s 次练习",
    "%(left)s exam attempt left": "还可考试 %(left)s 次",
    "%(n)s exam attempt": "%(n)s 次考试",
    "%(n)s open dispute": "%(n)s 条未回复的申诉",
    "Totals over %(n)s attempt": "%(n)s 次作答的总分",  # practice and exams alike
    "%(n)s conversation re-scored with %(rubric)s; the earlier scores are kept.": "已用 %(rubric)s 重新评分 %(n)s 个对话；之前的评分仍然保留。",
    "Release %(n)s report": "公布 %(n)s 份报告",
    "%(n)s dispute": "%(n)s 条申诉",
    "%(n)s report released.": "已公布 %(n)s 份报告。",
}


# The assessment report's strings (assessment/messages.py) have their own table.
ZH.update(ZH_SCORING)
ZH_CONTEXT.update(ZH_SCORING_CONTEXT)
# So do the scenario library's and the script checker's (scenarios/).
ZH.update(ZH_SCENARIOS)
ZH_CONTEXT.update(ZH_SCENARIOS_CONTEXT)
ZH_PLURAL.update(ZH_SCENARIOS_PLURAL)
# And the classroom tools' (simulator/classrooms.py) and the live monitor's; shared words keep
# their first Chinese.
for _table, _extra in (
    (ZH, ZH_CLASSROOMS),
    (ZH_PLURAL, ZH_CLASSROOMS_PLURAL),
    (ZH, ZH_MONITOR),
    (ZH_CONTEXT, ZH_MONITOR_CONTEXT),
    (ZH, ZH_QUICK_REPLIES),
    (ZH_PLURAL, ZH_QUICK_REPLIES_PLURAL),
    (ZH, ZH_PEERS),
    (ZH_CONTEXT, ZH_PEERS_CONTEXT),
    (ZH_PLURAL, ZH_PEERS_PLURAL),
    (ZH, ZH_DRILLS),
    (ZH_CONTEXT, ZH_DRILLS_CONTEXT),
    (ZH_PLURAL, ZH_DRILLS_PLURAL),
    (ZH, ZH_SHOP_TOOLS),
    (ZH_CONTEXT, ZH_SHOP_TOOLS_CONTEXT),
):
    for _msgid, _text in _extra.items():
        _table.setdefault(_msgid, _text)


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
            if "fuzzy" in entry.flags:
                # makemessages' guess from a similar msgid is usually wrong ("Customer's
                # stars" → 顾客昵称): emptied, so tests/test_translations.py names it.
                entry.msgstr = ""
                entry.msgstr_plural = {0: ""} if entry.msgid_plural else {}
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
