"""The workspace socket: one per open workspace, multiplexing the user's conversations."""

from __future__ import annotations

import copy
import logging
import time
from typing import Any

from channels.auth import get_user
from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.http import Http404
from django.utils import timezone

from simulator import peers, protocol, ratelimit, selectors, services, writer
from simulator.models import Conversation, Message, User, monitor_group

log = logging.getLogger(__name__)

# Close codes (docs/protocol.md).
UNAUTHENTICATED = 4401  # no session at the handshake, or it ended (logout, password change)

# Flood control (docs/protocol.md): a monotonic clock, replaced by hand in tests.
clock = time.monotonic
# One user's buckets, shared by all their sockets in this process: five tabs get no more
# than the user's limit. Across server processes the per-socket limit still holds.
user_buckets = ratelimit.Buckets()
# The sockets of this process store their messages together (simulator.writer).
posts = writer.GroupCommit(services.post_messages)


def socket_rates() -> dict[str, tuple[ratelimit.Rate, ratelimit.Rate]]:
    """Per frame type: the limit of one socket and that of one user (CHAT_RATE_LIMITS)."""
    return {
        kind: (ratelimit.Rate(*limit["socket"]), ratelimit.Rate(*limit["user"]))
        for kind, limit in settings.CHAT_RATE_LIMITS.items()
    }


class WorkspaceConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=UNAUTHENTICATED)  # refused before accept: no data flows
            return
        self.user = user
        self.subscriptions: set[int] = set()
        # Conversations this socket may write in, checked once: a conversation's student never
        # changes, and whether it is still open is checked under the lock on every write.
        self.own: dict[int, Conversation] = {}
        # Conversations of the classes this teacher teaches, checked once, likewise (the live
        # monitor's takeover, coaching notes, ending); and the classes whose monitor it watches.
        self.taught: dict[int, Conversation] = {}
        self.monitors: set[int] = set()
        # Conversations whose customer this student plays (a classmate's role-play), likewise.
        self.played: dict[int, Conversation] = {}
        self.rates = socket_rates()
        self.buckets = ratelimit.Buckets()
        # Logout and password change close the user's sockets through this group.
        await self.channel_layer.group_add(user.socket_group, self.channel_name)
        # A logout between the session check and joining the group went unheard: look again.
        if (await get_user(self.scope)).pk != user.pk:
            await self.close(code=UNAUTHENTICATED)
            return
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if user := getattr(self, "user", None):
            await self.channel_layer.group_discard(user.socket_group, self.channel_name)
        for conversation_id in getattr(self, "subscriptions", ()):
            await self.channel_layer.group_discard(
                f"conversation.{conversation_id}", self.channel_name
            )
        for classroom_id in getattr(self, "monitors", ()):
            await self.channel_layer.group_discard(monitor_group(classroom_id), self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        frame = None
        try:
            frame = protocol.parse(text_data)
            if wait := self.throttle(frame):
                # A typing indicator is only a hint: the excess is dropped, never relayed.
                if not isinstance(frame, protocol.TypingFrame):
                    await self.send_json(
                        protocol.error(
                            "rate_limited",
                            detail="too many frames; nothing was done",
                            ref=frame,
                            retry_after=ratelimit.retry_after(wait),
                        )
                    )
                return
            match frame:
                case protocol.SubscribeFrame():
                    await self.subscribe(frame)
                case protocol.SendFrame():
                    message = await self.post(frame)
                    await self.send_json(protocol.ack(message))
                case protocol.TypingFrame():
                    await self.typing(frame)
                case protocol.EndFrame():
                    await self.end(frame)
                case protocol.MonitorFrame():
                    await self.monitor(frame)
                case protocol.TakeOverFrame() | protocol.HandBackFrame():
                    await self.send_json(protocol.monitor_row(await self.takeover(frame)))
                case protocol.ToolFrame():
                    message = await self.use_tool(frame)
                    await self.send_json(protocol.ack(message))
                case protocol.CustomerSendFrame() | protocol.CoachFrame():
                    message = await self.post_as_teacher(frame)
                    await self.send_json(protocol.ack(message))
        except protocol.ProtocolError as error:
            await self.send_json(
                protocol.error(error.code, field=error.field, detail=error.detail, ref=error.frame)
            )
        except Http404:
            # Missing and not-yours look alike: an id reveals nothing.
            field = "classroom" if isinstance(frame, protocol.MonitorFrame) else "conversation"
            await self.send_json(protocol.error("not_found", field=field, ref=frame))
        except services.ChatError as error:
            await self.send_json(protocol.error(error.code, detail=str(error.message), ref=frame))

    async def dispatch(self, message: dict[str, Any]) -> None:
        # Channels hops to the database thread before every handler to close stale
        # connections. Every ORM call here goes through database_sync_to_async, which does
        # that already, so the hop only taxed each frame, every relayed message.new included.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def send_json(self, content: dict[str, Any]) -> None:
        await self.send(text_data=protocol.dumps(content))

    def throttle(self, frame: protocol.ClientFrame) -> float:
        """Seconds until this frame may pass: 0.0 admits it and spends the tokens."""
        socket_rate, user_rate = self.rates[frame.type]
        now = clock()
        return ratelimit.admit(
            [
                self.buckets.get(frame.type, socket_rate, now),
                user_buckets.get((self.user.pk, frame.type), user_rate, now),
            ],
            now,
        )

    # ------------------------------------------------------------ frame handlers

    async def subscribe(self, frame: protocol.SubscribeFrame) -> None:
        conversation = await database_sync_to_async(selectors.chat_conversation_for)(
            self.user, frame.conversation
        )
        if conversation.customer_player_id == self.user.pk:
            self.played[conversation.pk] = conversation
        elif conversation.student_id == self.user.pk:
            # What `owned` would read (own_conversation_for is this check on the same query):
            # the first send of each chat then costs no lookup, a thousand at a drill's start.
            # A copy: the backlog's refresh_from_db below drops the related rows (scenario
            # version, assignment) that every send reads from it.
            self.own.setdefault(conversation.pk, copy.copy(conversation))
        # Join first, then read: a message committed in between arrives twice at worst,
        # and the client drops a seq it already has; it can never be missed.
        await self.channel_layer.group_add(conversation.group_name, self.channel_name)
        self.subscriptions.add(conversation.pk)
        backlog, conversation, typing_left = await self.backlog(conversation, frame.after)
        for message in backlog:
            await self.send_json(protocol.message_new(message))
        # A page, not the whole history: 40 subscribes with after=0 cannot pull 40,000 frames.
        more = len(backlog) == settings.CHAT_RESUME_PAGE and backlog[-1].seq < conversation.last_seq
        await self.send_json(protocol.subscribed(conversation, more=more))
        if conversation.pk in self.played and conversation.is_active:
            # The seat may have missed a takeover or a hand-back while it was away.
            await self.send_json(await self.seat_control(conversation))
        if not conversation.is_active:
            await self.send_json(protocol.ended(conversation))
        elif typing_left:
            await self.send_json(protocol.typing(conversation.pk, "customer", typing_left))

    @database_sync_to_async
    def backlog(
        self, conversation: Conversation, after: int
    ) -> tuple[list[Message], Conversation, float | None]:
        conversation.refresh_from_db()
        typing_left = selectors.customer_typing_left(conversation, timezone.now())
        page = selectors.messages_after(
            conversation,
            after,
            limit=settings.CHAT_RESUME_PAGE,
            # The agent's coaching notes are not the customer's to read.
            notes=conversation.pk not in self.played,
        )
        return page, conversation, typing_left

    @database_sync_to_async
    def seat_control(self, conversation: Conversation) -> dict[str, Any]:
        if conversation.taken_over_by_id not in (None, conversation.customer_player_id):
            conversation.taken_over_by = User.objects.get(pk=conversation.taken_over_by_id)
        return protocol.seat_control(conversation)

    async def owned_async(self, conversation_id: int) -> Conversation:
        """`owned` without a trip to the database thread once the socket knows the conversation."""
        if (conversation := self.own.get(conversation_id)) is not None:
            return conversation
        return await database_sync_to_async(self.owned)(conversation_id)

    def owned(self, conversation_id: int) -> Conversation:
        """The user's own conversation (authorised once per socket); Http404 for any other."""
        if (conversation := self.own.get(conversation_id)) is None:
            conversation = selectors.own_conversation_for(self.user, conversation_id)
            self.own[conversation_id] = conversation
        return conversation

    async def post(self, frame: protocol.SendFrame) -> Message:
        """Store the message in the next group commit; return once it is committed."""
        conversation = await self.owned_async(frame.conversation)
        message, _created = await posts.submit(
            services.Post(conversation, self.user, frame.text, frame.client_id)
        )
        return message

    async def use_tool(self, frame: protocol.ToolFrame) -> Message:
        """A shop tool of the order panel, the student's own chat only: stored like a line."""
        conversation = await self.owned_async(frame.conversation)
        message, _created = await posts.submit(
            services.Post(
                conversation,
                self.user,
                "",
                frame.client_id,
                role=Message.Role.TOOL,
                tool=frame.request(),
            )
        )
        return message

    async def typing(self, frame: protocol.TypingFrame) -> None:
        if self.user.is_instructor:
            # A teacher playing the customer types as the customer: the student sees the same
            # indicator as for the script. Without a takeover there is nothing to show.
            conversation, role = await self.typing_as_customer(frame.conversation), "customer"
            if conversation is None:
                return
        elif frame.conversation in self.played or frame.conversation not in self.own:
            # Perhaps the classmate playing this customer; else their own chat (or not_found).
            conversation, role = await self.typing_as_player(frame.conversation)
            if conversation is None:
                return
        else:
            conversation, role = await self.owned_async(frame.conversation), "agent"
        await self.channel_layer.group_send(
            conversation.group_name,
            {"type": "frame.relay", "frame": protocol.typing(conversation.pk, role, 3)},
        )

    @database_sync_to_async
    def typing_as_player(self, conversation_id: int) -> tuple[Conversation | None, str]:
        """A student's typing: as the agent in their own chat, or as the customer they play."""
        try:
            return self.owned(conversation_id), "agent"
        except Http404:
            return self.seat_taken_over(conversation_id), "customer"

    @database_sync_to_async
    def typing_as_customer(self, conversation_id: int) -> Conversation | None:
        return self.seat_taken_over(conversation_id)

    def seat_taken_over(self, conversation_id: int) -> Conversation | None:
        """The conversation this user may play the customer in (`playing`), if it is taken
        over now (read afresh: one small query)."""
        conversation = self.playing(conversation_id)
        state = (
            Conversation.objects.filter(pk=conversation.pk)
            .values_list("engine_state", flat=True)
            .first()
        )
        return conversation if state and state.get("taken_over") else None

    @database_sync_to_async
    def end(self, frame: protocol.EndFrame) -> None:
        if self.user.is_instructor:
            # A teacher of the class ends a student's chat from the live monitor.
            services.end_conversation(
                self.taught_one(frame.conversation),
                reason=Conversation.EndReason.TEACHER,
                by=self.user,
                note=frame.reason.strip(),
            )
            return
        try:
            conversation = self.owned(frame.conversation)
        except Http404:
            # The classmate playing the customer ends it with an ending the scenario offers.
            peers.end_as_customer(self.played_one(frame.conversation), ending=frame.ending)
            return
        services.end_conversation(conversation, reason=Conversation.EndReason.STUDENT)

    # ------------------------------------------------------------ the live monitor (teachers)

    def taught_one(self, conversation_id: int) -> Conversation:
        """A conversation of a class the user teaches (authorised once per socket); Http404
        for any other, the conversation's own student included."""
        if (conversation := self.taught.get(conversation_id)) is None:
            conversation = selectors.taught_conversation_for(self.user, conversation_id)
            self.taught[conversation_id] = conversation
        return conversation

    def played_one(self, conversation_id: int) -> Conversation:
        """A conversation whose customer this student plays (authorised once per socket);
        Http404 for any other, the agent-student's own included."""
        if (conversation := self.played.get(conversation_id)) is None:
            conversation = selectors.played_conversation_for(self.user, conversation_id)
            self.played[conversation_id] = conversation
        return conversation

    def playing(self, conversation_id: int) -> Conversation:
        """Whom a `customer.send` or a customer's typing may come from, in one place: a teacher
        of the class, or the classmate who plays this conversation's customer."""
        if self.user.is_instructor:
            return self.taught_one(conversation_id)
        return self.played_one(conversation_id)

    async def monitor(self, frame: protocol.MonitorFrame) -> None:
        """Join the class's monitor, then send every active conversation's whole row."""
        classroom = await database_sync_to_async(selectors.taught_classroom_for)(
            self.user, frame.classroom
        )
        # Join first, then read, as subscribe does: an update in between arrives twice at
        # worst (rows are replaced, not appended), never missed.
        await self.channel_layer.group_add(monitor_group(classroom.pk), self.channel_name)
        self.monitors.add(classroom.pk)
        rows = await database_sync_to_async(selectors.monitor_rows)([classroom.pk])
        for row in rows:
            await self.send_json(protocol.monitor_row(row))
        await self.send_json(protocol.monitor_subscribed(classroom.pk, len(rows)))

    @database_sync_to_async
    def takeover(
        self, frame: protocol.TakeOverFrame | protocol.HandBackFrame
    ) -> selectors.MonitorRow:
        conversation = self.taught_one(frame.conversation)
        if isinstance(frame, protocol.TakeOverFrame):
            services.take_over_conversation(conversation, by=self.user)
        else:
            services.hand_back_conversation(conversation, by=self.user, state=frame.state)
        (row,) = selectors.monitor_rows(
            [conversation.assignment.classroom_id], conversation_id=conversation.pk
        )
        return row

    async def post_as_teacher(
        self, frame: protocol.CustomerSendFrame | protocol.CoachFrame
    ) -> Message:
        """A line as the customer (while taken over) or a coaching note, in the group commit."""
        as_customer = isinstance(frame, protocol.CustomerSendFrame)
        authorise = self.playing if as_customer else self.taught_one
        # A student's cache holds what they play: good for a customer line, never for a note.
        cache = self.played if as_customer and not self.user.is_instructor else self.taught
        conversation = cache.get(frame.conversation) or await database_sync_to_async(authorise)(
            frame.conversation
        )
        role = Message.Role.CUSTOMER if as_customer else Message.Role.NOTE
        message, _created = await posts.submit(
            services.Post(conversation, self.user, frame.text, frame.client_id, role=role)
        )
        return message

    # ------------------------------------------------------------ group events

    async def frame_relay(self, event: dict[str, Any]) -> None:
        frame = event["frame"]
        if frame.get("role") == "note" and frame.get("conversation") in self.played:
            return  # a coaching note is the agent-student's: never the customer player's
        await self.send_json(frame)  # built once in services, fanned out unchanged

    async def session_ended(self, event: dict[str, Any]) -> None:
        await self.close(code=UNAUTHENTICATED)  # logged out or password changed elsewhere
