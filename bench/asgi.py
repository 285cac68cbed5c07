"""The product's ASGI application plus two stock Channels consumers to measure it against.

Served by the same Daphne, with the same settings and channel layer, by `python -m bench.chat`
only (never in production):
- ``/ws/bench/bare/?c=<id>``: a textbook chat consumer that stores nothing: it acks each
  ``message.send`` and fans ``message.new`` out to the conversation's group;
- ``/ws/bench/insert/?c=<id>``: the same, with one ORM insert per message through
  ``database_sync_to_async``, the way the Channels tutorial stores a chat line.
"""

from __future__ import annotations

import itertools
import json
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.routing import URLRouter
from django.urls import path
from django.utils import timezone

from simulator.asgi import application as product
from simulator.models import Message

# Unique across this process: each stock socket writes into its own conversation, so a global
# counter never collides with the (conversation, seq) constraint.
_seq = itertools.count(1_000_000)


class StockChat(AsyncWebsocketConsumer):
    store = False

    async def connect(self) -> None:
        self.conversation = int(parse_qs(self.scope["query_string"].decode())["c"][0])
        self.group = f"bench.{self.conversation}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        frame = json.loads(text_data)
        seq = next(_seq)
        if self.store:
            await self.insert(seq, frame["text"], frame["client_id"])
        at = timezone.now().isoformat()
        await self.send(
            json.dumps(
                {"type": "message.ack", "client_id": frame["client_id"], "seq": seq, "at": at}
            )
        )
        new = {
            "type": "message.new",
            "conversation": self.conversation,
            "seq": seq,
            "role": "agent",
            "text": frame["text"],
            "client_id": frame["client_id"],
            "at": at,
        }
        await self.channel_layer.group_send(self.group, {"type": "chat.message", "frame": new})

    @database_sync_to_async
    def insert(self, seq: int, text: str, client_id: str) -> None:
        Message.objects.create(
            conversation_id=self.conversation,
            seq=seq,
            role=Message.Role.AGENT,
            text=text,
            client_id=client_id,
            created_at=timezone.now(),
        )

    async def chat_message(self, event: dict) -> None:
        await self.send(json.dumps(event["frame"]))


class StockChatInsert(StockChat):
    store = True


stock = URLRouter(
    [
        path("ws/bench/bare/", StockChat.as_asgi()),
        path("ws/bench/insert/", StockChatInsert.as_asgi()),
    ]
)


async def application(scope, receive, send):
    if scope["type"] == "websocket" and scope["path"].startswith("/ws/bench/"):
        return await stock(scope, receive, send)
    return await product(scope, receive, send)
