// The live monitor: one row per active conversation of the shown classes, kept live by the
// monitor frames of docs/protocol.md. Text goes in with textContent only: chat text is never HTML.

import { openSocket, pageStrings } from "./live.js";

const config = JSON.parse(document.getElementById("monitor-config").textContent);
const strings = pageStrings();
const tbody = document.querySelector('[data-role="rows"]');
const empty = document.querySelector('[data-role="empty"]');
const connState = document.querySelector('[data-role="conn-state"]');
const rows = new Map(); // conversation id -> {tr, lastSeq, waitingSince}
const snapshot = new Map(); // classroom id -> conversation ids seen since its monitor.subscribe

const field = (tr, name) => tr.querySelector(`[data-field="${name}"]`);
const moodLevel = (mood) => (mood == null || mood <= 1 ? "calm" : mood <= 3 ? "upset" : "angry");

// Rows the server rendered: the socket's snapshot replaces them, the clock runs meanwhile.
for (const tr of tbody.querySelectorAll("tr[data-conversation]")) {
  const since = field(tr, "wait").dataset.since;
  rows.set(Number(tr.dataset.conversation), {
    tr,
    lastSeq: 0,
    waitingSince: since ? Date.parse(since) : null,
  });
}

function newRow(frame) {
  const tr = document.getElementById("tpl-row").content.firstElementChild.cloneNode(true);
  tr.dataset.conversation = frame.conversation;
  field(tr, "watch").href = config.watch_url.replace("/0/", `/${frame.conversation}/`);
  tbody.append(tr);
  const row = { tr, lastSeq: 0, waitingSince: null };
  rows.set(frame.conversation, row);
  return row;
}

function removeRow(id) {
  rows.get(id)?.tr.remove();
  rows.delete(id);
}

function fill(row, frame) {
  const { tr } = row;
  tr.dataset.classroom = frame.classroom;
  field(tr, "state").textContent = frame.state;
  const level = moodLevel(frame.mood);
  const mood = field(tr, "mood");
  mood.className = `mood mood-${level}`;
  mood.textContent = strings[`mood_${level}`];
  tr.classList.toggle("is-taken-over", frame.taken_over);
  field(tr, "taken-over").hidden = !frame.taken_over || frame.played_by_classmate;
  field(tr, "played-by-classmate").hidden = !frame.played_by_classmate;
  if (frame.full) {
    field(tr, "student").textContent = frame.student;
    field(tr, "scenario").textContent = frame.scenario;
    field(tr, "classroom").textContent = strings[`class_${frame.classroom}`] ?? "";
    row.waitingSince = frame.waiting_since ? Date.parse(frame.waiting_since) : null;
    for (const alert of ["promise", "rude"]) {
      tr.querySelector(`[data-alert="${alert}"]`).hidden = !frame.alerts.includes(alert);
    }
  } else {
    // An update: its line's alerts add to those already shown.
    for (const alert of frame.alerts) tr.querySelector(`[data-alert="${alert}"]`).hidden = false;
  }
  const last = frame.last;
  if (last && last.seq >= row.lastSeq) {
    row.lastSeq = last.seq;
    field(tr, "last-role").textContent = strings[last.role] ?? "";
    field(tr, "last-text").textContent = last.text;
    if (!frame.full) {
      // The customer's run waits from its first line; a reply stops the clock.
      row.waitingSince = last.role === "customer" ? (row.waitingSince ?? Date.parse(last.at)) : null;
    }
  }
}

function onRow(frame) {
  if (!config.classrooms.includes(frame.classroom)) return;
  if (frame.status !== "active") {
    removeRow(frame.conversation);
  } else {
    let row = rows.get(frame.conversation);
    if (!row && !frame.full) {
      // A conversation this page missed the start of: ask for the class's rows again.
      send({ type: "monitor.subscribe", classroom: frame.classroom });
      return;
    }
    row ??= newRow(frame);
    fill(row, frame);
    snapshot.get(frame.classroom)?.add(frame.conversation);
  }
  empty.hidden = rows.size > 0;
  tick(); // the clock and the alerts at once, not at the next second
}

function onSubscribed(frame) {
  // Rows of this class the snapshot did not list ended while the page was away.
  const seen = snapshot.get(frame.classroom);
  if (!seen) return;
  for (const [id, row] of rows) {
    if (Number(row.tr.dataset.classroom) === frame.classroom && !seen.has(id)) removeRow(id);
  }
  snapshot.delete(frame.classroom);
  empty.hidden = rows.size > 0;
}

function onFrame(frame) {
  if (frame.type === "monitor.row") onRow(frame);
  else if (frame.type === "monitor.subscribed") onSubscribed(frame);
}

function setConnection(state) {
  connState.dataset.state = state;
  connState.textContent = strings[state];
}

const live = openSocket({
  socketPath: config.socket_path,
  loginUrl: config.login_url,
  onOpen: () => {
    for (const classroom of config.classrooms) {
      snapshot.set(classroom, new Set());
      send({ type: "monitor.subscribe", classroom });
    }
  },
  onFrame,
  onState: setConnection,
});

function send(frame) {
  return live.send(frame);
}

// The customers' waiting clocks, and the alert past WAIT_ALERT seconds.
function tick() {
  const now = Date.now();
  for (const row of rows.values()) {
    const clock = field(row.tr, "wait");
    const seconds = row.waitingSince === null ? null : Math.max(0, Math.round((now - row.waitingSince) / 1000));
    clock.textContent = seconds === null ? "—" : strings.waiting.replace("{s}", seconds);
    const late = seconds !== null && seconds > config.wait_alert;
    clock.classList.toggle("late", late);
    row.tr.querySelector('[data-alert="wait"]').hidden = !late;
    row.tr.classList.toggle("has-alert", late || row.tr.querySelector(".alert:not([hidden])") !== null);
  }
}
tick();
setInterval(tick, 1000);

// Choosing a class shows it at once (the form's button does the same without JavaScript).
document.querySelector("#monitor-class").addEventListener("change", (event) => event.target.form.requestSubmit());
