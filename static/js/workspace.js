// The chat workspace: speaks docs/protocol.md over one socket for all open conversations.
// Every message is written with textContent into <template> clones: chat text is never HTML.
// Several conversations (a rush drill: static/js/drill.js) each keep their own message list
// and draft; the one selected fills the chat pane, the others count unread lines.

import { flash, formatTime as timeIn, openSocket, pageStrings } from "./live.js";
import { attachQuickReplies } from "./quick-replies.js";
import { attachShopTools, fillToolRow } from "./shop-tools.js";

const config = JSON.parse(document.getElementById("workspace-config").textContent);
const strings = pageStrings();
const $ = (role, root = document) => root.querySelector(`[data-role="${role}"]`);

class Conversation {
  constructor(id, status, list) {
    this.id = id;
    this.list = list; // its <ol class="messages">
    this.draft = ""; // the reply box's text while another conversation is selected
    this.unread = 0;
    this.lastSeq = 0;
    this.ended = status === "ended";
    this.rows = new Map(); // seq -> <li>
    this.pending = new Map(); // client_id -> {text, row}
    this.waitingSince = null; // time of the first unanswered customer line
    this.storageKey = `cs-pending-${id}`;
  }

  // Unacknowledged messages survive a reload: they are resent with the same client_id.
  savePending() {
    const items = [...this.pending.entries()].map(([clientId, p]) => [clientId, p.text]);
    localStorage.setItem(this.storageKey, JSON.stringify(items));
  }

  loadPending() {
    try {
      return JSON.parse(localStorage.getItem(this.storageKey) || "[]");
    } catch {
      return [];
    }
  }
}

const list = $("messages");
const form = $("composer");
const input = $("input");
const typingEl = $("typing");
const connState = $("conn-state");
const workspace = document.querySelector("main.workspace");
const viewTabs = [...document.querySelectorAll("[data-view-tab]")];
const unread = $("unread");
const conversations = new Map();
let current = null;
// Past these waits (seconds) a clock turns amber, then red: the first-response lines, ×1.5
// in a rush drill (the page says which).
const [lateAfter, overdueAfter] = config.wait_lines || [15, 60];
// Handlers of frames this module does not know (a drill's), by frame type; and what else
// runs each time the socket (re)opens.
export const extraFrames = new Map();
export const onOpenHooks = [];

let live = null;
let typingTimer = null;
let lastTypingSent = 0;

function setConnection(state) {
  connState.dataset.state = state;
  connState.textContent = strings[state];
}

function formatTime(iso) {
  return timeIn(iso, config.time_zone);
}

function messageRow(role, text) {
  const row = document.getElementById("tpl-message").content.firstElementChild.cloneNode(true);
  row.classList.add(`msg-${role}`);
  row.querySelector(".msg-text").textContent = text;
  return row;
}

function scrollDown() {
  const shown = current?.list || list;
  shown.scrollTop = shown.scrollHeight;
}

// The list shrinks when a phone's keyboard opens or a hint or the ended banner appears below
// it: a reader at the newest line stays there, one reading back stays where they are.
let atBottom = true;
const resized = new ResizeObserver(() => {
  if (atBottom) scrollDown();
});
function watchScroll(ol) {
  ol.addEventListener("scroll", () => {
    atBottom = ol.scrollHeight - ol.scrollTop - ol.clientHeight < 40;
  });
  resized.observe(ol);
}

