// The script diagram (templates/scenarios/_flow.html) is wider than a phone: its box scrolls
// sideways. Open it with the start state in view rather than the diagram's empty left edge.
const box = document.querySelector(".flow-box");
const start = box?.querySelector(".flow-node.is-start rect");
if (box && start && box.scrollWidth > box.clientWidth) {
  const centre = start.x.baseVal.value + start.width.baseVal.value / 2;
  box.scrollLeft = Math.max(0, centre - box.clientWidth / 2);
}
