// The shop's tools (docs/protocol.md, tool.use): the card a tool use shows in the chat, drawn
// from the message's `tool` payload. The same card on the workspace, the teacher's watch page
// and the classmate's seat. Every value goes in with textContent: nothing here is HTML.

const el = (tag, className, text) => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
};

function facts(pairs) {
  const list = el("dl", "tool-facts");
  for (const [label, value] of pairs) {
    if (value === undefined || value === null || value === "") continue;
    list.append(el("dt", "", label), el("dd", "", String(value)));
  }
  return list;
}

function itemLine(item) {
  const detail = [item.colour, item.size].filter(Boolean).join(" · ");
  return `${item.name}${detail ? ` · ${detail}` : ""} × ${item.qty ?? 1}`;
}

const money = (n) => `¥${Number(n).toLocaleString(undefined, { maximumFractionDigits: 2 })}`;

// `forCustomer`: the classmate playing the customer sees what a shopper sees (not the seller's
// remark, not the note to the supervisor, not the agent's authority).
export function toolCard(card, strings, { forCustomer = false } = {}) {
  const box = el("div", `tool-card tool-${card.kind}`);
  const head = el("p", "tool-head");
  head.append(el("span", "tool-icon", "")); // drawn by CSS per kind
  head.append(el("strong", "", strings[`tool_${card.kind}`] || card.kind));
  box.append(head);
  switch (card.kind) {
    case "product_card": {
      const title = el("p", "tool-title");
      title.append(el("span", "", card.name), el("span", "price", money(card.price)));
      box.append(title, facts(Object.entries(card.options || {}).map(([k, v]) => [k, v.join(" / ")])));
      break;
    }
    case "order_check": {
      const order = card.order || {};
      box.append(
        facts([
          ...(order.items || []).map((item) => [strings.tool_item, itemLine(item)]),
          [strings.tool_recipient, order.recipient],
          [strings.tool_phone, order.phone],
          [strings.tool_address, order.address],
          [strings.tool_remark_label, order.remark || strings.tool_none],
        ]),
      );
      box.append(el("p", "tool-foot", strings.tool_check_ask));
      break;
    }
    case "order_change": {
      const label = { address: strings.tool_address, size: strings.tool_size, colour: strings.tool_colour };
      const item = card.item !== null && card.item !== undefined ? card.order?.items?.[card.item] : null;
      if (item) box.append(el("p", "tool-title", item.name));
      box.append(facts(Object.entries(card.changes || {}).map(([k, [from, to]]) => [label[k] || k, `${from || "—"} → ${to}`])));
      break;
    }
    case "remark":
      box.append(el("p", "tool-body", forCustomer ? strings.tool_remark_hidden : card.text || strings.tool_none));
      break;
    case "coupon":
      box.append(el("p", "tool-amount", money(card.amount)));
      if (card.within === false && !forCustomer) {
        box.classList.add("tool-outside");
        box.append(el("p", "tool-warn", strings.tool_coupon_outside.replace("{n}", card.limit)));
      }
      break;
    case "transfer":
      if (card.note && !forCustomer) box.append(facts([[strings.tool_transfer_note, card.note]]));
      break;
  }
  return box;
}

// A message row of the chat becomes a tool's card: the bubble holds the card, not the text.
export function fillToolRow(row, frame, strings, options) {
  row.classList.add("msg-tool");
  const text = row.querySelector(".msg-text");
  text.replaceWith(toolCard(frame.tool || { kind: "" }, strings, options));
  return row;
}