function render(conv, frame) {
  if (frame.seq <= conv.lastSeq) return; // already shown: a resume may repeat a line
  if (frame.seq > conv.lastSeq + 1) {
    // A gap: the channel layer dropped a bell. The database has it all; ask again.
    send({ type: "subscribe", conversation: conv.id, after: conv.lastSeq });
    return;
  }
  conv.lastSeq = frame.seq;
  let row = frame.client_id && conv.pending.get(frame.client_id)?.row;
  if (row) {
    conv.pending.delete(frame.client_id);
    conv.savePending();
  } else {
    row = messageRow(frame.role, frame.text);
    conv.list.append(row);
  }
  if (frame.role === "tool") {
    fillToolRow(row, frame, strings);
    if (conv === current) tools.seen(frame);
  }
  row.dataset.seq = frame.seq;
  row.classList.remove("msg-pending", "msg-failed");
  row.querySelector("time").textContent = formatTime(frame.at);
  row.querySelector("time").dateTime = frame.at;
  row.querySelector(".msg-state").textContent = frame.role === "agent" || frame.role === "tool" ? strings.sent : "";
  if (frame.role === "note") row.querySelector(".msg-label").textContent = strings.note;
  conv.rows.set(frame.seq, row);
  if (frame.role === "customer") {
    if (conv === current) hideTyping();
    conv.waitingSince ??= Date.parse(frame.at);
    if (taskShown() && conv === current) countUnread();
  } else if (frame.role === "agent" || frame.role === "tool") {
    conv.waitingSince = null; // a teacher's note answers no customer: the clock runs on
  } else if (taskShown() && conv === current) {
    countUnread();
  }
  if (conv !== current && frame.role !== "agent" && frame.role !== "tool") countTabUnread(conv);
  // Keep pending echoes at the bottom, after every confirmed line.
  for (const p of conv.pending.values()) conv.list.append(p.row);
  if (conv === current) scrollDown();
}

function showTyping(seconds) {
  typingEl.hidden = false;
  clearTimeout(typingTimer);
  typingTimer = setTimeout(hideTyping, Math.max(1, seconds + 2) * 1000);
  scrollDown();
}

function hideTyping() {
  typingEl.hidden = true;
  clearTimeout(typingTimer);
}

function showEnded(conv, frame) {
  conv.ended = true;
  conv.endedKey =
    frame.reason === "student"
      ? "ended_student"
      : frame.reason === "teacher"
        ? "ended_teacher"
        : frame.reason === "drill"
          ? "ended_drill"
          : frame.outcome === "success" || frame.outcome === "partial"
            ? "ended_done"
            : "ended_customer";
  conv.waitingSince = null;
  tabOf(conv)?.classList.add("ws-tab-ended");
  if (conv === current) showState(conv);
}

// The chat pane's banner, reply box and close button say whether `conv` is still open.
function showState(conv) {
  if (conv.ended) hideTyping();
  $("ended").hidden = !conv.ended;
  $("ended-detail").textContent = conv.ended ? strings[conv.endedKey] || "" : "";
  const link = $("transcript-link");
  if (link && tabOf(conv)?.dataset.transcript) link.href = tabOf(conv).dataset.transcript;
  for (const button of form.querySelectorAll("button")) button.disabled = conv.ended;
  input.disabled = conv.ended;
  $("end-button").disabled = conv.ended;
  if (conv.ended) tools.disable();
}

function tabOf(conv) {
  return document.querySelector(`.ws-tab[data-conversation="${conv.id}"]`);
}

function countTabUnread(conv) {
  conv.unread += 1;
  const badge = tabOf(conv)?.querySelector('[data-role="tab-unread"]');
  if (badge) {
    badge.textContent = String(conv.unread);
    badge.hidden = false;
  }
}

// Over the socket's flood limit (docs/protocol.md): nothing was done, so the same frame is
// sent again after `retry_after`; a message stays pending meanwhile, never marked failed.
function retryLater(frame) {
  const conv = conversations.get(frame.ref?.conversation);
  if (!conv) return false;
  const clientId = frame.ref.client_id;
  let retry;
  if (frame.ref.type === "message.send" && conv.pending.has(clientId)) {
    retry = () => {
      const p = conv.pending.get(clientId);
      if (p) send({ type: "message.send", conversation: conv.id, client_id: clientId, text: p.text });
    };
  } else if (frame.ref.type === "subscribe") {
    retry = () => send({ type: "subscribe", conversation: conv.id, after: conv.lastSeq });
  } else {
    return false;
  }
  setTimeout(retry, frame.retry_after * 1000);
  return true;
}

