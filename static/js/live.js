// The workspace socket's connection (docs/protocol.md): connect, reconnect with full jitter,
// and find out whether a refused handshake means the session is gone. Used by the student's
// workspace, the teacher's live monitor and watch page, and a live transcript.

export const PROTOCOL = 1;
const SIGNED_OUT = 4401; // close code: the session ended (logout, password change)
const REFUSALS_BEFORE_CHECK = 3; // handshakes in a row that never opened

// A refused handshake cannot say why (Daphne answers it with HTTP 403, the page sees only a
// close), but this page can: fetched without a valid session it redirects to the login.
// "signed_out", "down" (no answer: keep trying, it will be back), or "up": the session is
// valid and the server answers pages, yet refuses the socket (the page's address is not one
// the server was configured for, or a proxy does not pass websockets).
async function sessionState() {
  try {
    const response = await fetch(location.href, {
      credentials: "same-origin",
      redirect: "manual",
      cache: "no-store",
    });
    const out = response.type === "opaqueredirect" || response.status === 401 || response.status === 403;
    return out ? "signed_out" : "up";
  } catch {
    return "down";
  }
}

// Shown while the server refuses this page's socket: retrying alone will not fix it, and
// without it the page would only say "reconnecting" for ever. The text is base.html's.
function refusedBanner(show) {
  let banner = document.getElementById("socket-refused");
  if (!show) {
    banner?.remove();
    return;
  }
  const text = document.getElementById("tpl-socket-refused");
  if (banner || !text) return;
  banner = document.createElement("div");
  banner.id = "socket-refused";
  banner.className = "socket-refused";
  banner.setAttribute("role", "alert");
  banner.textContent = text.content.textContent.trim();
  document.body.prepend(banner);
}

// `onOpen()` runs after every (re)connect: subscribe again and resend what was never
// acknowledged. `onState(state)` gets connecting, connected, reconnecting or signed_out.
export function openSocket({ socketPath, loginUrl, onOpen, onFrame, onState = () => {} }) {
  let socket = null;
  let attempt = 0;
  let refusals = 0;

  function send(frame) {
    if (socket?.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ v: PROTOCOL, ...frame }));
      return true;
    }
    return false;
  }

  function toLogin() {
    onState("signed_out");
    // Unacknowledged messages stay where the page keeps them and are resent after signing in.
    location.assign(`${loginUrl}?next=${encodeURIComponent(location.pathname)}`);
  }

  function connect() {
    onState(attempt ? "reconnecting" : "connecting");
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const ws = new WebSocket(`${scheme}://${location.host}${socketPath}`);
    let opened = false;
    socket = ws;
    ws.addEventListener("open", () => {
      opened = true;
      attempt = 0;
      refusals = 0;
      refusedBanner(false);
      onState("connected");
      onOpen();
    });
    ws.addEventListener("message", (event) => onFrame(JSON.parse(event.data)));
    ws.addEventListener("close", async (event) => {
      if (!opened) refusals += 1;
      // Signed out elsewhere, or refused again and again: if the session is gone, retrying
      // cannot help. A server that is down, or a session still valid, is retried.
      if (event.code === SIGNED_OUT || refusals >= REFUSALS_BEFORE_CHECK) {
        const state = await sessionState();
        if (state === "signed_out") {
          toLogin();
          return;
        }
        if (state === "up" && refusals >= REFUSALS_BEFORE_CHECK) refusedBanner(true);
      }
      onState("reconnecting");
      // Full jitter, capped at 10 s, so a whole classroom does not reconnect in one instant.
      const delay = Math.random() * Math.min(10000, 500 * 2 ** attempt);
      attempt += 1;
      setTimeout(connect, delay);
    });
  }

  connect();
  return { send };
}

// Strings the page rendered, translated, into <template id="tpl-strings">.
export function pageStrings() {
  const template = document.getElementById("tpl-strings");
  return Object.fromEntries(
    [...template.content.querySelectorAll("[data-key]")].map((el) => [el.dataset.key, el.textContent]),
  );
}

export function formatTime(iso, timeZone) {
  return new Date(iso).toLocaleTimeString(document.documentElement.lang, {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hour12: false,
    timeZone,
  });
}

// Shown for a few seconds at the bottom of the page.
export function flash(text) {
  const el = document.createElement("div");
  el.className = "toast";
  el.textContent = text;
  document.body.append(el);
  setTimeout(() => el.remove(), 5000);
}
