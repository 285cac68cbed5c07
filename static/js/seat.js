// The classmate's seat (docs/protocol.md, "Classmate as customer"): the chat as the customer,
// over the same socket and frames as a teacher's takeover; a suggested line is put in the box
// by a click; the customer ends the chat with one of the scenario's endings.
// Text goes in with textContent only: chat text is never HTML.

import { flash, formatTime, openSocket, pageStrings } from "./live.js";
import { fillToolRow } from "./shop-tools.js";

const config = JSON.parse(document.getElementById("seat-config").textContent);
const strings = pageStrings();
const $ = (role) => document.querySelector(`[data-role="${role}"]`);
const list = $("messages");
const form = $("customer-composer");
const box = form.querySelector("textarea");
const typingEl = $("typing");

let lastSeq = 0;
// Coaching notes are the agent's and never reach this seat, so its seqs may skip: after a
// gap it asks again, and lines of that answer are taken as they come until `subscribed`.
let resuming = true;
let ended = config.status === "ended";
let typingTimer = null;
const pending = new Map(); // client_id -> text, resent after a reconnect

function messageRow(frame) {
  const row = document.getElementById("tpl-message").content.firstElementChild.cloneNode(true);
  // This seat is the customer's: their lines on the right, the agent's on the left.
  row.classList.add(frame.role === "customer" ? "msg-agent" : "msg-customer", `seat-${frame.role}`);
  row.dataset.seq = frame.seq;
  row.querySelector(".msg-label").textContent = frame.role === "customer" ? strings.you : strings.agent;
  row.querySelector(".msg-text").textContent = frame.text;
  if (frame.role === "tool") {
    fillToolRow(row, frame, strings, { forCustomer: true });
    if (frame.tool?.kind === "order_check") row.querySelector(".tool-card").append(checkAnswers());
  }
  const time = row.querySelector("time");
  time.dateTime = frame.at;
  time.textContent = formatTime(frame.at, config.time_zone);
  return row;
}

// The shopper's answer to an order check: a confirmation or a correction, put in the box to be
// edited and sent as the customer's own line.
function checkAnswers() {
  const answers = document.createElement("p");
  answers.className = "tool-answers";
  for (const [key, label] of [
    ["seat_check_confirm", strings.seat_check_confirm_label],
    ["seat_check_correct", strings.seat_check_correct_label],
  ]) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-small";
    button.textContent = label;
    button.addEventListener("click", () => {
      box.value = strings[key];
      box.focus();
      box.setSelectionRange(box.value.length, box.value.length);
    });
    answers.append(button);
  }
  return answers;
}

function render(frame) {
  if (frame.seq <= lastSeq) return;
  if (frame.seq > lastSeq + 1 && !resuming) {
    subscribe();
    return;
  }
  lastSeq = frame.seq;
  list.append(messageRow(frame));
  if (frame.role === "agent") hideTyping();
  list.scrollTop = list.scrollHeight;
}

function subscribe() {
  resuming = true;
  send({ type: "subscribe", conversation: config.conversation, after: lastSeq });
}

function hideTyping() {
  typingEl.hidden = true;
  clearTimeout(typingTimer);
}

function showEnded(frame) {
  ended = true;
  hideTyping();
  form.hidden = true;
  $("ended").hidden = false;
  if (frame?.rating) $("ended-how").textContent = strings.ended_rating.replace("{stars}", frame.rating);
  for (const control of document.querySelectorAll(".seat-panel button, .seat-panel select")) {
    control.disabled = true;
  }
}

// Who plays the customer now: this seat, a teacher beside it, or the script (handed back).
function showControl(frame) {
  if (ended) return;
  form.hidden = frame.mode === "script";
  $("paused-banner").hidden = frame.mode !== "script";
  const teacher = $("teacher-banner");
  teacher.hidden = frame.mode !== "teacher";
  if (frame.mode === "teacher") teacher.textContent = strings.teacher_joined.replace("{name}", frame.teacher);
}

function showError(frame) {
  const clientId = frame.ref?.client_id;
  if (frame.code === "rate_limited" && clientId) {
    setTimeout(() => resend(clientId), frame.retry_after * 1000);
    return;
  }
  if (clientId && pending.has(clientId)) {
    // Not stored: the text goes back into the box to be sent again.
    box.value = pending.get(clientId);
    pending.delete(clientId);
  }
  if (frame.code === "not_taken_over") {
    form.hidden = true;
    $("paused-banner").hidden = false;
  }
  flash(strings[`error_${frame.code}`] || `${strings.error_generic} (${frame.code})`);
}

function onFrame(frame) {
  const about = frame.type === "error" ? frame.ref?.conversation : frame.conversation;
  if (about !== undefined && about !== config.conversation) return;
  switch (frame.type) {
    case "message.new":
      render(frame);
      break;
    case "message.ack":
      pending.delete(frame.client_id);
      break;
    case "typing.start":
      if (frame.role === "agent" && !ended) {
        typingEl.hidden = false;
        clearTimeout(typingTimer);
        typingTimer = setTimeout(hideTyping, Math.max(1, frame.seconds + 2) * 1000);
      }
      break;
    case "subscribed":
      if (frame.more) {
        subscribe();
        break;
      }
      // The notes' seqs are skipped here: from now on the next line is last_seq + 1.
      lastSeq = Math.max(lastSeq, frame.last_seq);
      resuming = false;
      if (frame.status !== "active") showEnded();
      break;
    case "seat.control":
      showControl(frame);
      break;
    case "conversation.ended":
      showEnded(frame);
      break;
    case "error":
      showError(frame);
      break;
  }
}

const live = openSocket({
  socketPath: config.socket_path,
  loginUrl: config.login_url,
  onOpen: () => {
    subscribe();
    for (const clientId of pending.keys()) resend(clientId);
  },
  onFrame,
  onState: (state) => {
    const el = $("conn-state");
    el.dataset.state = state;
    el.textContent = strings[state];
  },
});

function send(frame) {
  return live.send(frame);
}

function resend(clientId) {
  if (pending.has(clientId)) {
    send({ type: "customer.send", conversation: config.conversation, client_id: clientId, text: pending.get(clientId) });
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = box.value.trim();
  if (!text || ended) return;
  const clientId = crypto.randomUUID();
  pending.set(clientId, text);
  box.value = "";
  resend(clientId);
});
box.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    form.requestSubmit();
  }
});
// The agent sees the customer typing, as they would the script's customer (every 3 s at most).
let lastTyping = 0;
box.addEventListener("input", () => {
  if (Date.now() - lastTyping > 3000 && !ended) {
    lastTyping = Date.now();
    send({ type: "typing.start", conversation: config.conversation });
  }
});

// A suggested line goes into the box, to be changed and sent.
for (const button of document.querySelectorAll(".line-button")) {
  button.addEventListener("click", () => {
    box.value = button.dataset.line;
    box.focus();
    if (window.matchMedia("(max-width: 1000px)").matches) form.scrollIntoView({ block: "nearest" });
  });
}

$("end-form").addEventListener("submit", (event) => {
  event.preventDefault();
  if (ended || !window.confirm(strings.confirm_end)) return;
  const ending = event.target.elements.ending.value;
  send({ type: "conversation.end", conversation: config.conversation, ending });
});

if (ended) showEnded();
