// The transcript of a conversation still in progress follows it live: each new line (or note)
// re-renders the transcript and its report from the server, so every row is the page's own.

import { openSocket } from "./live.js";

const el = document.getElementById("transcript-live");
const config = {
  conversation: Number(el.dataset.conversation),
  socket_path: el.dataset.socketPath,
  login_url: el.dataset.loginUrl,
};
const seqs = () => [...document.querySelectorAll("#review [data-seq]")].map((li) => Number(li.dataset.seq));
let refreshing = null;

function refresh() {
  // One request for a burst of lines.
  clearTimeout(refreshing);
  refreshing = setTimeout(() => {
    window.htmx.ajax("GET", location.pathname, { target: "#review", select: "#review", swap: "outerHTML" });
  }, 300);
}

const live = openSocket({
  socketPath: config.socket_path,
  loginUrl: config.login_url,
  onOpen: () => live.send({ type: "subscribe", conversation: config.conversation, after: Math.max(0, ...seqs()) }),
  onFrame: (frame) => {
    if (frame.conversation !== config.conversation) return;
    if (frame.type === "message.new" && !seqs().includes(frame.seq)) refresh();
    // The end brings the outcome, the rating and the report: the whole page changes.
    if (frame.type === "conversation.ended") location.reload();
  },
});