function showError(frame) {
  if (frame.code === "rate_limited" && retryLater(frame)) return;
  const key = `error_${frame.code}`;
  const text = strings[key] || `${strings.error_generic} (${frame.code})`;
  const clientId = frame.ref?.client_id;
  const conv = conversations.get(frame.ref?.conversation);
  const pending = conv && clientId && conv.pending.get(clientId);
  if (frame.ref?.type === "tool.use") tools.failed(clientId); // said once, not retried
  if (pending) {
    pending.row.classList.add("msg-failed");
    pending.row.querySelector(".msg-state").textContent = `${strings.failed}: ${text}`;
    conv.pending.delete(clientId);
    conv.savePending();
  } else {
    flash(text);
  }
}

function onFrame(frame) {
  const conv = conversations.get(frame.conversation);
  switch (frame.type) {
    case "message.new":
      if (conv) render(conv, frame);
      break;
    case "message.ack": {
      const pending = conv?.pending.get(frame.client_id);
      if (pending) pending.row.querySelector(".msg-state").textContent = strings.sent;
      break;
    }
    case "typing.start":
      if (conv === current && frame.role === "customer") showTyping(frame.seconds);
      break;
    case "subscribed":
      // A long history comes a page at a time: ask for the next one.
      if (conv && frame.more) send({ type: "subscribe", conversation: conv.id, after: conv.lastSeq });
      break;
    case "conversation.ended":
      if (conv) showEnded(conv, frame);
      break;
    case "error":
      showError(frame);
      break;
    default:
      extraFrames.get(frame.type)?.(frame);
  }
}

export function send(frame) {
  return live ? live.send(frame) : false;
}

function resubscribe() {
  for (const hook of onOpenHooks) hook();
  for (const conv of conversations.values()) {
    send({ type: "subscribe", conversation: conv.id, after: conv.lastSeq });
    // Resend what was never acknowledged; the same client_id makes it safe to repeat.
    for (const [clientId, p] of conv.pending) {
      send({ type: "message.send", conversation: conv.id, client_id: clientId, text: p.text });
    }
  }
  tools.resend();
}

function queue(conv, text, clientId = crypto.randomUUID()) {
  const row = messageRow("agent", text);
  row.classList.add("msg-pending");
  row.querySelector(".msg-state").textContent = strings.pending;
  conv.list.append(row);
  conv.pending.set(clientId, { text, row });
  conv.savePending();
  scrollDown();
  send({ type: "message.send", conversation: conv.id, client_id: clientId, text });
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text || !current || current.ended) return;
  input.value = "";
  queue(current, text);
});

attachQuickReplies({ form, input });
const tools = attachShopTools({ send, conversation: () => current, strings });

// A touch keyboard has no Shift+Enter: the hint there names only what works.
if (window.matchMedia("(pointer: coarse)").matches && input.dataset.touchPlaceholder) {
  input.placeholder = input.dataset.touchPlaceholder;
}

input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    form.requestSubmit();
  }
});

input.addEventListener("input", () => {
  const now = Date.now();
  if (now - lastTypingSent > 3000 && current && !current.ended) {
    lastTypingSent = now;
    send({ type: "typing.start", conversation: current.id });
  }
});

// Phones show the chat or the task and order (CSS reads main[data-view]); desktops show both
// and hide the tab bar, so there the task never counts as shown.
function taskShown() {
  return workspace.dataset.view === "task" && viewTabs[0].offsetParent !== null;
}

function countUnread() {
  unread.textContent = String(Number(unread.textContent || 0) + 1);
  unread.hidden = false;
}

