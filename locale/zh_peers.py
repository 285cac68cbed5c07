"""Chinese for the role-play with a classmate as the customer (simulator/peers.py,
simulator/peer_views.py and their pages); merged by translate_zh.py."""

ZH_PEERS = {
    # Models, audit log, errors
    "customer played by": "顾客扮演者",
    "paired classmates for a role-play": "安排了同学角色扮演",
    "%(scenario)s: %(agent)s as the agent, %(customer)s as the customer": (
        "%(scenario)s：%(agent)s 担任客服，%(customer)s 扮演顾客"
    ),
    "Pair two different students of this class.": "请选择本班两名不同的学生配对。",
    "This student already has a chat of this assignment in progress.": (
        "这名学生在这个实训任务中已有进行中的对话。"
    ),
    "The scenario has no such ending.": "情景中没有这个结局。",
    # Pairing on the class page
    "Answers as the agent": "担任客服",
    "Plays the customer": "扮演顾客",
    "Choose an assignment and two students of the class.": "请选择一个实训任务和本班的两名学生。",
    "%(agent)s answers as the agent, %(customer)s plays the customer.": (
        "%(agent)s 担任客服，%(customer)s 扮演顾客。"
    ),
    "Nobody left to pair: every student is in a chat of it.": (
        "没有可配对的学生：每个人都已在这个实训任务的对话中。"
    ),
    "%(name)s has no partner: pair them by hand.": "%(name)s 没有搭档：请手动为其配对。",
    "Role-play: a classmate plays the customer": "角色扮演：同学扮演顾客",
    "One student answers as the agent; a classmate plays the customer from a role card with the persona, what only the customer knows and the script's lines. The agent's chat is scored as usual; both find it on their home page.": (
        "一名学生担任客服；另一名同学按角色卡扮演顾客，角色卡上有人设、只有顾客知道的信息和脚本台词。"
        "客服的对话照常评分；两人都能在自己的首页找到这次对话。"
    ),
    "Pair these two": "为这两人配对",
    "Pair the whole class at random": "全班随机配对",
    "Pairing needs an assignment and at least two students.": "配对需要至少一个实训任务和两名学生。",
    # Home pages
    "%(name)s plays the customer": "%(name)s 扮演顾客",
    "Role-plays: you play the customer": "角色扮演：你扮演顾客",
    'Agent: <span translate="no">%(name)s</span>': '客服：<span translate="no">%(name)s</span>',
    # The seat
    "You play the customer": "你扮演顾客",
    'Agent: <strong translate="no">%(name)s</strong>': '客服：<strong translate="no">%(name)s</strong>',
    "Your teacher gave this customer back to the script: it speaks for you now.": (
        "老师已把这位顾客交回脚本：现在由脚本替你说话。"
    ),
    "The agent is typing…": "客服正在输入…",
    "Back to my assignments": "返回我的实训任务",
    "Your role": "你的角色",
    "Mood at the start: %(mood)s of 5": "开场情绪：%(mood)s / 5",
    "What only you know": "只有你知道的信息",
    "The agent cannot see this card. Let them find it out by asking; say it only when asked.": (
        "客服看不到这张卡片。让对方通过提问来了解；只有被问到时才说出来。"
    ),
    "Suggested lines": "参考台词",
    "The script's lines, by the state the customer is in. Click one to put it in your box, change it, then send.": (
        "脚本中的台词，按顾客所处的状态分组。点击一句放入输入框，修改后再发送。"
    ),
    "Opening": "开场",
    "ends": "结束于",
    "No line: the customer says nothing here.": "无台词：顾客在这里不说话。",
    "Move on when the agent does:": "客服做到以下动作时进入下一状态：",
    "End as the customer": "以顾客身份结束",
    "How did the agent do? The ending you choose gives the outcome and your star rating.": (
        "客服表现如何？你选择的结局决定对话结果和你的星级评分。"
    ),
    "End the conversation": "结束对话",
    "You (customer)": "你（顾客）",
    "Agent": "客服",
    "End the conversation with this ending? The agent's chat is then scored.": (
        "以这个结局结束对话吗？结束后客服的对话将被评分。"
    ),
    "Your rating: {stars}★": "你的评分：{stars}★",
    "The script plays the customer now: your teacher handed it back.": (
        "现在由脚本扮演顾客：老师已把顾客交回脚本。"
    ),
    # The transcript
    "Agent: %(agent)s · Customer played by %(customer)s": "客服：%(agent)s · 顾客由 %(customer)s 扮演",
    "%(name)s (your teacher) is playing this customer with you: you may still type.": "%(name)s（你的老师）正和你一起扮演这位顾客，你仍可以继续输入。",
    "A classmate plays the customer. Take over to type beside them: they can still type, and their seat tells them you joined.": "由同学扮演顾客。接管后你可以和同学一起以顾客身份输入：同学仍可以继续输入，他的顾客席位会提示你已加入。",
    # Students inviting each other (2026-12-03 afternoon).
    "%(title)s (%(mode)s): %(due)s, attempts %(attempts)s": "%(title)s（%(mode)s）：%(due)s，次数 %(attempts)s",
    "assigned a scenario": "布置了实训任务",
    "invited a classmate to a role-play": "邀请同学角色扮演",
    "Waiting for an answer": "等待对方回应",
    "Accepted": "已接受",
    "Declined": "已谢绝",
    "Withdrawn": "已撤回",
    "agent": "客服",
    "customer player": "扮演顾客的同学",
    "invited by": "邀请人",
    "role-play invitation": "角色扮演邀请",
    "role-play invitations": "角色扮演邀请",
    "Choose the classmate to invite.": "请选择要邀请的同学。",
    "Invitation sent to %(name)s. The role-play opens when they accept.": "已向 %(name)s 发出邀请，对方接受后角色扮演即开始。",
    "Invitation declined.": "已谢绝邀请。",
    "Invitation withdrawn.": "已撤回邀请。",
    "An exam is played alone: only practice assignments are role-played.": "考试须独立完成：只有练习任务可以和同学角色扮演。",
    "You have already invited this classmate to this assignment.": "你已经就这个任务邀请过这位同学了。",
    "This invitation has already been answered or withdrawn.": "这个邀请已经被回应或撤回了。",
    "Role-play invitations": "角色扮演邀请",
    '<strong translate="no">%(name)s</strong> asks you to play the customer; they answer as the agent.': '<strong translate="no">%(name)s</strong> 邀请你扮演顾客，由他/她担任客服。',
    '<strong translate="no">%(name)s</strong> will play the customer; you answer as the agent.': '<strong translate="no">%(name)s</strong> 来扮演顾客，由你担任客服。',
    "Accept and start": "接受并开始",
    "Decline": "谢绝",
    'You invited <strong translate="no">%(name)s</strong>': '你邀请了 <strong translate="no">%(name)s</strong>',
    "you play the customer": "你扮演顾客",
    "you answer as the agent": "你担任客服",
    "Withdraw": "撤回",
    "Role-play with a classmate": "邀请同学角色扮演",
    "Classmate": "同学",
    "answer as the agent": "担任客服",
    "play the customer": "扮演顾客",
    "Send invitation": "发出邀请",
    "changed": "修改",
    "%(change)s “%(title)s”": "%(change)s“%(title)s”",
    "changed the class's quick replies": "修改了班级快捷短语",
    "A classmate plays the customer": "同学扮演顾客中",
    "The stars you gave the agent: {stars}★": "你给客服打了 {stars}★",
    "also in progress": "也在进行中",
}

ZH_PEERS_CONTEXT = {
    ("role-play seat", "Customer"): "顾客（由你扮演）",
}

ZH_PEERS_PLURAL = {
    "%(n)s pair made.": "已配对 %(n)s 组。",
    "%(n)s more chat in progress:": "还有 %(n)s 个对话在进行中：",
}
