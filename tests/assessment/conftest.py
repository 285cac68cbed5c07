"""Ended conversations built through the simulator's services, as a real chat makes them."""

from __future__ import annotations

import pytest


@pytest.fixture
def chat(django_capture_on_commit_callbacks):
    """`chat(assignment, student, [("customer", "…"), ("agent", "…")], end=True)`.

    On-commit callbacks run, so ending the chat sends `conversation_ended` as in production.
    """
    from simulator import services
    from simulator.models import Conversation, Message

    def play(assignment, student, lines, *, end=True, reason=Conversation.EndReason.STUDENT):
        with django_capture_on_commit_callbacks(execute=True):
            conversation = services.start_attempt(assignment, student=student)
            for role, text in lines:
                services.post_message(
                    conversation,
                    author=student if role == "agent" else None,
                    text=text,
                    role=Message.Role.AGENT if role == "agent" else Message.Role.CUSTOMER,
                )
        if end:
            with django_capture_on_commit_callbacks(execute=True):
                services.end_conversation(conversation, reason=reason, outcome="success", rating=5)
        conversation.refresh_from_db()
        return conversation

    return play


COAT_CHAT = [
    ("customer", "这件大衣我穿多大码？"),
    ("agent", "亲，您好~欢迎光临简衣！请问您平时在什么场合穿呢？"),
    ("customer", "上班穿，里面要穿毛衣"),
    ("agent", "推荐您拍驼色M码，肩宽40cm，里面穿厚毛衣也不会紧。"),
    ("customer", "好的"),
    ("agent", "感谢支持，48小时内发货，有问题随时找我~"),
]
