// The score report beside a transcript: clicking a criterion (or a step, or a message number)
// highlights the messages its mark rests on. One delegated listener, so htmx swaps keep working.
const HIGHLIGHT = "is-evidence";

function clear(root) {
  root.querySelectorAll(`li[data-seq].${HIGHLIGHT}`).forEach((li) => li.classList.remove(HIGHLIGHT));
  root.querySelectorAll("[data-evidence][aria-pressed=true]").forEach((b) => b.setAttribute("aria-pressed", "false"));
}

document.addEventListener("click", (event) => {
  const trigger = event.target.closest("[data-evidence]");
  if (!trigger) return;
  event.preventDefault();
  const wasOn = trigger.getAttribute("aria-pressed") === "true";
  clear(document);
  if (wasOn) return;
  const seqs = trigger.dataset.evidence.split(/\s+/).filter(Boolean);
  const lines = seqs
    .map((seq) => document.querySelector(`.transcript li[data-seq="${CSS.escape(seq)}"]`))
    .filter(Boolean);
  lines.forEach((li) => li.classList.add(HIGHLIGHT));
  if (trigger.hasAttribute("aria-pressed")) trigger.setAttribute("aria-pressed", "true");
  if (lines.length) lines[0].scrollIntoView({ behavior: "smooth", block: "center" });
});
