// Aisle chat widget: plain JS, no dependencies. Everything the bot sends is inserted with
// textContent, never innerHTML, so markup in messages or product data is shown, not run.
(function () {
  "use strict";
  const root = document.getElementById("aisle-chat");
  if (!root) return;
  const api = root.dataset.api || "/api/chat";

  function senderId() {
    let id = sessionStorage.getItem("aisle-sender");
    if (!id) {
      id = "web-" + (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2));
      sessionStorage.setItem("aisle-sender", id);
    }
    return id;
  }

  // Product-card views and clicks go to the events API in small batches (profile signals).
  const eventsApi = root.dataset.events || "/api/events";
  const pending = [];
  const seen = new Set();
  function report(kind, productId) {
    pending.push({ kind: kind, product_id: productId });
    if (pending.length === 1) setTimeout(flush, 1000);
  }
  function flush() {
    if (!pending.length) return;
    const body = JSON.stringify({ sender: senderId(), events: pending.splice(0, 100) });
    fetch(eventsApi, { method: "POST", headers: { "Content-Type": "application/json" }, body: body, keepalive: true })
      .catch(() => {});  // signals are best effort: never disturb the chat
  }
  const viewed = "IntersectionObserver" in window ? new IntersectionObserver((entries) => {
    for (const entry of entries) {
      const id = entry.target.dataset.productId;
      if (entry.isIntersecting && !seen.has(id)) { seen.add(id); report("view", id); }
    }
  }, { threshold: 0.5 }) : null;
  window.addEventListener("pagehide", flush);

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  const widget = el("section", "aisle-widget");
  widget.setAttribute("aria-label", "Shopping assistant");
  const log = el("div", "aisle-log");
  log.setAttribute("aria-live", "polite");
  const form = el("form", "aisle-form");
  const input = el("input");
  input.name = "message";
  input.placeholder = "Ask for a product, brand or budget…";
  input.autocomplete = "off";
  input.setAttribute("aria-label", "Message");
  const send = el("button", null, "Send");
  send.type = "submit";
  form.append(input, send);
  widget.append(el("div", "aisle-title", "Aisle · shopping assistant"), log, form);
  root.append(widget);

  function scroll() { log.scrollTop = log.scrollHeight; }

  function renderButtons(buttons) {
    const row = el("div", "aisle-buttons");
    for (const b of buttons) {
      const button = el("button", null, b.title);
      button.type = "button";
      button.addEventListener("click", () => submit(b.payload, b.title));
      row.append(button);
    }
    log.append(row);
  }

  function renderCard(p) {
    const card = el("article", "aisle-card");
    card.dataset.productId = p.id;
    card.append(el("div", "aisle-card-title", p.title));
    const meta = [p.brand, p.rating != null ? "★ " + Number(p.rating).toFixed(1) : null].filter(Boolean).join(" · ");
    if (meta) card.append(el("div", "aisle-card-meta", meta));
    const price = el("div", "aisle-card-price", p.price_text || p.price);
    if (p.list_price_text) price.append(el("s", null, p.list_price_text));
    card.append(price);
    if (p.reason) card.append(el("div", "aisle-card-reason", p.reason));
    if (p.id) {
      card.addEventListener("click", () => report("click", String(p.id)));
      if (viewed) viewed.observe(card);
    }
    return card;
  }

  function renderBot(message) {
    if (message.text) log.append(el("div", "aisle-msg bot", message.text));
    const custom = message.custom;
    if (custom && custom.type === "product_cards" && Array.isArray(custom.products)) {
      const cards = el("div", "aisle-cards");
      for (const p of custom.products) cards.append(renderCard(p));
      log.append(cards);
      if (Array.isArray(custom.buttons) && custom.buttons.length) renderButtons(custom.buttons);
    } else if (custom && custom.text) {
      log.append(el("div", "aisle-msg bot", custom.text));
    }
    if (Array.isArray(message.buttons) && message.buttons.length) renderButtons(message.buttons);
  }

  async function submit(payload, shown) {
    log.append(el("div", "aisle-msg user", shown !== undefined ? shown : payload));
    const typing = el("div", "aisle-msg bot aisle-typing", "…");
    log.append(typing);
    scroll();
    try {
      const response = await fetch(api, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: senderId(), message: payload }),
      });
      const messages = response.ok ? await response.json() : [];
      typing.remove();
      if (!messages.length) renderBot({ text: "Sorry, something went wrong. Please try again." });
      for (const m of messages) renderBot(m);
    } catch (err) {
      typing.remove();
      renderBot({ text: "I can't reach the store right now. Please check your connection and try again." });
    }
    scroll();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value;
    input.value = "";
    submit(text);
  });

  renderBot({ text: "Hi! I'm Aisle. What are you shopping for today?" });
})();
