// The scenario editor (templates/scenarios/editor.html): two faces over one YAML document.
// The server owns the document; this module only decides when to ask it, keeps the source's
// line numbers, takes a problem's click to its field or line, and the phone's pane switch.
// Delegated listeners throughout, so htmx swaps of the faces keep working.
const form = document.getElementById("editor");
const layout = document.querySelector(".editor-layout");
let dirty = false;
let saving = false;
let pendingLine = null;

function isEditor(el) {
  return form && el && form.contains(el);
}

// A choice, a move pill or a state's name changes what the form shows: the server renders
// the form again (the `rerender` flag). Typing in a name must not rename on every key, so its
// input events stop here and only its change (leaving the field) is sent.
document.addEventListener("input", (event) => {
  if (!isEditor(event.target)) return;
  dirty = true;
  if (event.target.closest("[data-rerender]")) event.stopPropagation();
}, true);
document.addEventListener("change", (event) => {
  if (!isEditor(event.target)) return;
  dirty = true;
  if (event.target.closest("[data-rerender]")) form.elements.rerender.value = "1";
}, true);
document.body.addEventListener("htmx:afterRequest", (event) => {
  if (event.detail.elt === form) {
    form.elements.rerender.value = "";
    saving = false;
  }
});

document.addEventListener("click", (event) => {
  const confirmer = event.target.closest("[data-confirm]");
  if (confirmer && !window.confirm(confirmer.dataset.confirm)) {
    event.preventDefault();
    return;
  }
  // The header's save button stands for the form's own (htmx sends the button it was given).
  const save = event.target.closest("[data-role=save]");
  if (save && form) {
    event.preventDefault();
    saving = true;
    // A click, not requestSubmit(): htmx sends the name and value of the button clicked.
    form.querySelector(".editor-foot button[name=op][value=save]").click();
    return;
  }
  if (event.target.closest("#editor button[name=op][value=save]")) saving = true;
  const go = event.target.closest(".problem-go");
  if (go) goTo(go.dataset.loc || "", Number(go.dataset.line || 0), Number(go.dataset.column || 1));
  const tab = event.target.closest(".pane-tab");
  if (tab && layout) {
    layout.dataset.pane = tab.dataset.pane;
    document.querySelectorAll(".pane-tab").forEach((t) => {
      t.classList.toggle("is-on", t === tab);
      t.setAttribute("aria-selected", String(t === tab));
    });
  }
});

window.addEventListener("beforeunload", (event) => {
  if (dirty && !saving) event.preventDefault();
});

// ---------------------------------------------------------------- a problem's place

function face() {
  return form?.elements.face?.value || "form";
}

function fieldFor(path) {
  // states.ask.transitions[2].to, then states.ask.transitions[2], states.ask.transitions, …
  let candidate = path;
  while (candidate) {
    const found = form.querySelector(`#editor-form-face [data-loc="${CSS.escape(candidate)}"]`);
    if (found) return found;
    const shorter = candidate.replace(/(\[\d+\]|\.[^.[]+)$/, "");
    if (shorter === candidate) break;
    candidate = shorter;
  }
  return null;
}

function goTo(path, line, column) {
  if (!form) return;
  if (face() === "form") {
    const field = path ? fieldFor(path) : null;
    if (field) return highlight(field);
    if (!line) return;
    // Nothing in the form shows it: open the source at its line.
    pendingLine = [line, column];
    form.querySelector("[data-face=source]").click();
    return;
  }
  if (line) goToLine(line, column);
}

function highlight(field) {
  let parent = field.closest("details");
  while (parent) {
    parent.open = true;
    parent = parent.parentElement.closest("details");
  }
  if (layout) layout.dataset.pane = "edit";
  field.scrollIntoView({ behavior: "smooth", block: "center" });
  const input = field.matches("input, select, textarea") ? field : field.querySelector("input:not([type=hidden]), select, textarea");
  input?.focus({ preventScroll: true });
  field.classList.add("is-target");
  setTimeout(() => field.classList.remove("is-target"), 2000);
}

function goToLine(line, column) {
  const text = document.getElementById("editor-source-text");
  if (!text) return;
  const lines = text.value.split("\n");
  let offset = 0;
  for (let i = 0; i < Math.min(line - 1, lines.length); i += 1) offset += lines[i].length + 1;
  const end = offset + (lines[line - 1] || "").length;
  text.focus({ preventScroll: true });
  text.setSelectionRange(Math.min(offset + Math.max(column - 1, 0), end), end);
  const height = parseFloat(getComputedStyle(text).lineHeight) || 20;
  text.scrollTop = Math.max(0, (line - 1) * height - text.clientHeight / 3);
  text.scrollIntoView({ behavior: "smooth", block: "nearest" });
  gutter();
}

// ---------------------------------------------------------------- line numbers

function marks() {
  const found = new Map();
  document.querySelectorAll("#editor-problems .problem").forEach((item) => {
    const line = Number(item.querySelector(".problem-go")?.dataset.line || 0);
    const kind = item.classList.contains("problem-error") ? "has-error" : "has-warning";
    if (line && found.get(line) !== "has-error") found.set(line, kind);
  });
  return found;
}

function gutter() {
  const text = document.getElementById("editor-source-text");
  const numbers = document.querySelector("[data-role=gutter]");
  if (!text || !numbers) return;
  const count = text.value.split("\n").length;
  const marked = marks();
  const fragment = document.createDocumentFragment();
  for (let n = 1; n <= count; n += 1) {
    const span = document.createElement("span");
    span.textContent = String(n);
    if (marked.has(n)) span.className = marked.get(n);
    fragment.append(span);
  }
  numbers.replaceChildren(fragment);
  numbers.scrollTop = text.scrollTop;
}

document.addEventListener("scroll", (event) => {
  if (event.target.id === "editor-source-text") {
    document.querySelector("[data-role=gutter]").scrollTop = event.target.scrollTop;
  }
}, true);
document.addEventListener("input", (event) => {
  if (event.target.id === "editor-source-text") gutter();
});
document.body.addEventListener("htmx:afterSettle", () => {
  gutter();
  if (pendingLine && face() === "source") {
    const [line, column] = pendingLine;
    pendingLine = null;
    goToLine(line, column);
  }
});
gutter();

// ---------------------------------------------------------------- test-play

document.addEventListener("keydown", (event) => {
  const text = event.target.closest("[data-role=tp-text]");
  if (!text || event.key !== "Enter" || event.shiftKey || event.isComposing) return;
  event.preventDefault();
  text.form.querySelector("button[name=action][value=say]").click();
});
document.body.addEventListener("htmx:afterSwap", (event) => {
  if (event.detail.target?.id !== "testplay") return;
  const pane = document.getElementById("testplay");
  const side = pane?.closest(".editor-side");
  const last = pane?.querySelector(".tp-turn:last-child");
  if (side && last) side.scrollTop = side.scrollHeight;
  if (last && window.matchMedia("(max-width: 980px)").matches) last.scrollIntoView({ block: "end" });
  pane?.querySelector("[data-role=tp-text]")?.focus({ preventScroll: true });
});