function showView(view) {
  workspace.dataset.view = view;
  for (const tab of viewTabs) tab.setAttribute("aria-selected", String(tab.dataset.viewTab === view));
  if (view === "chat") {
    unread.hidden = true;
    unread.textContent = "";
    scrollDown(); // a hidden list forgets its scroll position
  } else {
    workspace.scrollTop = 0;
  }
}

for (const tab of viewTabs) tab.addEventListener("click", () => showView(tab.dataset.viewTab));

$("end-button").addEventListener("click", () => {
  if (current && !current.ended && window.confirm(strings.confirm_end)) {
    send({ type: "conversation.end", conversation: current.id });
  }
});

// The waiting clocks: how long the oldest unanswered customer line has waited, on each
// conversation's tab and, for a phone where the tabs may be hidden, in the chat header.
function paintClock(clock, since) {
  const seconds = since === null ? null : Math.max(0, Math.round((Date.now() - since) / 1000));
  clock.hidden = seconds === null;
  if (seconds === null) return;
  clock.textContent = strings.waiting.replace("{s}", seconds);
  clock.classList.toggle("late", seconds > lateAfter);
  clock.classList.toggle("overdue", seconds > overdueAfter);
}
setInterval(() => {
  for (const conv of conversations.values()) {
    const clock = tabOf(conv)?.querySelector('[data-role="wait-clock"]');
    if (clock) paintClock(clock, conv.waitingSince);
  }
  for (const clock of document.querySelectorAll('.ws-chat-head [data-role="wait-clock"]')) {
    paintClock(clock, current ? current.waitingSince : null);
  }
}, 500);

// A conversation joins the workspace: its own message list, its pending messages from before
// a reload, its subscription. The first one added is selected.
export function addConversation({ id, status }) {
  if (conversations.has(id)) return conversations.get(id);
  let ol = list;
  if (conversations.size) {
    ol = list.cloneNode(false);
    ol.hidden = true;
    ol.dataset.conversation = id;
    list.parentElement.insertBefore(ol, typingEl);
  }
  ol.dataset.conversation = id;
  watchScroll(ol);
  const conv = new Conversation(id, status, ol);
  conversations.set(id, conv);
  for (const [clientId, text] of conv.loadPending()) {
    const row = messageRow("agent", text);
    row.classList.add("msg-pending");
    row.querySelector(".msg-state").textContent = strings.pending;
    ol.append(row);
    conv.pending.set(clientId, { text, row });
  }
  tabOf(conv)?.addEventListener("click", () => select(id));
  if (conv.ended) showEnded(conv, { reason: "" });
  if (live) send({ type: "subscribe", conversation: id, after: 0 });
  if (!current) select(id);
  return conv;
}

// Show one conversation in the chat pane; the reply box keeps each conversation's draft.
export function select(id) {
  const next = conversations.get(id);
  if (!next || next === current) return;
  if (current) current.draft = input.value;
  current = next;
  input.value = next.draft;
  hideTyping();
  for (const conv of conversations.values()) conv.list.hidden = conv !== next;
  for (const tab of document.querySelectorAll(".ws-tab[data-conversation]")) {
    const chosen = tab.dataset.conversation === String(id);
    tab.classList.toggle("active", chosen);
    tab.setAttribute("aria-selected", String(chosen));
  }
  for (const part of document.querySelectorAll("[data-panel]")) {
    part.hidden = part.dataset.panel !== String(id);
  }
  next.unread = 0;
  const badge = tabOf(next)?.querySelector('[data-role="tab-unread"]');
  if (badge) badge.hidden = true;
  showState(next);
  document.dispatchEvent(new CustomEvent("workspace:selected", { detail: { id } }));
  atBottom = true;
  scrollDown();
}

export function selected() {
  return current;
}

for (const c of config.conversations) addConversation(c);
live = openSocket({
  socketPath: config.socket_path,
  loginUrl: config.login_url,
  onOpen: resubscribe,
  onFrame,
  onState: setConnection,
});
