// Quick replies (快捷短语) in the workspace: a list opened by its button or by typing "/" in the
// reply box, filtered as one types, inserted into the box with a click, Enter or Alt+1…9.
// The server already filled each phrase for this customer (data-text); nothing is ever sent
// from here: the agent edits the text and sends it like anything typed.

// "/" (or a full-width "／") at the start or after a space, then the query; "、" at the very
// start too, as a Chinese input method in Chinese punctuation types "、" for the "/" key.
const SLASH = /(?:^|\s)[/／]([^\s/／]*)$|^、([^\s/／、]*)$/;
const UNFILLED = /\{[^{}\n]{1,40}\}/; // a placeholder the scenario had no value for

export function attachQuickReplies({ form, input }) {
  const panel = document.querySelector('[data-role="qr-panel"]');
  if (!panel) return;
  const search = panel.querySelector('[data-role="qr-search"]');
  const empty = panel.querySelector('[data-role="qr-empty"]');
  const toggle = form.querySelector('[data-role="qr-toggle"]');
  const options = [...panel.querySelectorAll('[data-role="qr-option"]')];
  const groups = [...panel.querySelectorAll(".qr-group")];
  for (const option of options) option.dataset.haystack = option.dataset.search.toLowerCase();

  let mode = null; // null (closed), "slash" (typing in the reply box) or "browse" (the search field)
  let slashStart = null; // where the "/" is in the reply box
  let visible = options;
  let active = -1;

  function filter(query) {
    const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
    visible = [];
    for (const option of options) {
      const shown = terms.every((term) => option.dataset.haystack.includes(term));
      option.hidden = !shown;
      if (shown) visible.push(option);
      option.querySelector(".qr-key").textContent = "";
    }
    visible.slice(0, 9).forEach((option, i) => {
      option.querySelector(".qr-key").textContent = String(i + 1);
    });
    for (const group of groups) group.hidden = !group.querySelector('[data-role="qr-option"]:not([hidden])');
    empty.hidden = visible.length > 0;
    setActive(visible.length ? 0 : -1);
  }

  function setActive(index) {
    for (const option of options) {
      option.classList.remove("is-active");
      option.setAttribute("aria-selected", "false");
    }
    active = index;
    const owner = mode === "browse" ? search : input;
    const option = visible[index];
    if (!option) {
      owner.removeAttribute("aria-activedescendant");
      return;
    }
    option.classList.add("is-active");
    option.setAttribute("aria-selected", "true");
    owner.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  }

  function open(newMode, query) {
    if (input.disabled) return;
    mode = newMode;
    panel.hidden = false;
    toggle.setAttribute("aria-expanded", "true");
    input.setAttribute("aria-controls", "qr-list");
    filter(query);
  }

  function close({ focus = false } = {}) {
    mode = null;
    slashStart = null;
    panel.hidden = true;
    toggle.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    search.removeAttribute("aria-activedescendant");
    if (focus) input.focus();
  }

  function insert(option) {
    const text = option.dataset.text;
    let start = input.selectionStart;
    let end = input.selectionEnd;
    if (mode === "slash" && slashStart !== null) {
      start = slashStart; // the "/query" typed gives way to the phrase
      end = input.selectionStart;
    } else if (document.activeElement !== input && mode === "browse") {
      start = end = input.dataset.caret ? Number(input.dataset.caret) : input.value.length;
    }
    input.value = input.value.slice(0, start) + text + input.value.slice(end);
    close();
    input.focus();
    // Select the first placeholder left unfilled, so the agent types straight over it.
    const gap = UNFILLED.exec(text);
    if (gap) input.setSelectionRange(start + gap.index, start + gap.index + gap[0].length);
    else input.setSelectionRange(start + text.length, start + text.length);
    input.dispatchEvent(new Event("input", { bubbles: true })); // the customer sees typing
  }

  function navigate(event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!visible.length) return true;
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((active + step + visible.length) % visible.length);
      return true;
    }
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      if (visible[active]) insert(visible[active]);
      else close({ focus: true });
      return true;
    }
    if (event.key === "Escape") {
      close({ focus: true });
      return true;
    }
    return false;
  }

  // Alt+1…9 inserts the nth phrase listed (by the key's position: Alt+1 is "¡" on a Mac).
  function shortcut(event) {
    const digit = event.altKey && !event.ctrlKey && !event.metaKey && /^Digit([1-9])$/.exec(event.code);
    if (!digit) return false;
    if (mode === null) filter("");
    const option = visible[Number(digit[1]) - 1];
    if (option) insert(option);
    return true;
  }

  // Capture on the form: these keys must not reach the reply box's own Enter-to-send.
  form.addEventListener(
    "keydown",
    (event) => {
      if (event.target !== input) return;
      const handled = shortcut(event) || (mode === "slash" && navigate(event));
      if (handled) {
        event.preventDefault();
        event.stopPropagation();
      }
    },
    true,
  );

  input.addEventListener("input", () => {
    const match = SLASH.exec(input.value.slice(0, input.selectionStart));
    if (match) {
      const query = match[1] ?? match[2];
      slashStart = input.selectionStart - query.length - 1;
      if (mode !== "slash") open("slash", query);
      else filter(query);
    } else if (mode === "slash") {
      close();
    }
  });
  // The browse list inserts where the caret was when the box lost focus to the search field.
  input.addEventListener("blur", () => {
    input.dataset.caret = String(input.selectionStart);
  });

  search.addEventListener("input", () => filter(search.value));
  search.addEventListener("keydown", (event) => {
    if (navigate(event)) event.preventDefault();
  });

  for (const option of options) {
    option.addEventListener("mousedown", (event) => event.preventDefault()); // keep the caret
    option.addEventListener("click", () => insert(option));
  }

  toggle.addEventListener("click", () => {
    if (mode === "browse") {
      close({ focus: true });
      return;
    }
    open("browse", search.value);
    search.focus();
  });
  panel.querySelector('[data-role="qr-close"]').addEventListener("click", () => close({ focus: true }));
}
