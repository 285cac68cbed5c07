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

// The order panel's tools (templates/simulator/_shop_tools.html): each form sends one tool.use
// with a fresh client_id, kept until its card comes back so a reconnect resends it unchanged.
export function attachShopTools({ send, conversation, strings }) {
  const root = document.querySelector('[data-role="shop-tools"]');
  const pending = new Map(); // client_id -> frame
  const choices = JSON.parse(document.getElementById("shop-tool-choices")?.textContent || "[]");
  if (!root) return { seen() {}, resend() {}, disable() {} };

  // By name, not form.elements: `elements.item` is the collection's own item() method.
  const field = (form, name) => form.querySelector(`[name="${name}"]`);
  const changeForm = root.querySelector('[data-tool-form="order_change"]');
  function fillChoices() {
    if (!changeForm) return;
    const index = Number(field(changeForm, "item").value || 0);
    for (const select of changeForm.querySelectorAll("[data-choice]")) {
      const values = choices[index]?.[select.dataset.choice] || [];
      select.replaceChildren(new Option(strings.tool_keep, ""), ...values.map((v) => new Option(v, v)));
      select.disabled = values.length === 0;
    }
  }
  if (changeForm) field(changeForm, "item").addEventListener("change", fillChoices);
  fillChoices();

  const couponForm = root.querySelector('[data-tool-form="coupon"]');
  let given = Number(couponForm?.dataset.given || 0);
  function checkCoupon() {
    const over = given + Number(field(couponForm, "amount").value || 0) > Number(couponForm.dataset.limit);
    couponForm.querySelector('[data-role="coupon-over"]').hidden = !over;
  }
  if (couponForm) field(couponForm, "amount").addEventListener("input", checkCoupon);

  function request(form) {
    const tool = form.dataset.toolForm;
    const fields = Object.fromEntries(new FormData(form).entries());
    const frame = { tool };
    if (tool === "product_card") frame.sku = fields.sku;
    if (tool === "remark" || tool === "transfer") frame.text = (fields.text || "").trim();
    if (tool === "coupon") frame.amount = Number(fields.amount);
    if (tool === "order_change") {
      for (const name of ["size", "colour", "address"]) {
        const value = (fields[name] || "").trim();
        if (value) frame[name] = value;
      }
      if (frame.size || frame.colour) frame.item = Number(fields.item);
    }
    return frame;
  }

  root.addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target.closest("[data-tool-form]");
    const conv = conversation();
    if (!form || conv.ended) return;
    const frame = request(form);
    if (frame.tool === "order_change" && !frame.size && !frame.colour && !frame.address) {
      flashIn(form, strings.tool_nothing);
      return;
    }
    if (frame.tool === "coupon" && !(frame.amount > 0)) {
      flashIn(form, strings.tool_amount);
      return;
    }
    if (frame.tool === "transfer" && !window.confirm(strings.tool_confirm_transfer)) return;
    const full = { type: "tool.use", conversation: conv.id, client_id: crypto.randomUUID(), ...frame };
    pending.set(full.client_id, full);
    send(full);
    form.closest("details").open = false;
    if (frame.tool === "order_change") {
      form.reset();
      fillChoices();
    }
  });

  function flashIn(form, text) {
    let note = form.querySelector(".tool-error");
    if (!note) {
      note = el("p", "tool-error small");
      note.setAttribute("role", "alert");
      form.append(note);
    }
    note.textContent = text;
  }

  // A stored tool use came back: the order panel shows the order as it now stands.
  function seen(frame) {
    pending.delete(frame.client_id);
    const card = frame.tool || {};
    if (card.kind === "coupon") {
      given += Number(card.amount);
      if (couponForm) checkCoupon();
    }
    const order = card.kind === "order_check" ? null : card.order;
    if (!order) return;
    const facts = document.querySelector('[data-role="order-facts"]');
    (order.items || []).forEach((item, index) => {
      const dd = facts?.querySelector(`[data-order-item="${index}"]`);
      if (!dd) return;
      const detail = [item.colour, item.size].filter(Boolean).map((v) => ` · ${v}`).join("");
      dd.textContent = `${item.name}${detail} × ${item.qty ?? 1} · ${money(item.price)}`;
    });
    for (const name of ["address", "remark"]) {
      const dd = facts?.querySelector(`[data-order="${name}"]`);
      if (dd) {
        dd.textContent = order[name] || "—";
        if (card.kind === "order_change" && card.changes?.[name]) dd.classList.add("changed");
      }
    }
    if (card.kind === "order_change" && card.item !== null && card.item !== undefined) {
      facts?.querySelector(`[data-order-item="${card.item}"]`)?.classList.add("changed");
    }
  }

  return {
    seen,
    // After a reconnect: every use not yet seen goes again with its client_id (stored once).
    resend() {
      for (const frame of pending.values()) send(frame);
    },
    // A refused use is not retried: the page says why (the workspace's error strings).
    failed(clientId) {
      return pending.delete(clientId);
    },
    disable() {
      for (const control of root.querySelectorAll("button, input, select, textarea")) control.disabled = true;
    },
  };
}
