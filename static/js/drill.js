// The student's rush drill: workspace.js with a tab per chat. New customers come in over the
// socket (drill.state, docs/protocol.md) without a reload: each one's tab, task and order are
// fetched as server-rendered HTML (_drill_chat.html) and moved into place.

import { pageStrings } from "./live.js";
import { addConversation, extraFrames, onOpenHooks, select, selected } from "./workspace.js";

const config = JSON.parse(document.getElementById("workspace-config").textContent);
const drill = config.drill;
const strings = pageStrings();
const $ = (role) => document.querySelector(`[data-role="${role}"]`);
const tabList = $("tab-list");
const briefs = $("drill-briefs");
const facts = $("drill-facts");
const loading = new Set(); // conversation ids being fetched
let endsAt = Date.parse(drill.ends_at);
let running = drill.state === "running";

// Move one chat's parts (from the page's seed or a fetched partial) into the workspace.
function place(template) {
  const id = Number(template.dataset.drillChat);
  const parts = template.content;
  tabList.append(parts.querySelector(".ws-tab"));
  briefs.append(parts.querySelector('[data-part="brief"]'));
  facts.append(parts.querySelector('[data-part="facts"]'));
  return id;
}

function addChat(template, status) {
  const id = place(template);
  const tab = tabList.querySelector(`.ws-tab[data-conversation="${id}"]`);
  tab.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      select(id);
    }
  });
  addConversation({ id, status });
  $("drill-empty").hidden = true;
  return tab;
}

async function fetchChat(id) {
  if (loading.has(id) || tabList.querySelector(`.ws-tab[data-conversation="${id}"]`)) return;
  loading.add(id);
  try {
    const response = await fetch(drill.chat_url.replace("/0/", `/${id}/`), {
      headers: { Accept: "text/html" },
      credentials: "same-origin",
    });
    if (!response.ok) return;
    const holder = document.createElement("div");
    holder.innerHTML = await response.text(); // our own server's template: names are escaped
    const template = holder.querySelector("template[data-drill-chat]");
    if (!template) return;
    const tab = addChat(template, "active");
    tab.classList.add("ws-tab-new");
    tab.scrollIntoView({ block: "nearest", inline: "nearest" });
  } finally {
    loading.delete(id);
  }
}

function showQueue(queued) {
  const label = $("drill-queue");
  label.textContent = queued ? strings.queued.replace("{n}", queued) : strings.queue_none;
  label.classList.toggle("has-queue", queued > 0);
}

function apply(state) {
  if (state.drill !== drill.drill) return;
  showQueue(state.queued);
  endsAt = Date.parse(state.ends_at);
  for (const id of state.active) fetchChat(id);
  if (state.state !== "running") {
    running = false;
    $("drill-over").hidden = false;
  }
}

extraFrames.set("drill.state", apply);

// A page that (re)connects may have missed a frame: ask for the state as it is.
async function refresh() {
  const response = await fetch(drill.state_url, { credentials: "same-origin" });
  if (response.ok) apply(await response.json());
}
onOpenHooks.push(refresh);

// The header names the selected customer.
document.addEventListener("workspace:selected", (event) => {
  const tab = tabList.querySelector(`.ws-tab[data-conversation="${event.detail.id}"]`);
  if (!tab) return;
  tab.classList.remove("ws-tab-new");
  $("chat-name").textContent = tab.dataset.name;
  $("chat-title").textContent = tab.dataset.title;
  $("chat-title-wrap").hidden = false;
});

function tick() {
  const left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
  const text = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
  $("drill-clock").textContent = running ? strings.time_left.replace("{t}", text) : "";
}
tick();
setInterval(tick, 500);

// The chats open when the page was rendered; the first is shown.
for (const template of $("drill-seed").querySelectorAll("template[data-drill-chat]")) {
  addChat(template, "active");
}
showQueue(drill.queued);
if (!running) $("drill-over").hidden = false;
if (!selected() && tabList.querySelector(".ws-tab")) {
  select(Number(tabList.querySelector(".ws-tab").dataset.conversation));
}
