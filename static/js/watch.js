// A teacher watches one conversation live (docs/protocol.md): the chat as it happens, the
// takeover (typing as the customer, handing back at a state), coaching notes and the end.
// Text goes in with textContent only: chat text is never HTML.

import { flash, formatTime, openSocket, pageStrings } from "./live.js";
import { fillToolRow } from "./shop-tools.js";

const config = JSON.parse(document.getElementById("watch-config").textContent);
const strings = pageStrings();
const $ = (role) => document.querySelector(`[data-role="${role}"]`);
const list = $("messages");
const customerForm = $("customer-composer");
const noteForm = $("note-composer");
const takeoverOn = $("takeover-on");
const typingEl = $("typing");
const clock = $("wait-clock");

let lastSeq = 0;
let ended = config.status === "ended";
let waitingSince = null;
let typingTimer = null;
// Lines typed here and not yet acknowledged, resent with the same client_id after a reconnect.
const pending = new Map(); // client_id -> {type, text, form}

function messageRow(frame) {
  const row = document.getElementById("tpl-message").content.firstElementChild.cloneNode(true);
  row.classList.add(`msg-${frame.role}`);
  row.dataset.seq = frame.seq;
  row.querySelector(".msg-text").textContent = frame.text;
  if (frame.role === "note") row.querySelector(".msg-label").textContent = strings.note;
  if (frame.role === "tool") fillToolRow(row, frame, strings);
  const time = row.querySelector("time");
  time.dateTime = frame.at;
  time.textContent = formatTime(frame.at, config.time_zone);
  return row;
}

function render(frame) {
  if (frame.seq <= lastSeq) return; // already shown: a resume may repeat a line
  if (frame.seq > lastSeq + 1) {
    // A gap: a bell was lost. The database has it all; ask again.
    send({ type: "subscribe", conversation: config.conversation, after: lastSeq });
    return;
  }
  lastSeq = frame.seq;
  list.append(messageRow(frame));
  if (frame.role === "customer") {
    hideTyping();
    waitingSince ??= Date.parse(frame.at);
  } else if (frame.role === "agent" || frame.role === "tool") {
    hideTyping();
    waitingSince = null;
  }
  list.scrollTop = list.scrollHeight;
  updateClock();
}

function showTyping(role, seconds) {
  $("typing-who").textContent = strings[`${role}_typing`];
  typingEl.hidden = false;
  clearTimeout(typingTimer);
  typingTimer = setTimeout(hideTyping, Math.max(1, seconds + 2) * 1000);
}

function hideTyping() {
  typingEl.hidden = true;
  clearTimeout(typingTimer);
}

function showRow(frame) {
  $("state").textContent = frame.state;
  const level = frame.mood == null || frame.mood <= 1 ? "calm" : frame.mood <= 3 ? "upset" : "angry";
  const mood = $("mood");
  mood.className = `mood mood-${level}`;
  mood.textContent = strings[`mood_${level}`];
  if (!frame.full) return;
  // A classmate playing the customer is a takeover the teacher may still step into.
  const teacherPlays = frame.taken_over && !frame.played_by_classmate;
  $("takeover-banner").hidden = !teacherPlays;
  $("takeover-off").hidden = teacherPlays || ended;
  $("takeover-script-note").hidden = frame.played_by_classmate;
  $("takeover-peer-note").hidden = !frame.played_by_classmate;
  takeoverOn.hidden = !frame.taken_over || ended;
  customerForm.hidden = !teacherPlays || ended;
  $("taken-over-by").textContent = frame.taken_over_by
    ? strings.played_by.replace("{name}", frame.taken_over_by)
    : "";
  if (teacherPlays) customerForm.querySelector("textarea").focus();
  if (frame.status !== "active") showEnded();
}

function showEnded() {
  ended = true;
  hideTyping();
  waitingSince = null;
  $("ended").hidden = false;
  for (const el of [customerForm, takeoverOn, $("takeover-off"), $("takeover-banner")]) el.hidden = true;
  for (const control of document.querySelectorAll(".watch-panel textarea, .watch-panel input, .watch-panel button")) {
    control.disabled = true;
  }
}

function showError(frame) {
  const clientId = frame.ref?.client_id;
  const p = clientId && pending.get(clientId);
  if (frame.code === "rate_limited" && frame.ref) {
    setTimeout(() => resend(clientId), frame.retry_after * 1000);
    return;
  }
  if (p) {
    // Not stored: the text goes back into its box to be sent again.
    pending.delete(clientId);
    p.form.querySelector("textarea").value = p.text;
    p.form.querySelector("button").disabled = false;
  }
  flash(strings[`error_${frame.code}`] || `${strings.error_generic} (${frame.code})`);
}

function onFrame(frame) {
  // Another row of the class's monitor; an error names its frame's conversation in `ref`.
  const about = frame.type === "error" ? frame.ref?.conversation : frame.conversation;
  if (about !== undefined && about !== config.conversation) return;
  switch (frame.type) {
    case "message.new":
      render(frame);
      break;
    case "message.ack": {
      const p = pending.get(frame.client_id);
      if (p) {
        pending.delete(frame.client_id);
        p.form.querySelector("button").disabled = false;
      }
      break;
    }
    case "typing.start":
      // While a teacher plays the customer, the customer's typing is theirs: not shown back.
      if (frame.role === "agent" || customerForm.hidden) showTyping(frame.role, frame.seconds);
      break;
    case "subscribed":
      if (frame.more) send({ type: "subscribe", conversation: config.conversation, after: lastSeq });
      if (frame.status !== "active") showEnded();
      break;
    case "monitor.row":
      showRow(frame);
      break;
    case "conversation.ended":
      showEnded();
      break;
    case "error":
      showError(frame);
      break;
  }
}

function send(frame) {
  return live.send(frame);
}

function resend(clientId) {
  const p = pending.get(clientId);
  if (p) send({ type: p.type, conversation: config.conversation, client_id: clientId, text: p.text });
}

function setConnection(state) {
  const el = $("conn-state");
  el.dataset.state = state;
  el.textContent = strings[state];
}

const live = openSocket({
  socketPath: config.socket_path,
  loginUrl: config.login_url,
  onOpen: () => {
    send({ type: "subscribe", conversation: config.conversation, after: lastSeq });
    // The class's monitor brings this conversation's state, mood and takeover.
    send({ type: "monitor.subscribe", classroom: config.classroom });
    for (const clientId of pending.keys()) resend(clientId);
  },
  onFrame,
  onState: setConnection,
});

// A line as the customer, or a note: stored under the conversation's next seq, then shown by
// its message.new like every other line.
function composer(form, type) {
  const box = form.querySelector("textarea");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = box.value.trim();
    if (!text || ended) return;
    const clientId = crypto.randomUUID();
    pending.set(clientId, { type, text, form });
    box.value = "";
    send({ type, conversation: config.conversation, client_id: clientId, text });
  });
  box.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
}
composer(customerForm, "customer.send");
// The student sees the customer typing while the teacher types as the customer (at most
// every 3 s, as the workspace sends its own).
let lastTyping = 0;
customerForm.querySelector("textarea").addEventListener("input", () => {
  if (Date.now() - lastTyping > 3000 && !ended) {
    lastTyping = Date.now();
    send({ type: "typing.start", conversation: config.conversation });
  }
});
composer(noteForm, "coach.send");

$("take-over").addEventListener("click", () => send({ type: "takeover.start", conversation: config.conversation }));

takeoverOn.addEventListener("submit", (event) => {
  event.preventDefault();
  const state = $("hand-back-state").value || null;
  send({ type: "takeover.end", conversation: config.conversation, state });
});

$("end-form").addEventListener("submit", (event) => {
  event.preventDefault();
  if (ended || !window.confirm(strings.confirm_end)) return;
  const reason = event.target.elements.reason.value.trim();
  send({ type: "conversation.end", conversation: config.conversation, reason });
});

// How long the customer's first unanswered line has waited; late past the monitor's alert.
function updateClock() {
  const seconds = waitingSince === null ? null : Math.max(0, Math.round((Date.now() - waitingSince) / 1000));
  clock.hidden = seconds === null;
  if (seconds === null) return;
  clock.textContent = strings.waiting.replace("{s}", seconds);
  clock.classList.toggle("late", seconds > config.wait_alert);
}
setInterval(updateClock, 500);

if (ended) showEnded();
