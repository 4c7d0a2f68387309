// Aisle's embeddable chat widget: one tag on any page, no dependencies.
//   <script src="https://GATEWAY/widget.js" data-gateway="https://GATEWAY" defer></script>
// Optional data attributes: data-title, data-colour (accent), data-text-colour (text on the
// accent), data-position ("right" | "left"), data-language ("en" | "hi"), data-open ("true").
// The widget lives in a shadow root, so the host page's styles do not reach it. Everything the
// bot sends is inserted with textContent, never innerHTML: markup in messages is shown, not run.
(function () {
  "use strict";
  const script = document.currentScript || document.querySelector("script[src*='widget.js']");
  if (!script || window.__aisleWidget) return;
  window.__aisleWidget = true;
  const config = script.dataset;
  const gateway = (config.gateway || new URL(script.src, location.href).origin).replace(/\/+$/, "");

  const STRINGS = {
    en: {
      title: "Aisle · shopping assistant",
      open: "Chat with our shopping assistant",
      close: "Close chat",
      placeholder: "Ask for a product or budget…",
      message: "Message",
      send: "Send",
      typing: "Aisle is typing…",
      welcome: "Hi! I'm Aisle. What are you shopping for today?",
      add: "Add to cart",
      addLabel: "Add {title} to cart",
      stale: "Search again to add this one",
      failed: "Sorry, something went wrong. Please try again.",
      offline: "I can't reach the store right now. Please check your connection and try again.",
      you: "You said",
      bot: "Aisle said",
      agent: "Our support team said",
      products: "Products",
      rated: "rated {n} out of 5",
      was: "was",
    },
    hi: {
      title: "Aisle · खरीदारी सहायक",
      open: "हमारे खरीदारी सहायक से बात करें",
      close: "चैट बंद करें",
      placeholder: "कोई उत्पाद, ब्रांड या बजट पूछें…",
      message: "संदेश",
      send: "भेजें",
      typing: "Aisle लिख रहा है…",
      welcome: "नमस्ते! मैं Aisle हूँ। आज आप क्या खरीदना चाहते हैं?",
      add: "कार्ट में डालें",
      addLabel: "{title} कार्ट में डालें",
      stale: "इसे जोड़ने के लिए फिर से खोजें",
      failed: "क्षमा करें, कुछ गलत हो गया। कृपया फिर कोशिश करें।",
      offline: "अभी स्टोर से संपर्क नहीं हो पा रहा है। कृपया फिर कोशिश करें।",
      you: "आपने कहा",
      bot: "Aisle ने कहा",
      agent: "हमारी सहायता टीम ने कहा",
      products: "उत्पाद",
      rated: "रेटिंग {n} / 5",
      was: "पहले",
    },
  };
  const language = (config.language || document.documentElement.lang || "en").slice(0, 2).toLowerCase();
  const t = STRINGS[language] || STRINGS.en;
  const ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"];
  const STORE = "aisle-session:" + gateway;
  const OPEN_KEY = "aisle-open:" + gateway;
  const POLL_MS = 10000;

  // --- session: a signed token from the gateway, kept in localStorage (shared by tabs) ---
  let session = null;
  try { session = JSON.parse(localStorage.getItem(STORE) || "null"); } catch (e) { session = null; }

  async function startSession() {
    const headers = session ? { Authorization: "Bearer " + session.token } : {};
    let response = await fetch(gateway + "/api/session", { method: "POST", headers: headers });
    if (response.status === 401) response = await fetch(gateway + "/api/session", { method: "POST" });
    if (!response.ok) throw new Error("no session");
    const body = await response.json();
    session = { sender_id: body.sender_id, token: body.token };
    try { localStorage.setItem(STORE, JSON.stringify(session)); } catch (e) { /* private mode */ }
  }

  async function api(path, options) {
    if (!session) await startSession();
    const call = () => fetch(gateway + path, Object.assign({}, options, {
      headers: Object.assign({ "Content-Type": "application/json", Authorization: "Bearer " + session.token },
        (options && options.headers) || {}),
    }));
    let response = await call();
    if (response.status === 401) {  // expired: a fresh session, then once more
      session = null;
      await startSession();
      response = await call();
    }
    return response;
  }

  // --- profile signals: product-card views and clicks, in small batches, best effort ---
  const pending = [];
  const seen = new Set();
  function report(kind, productId) {
    pending.push({ kind: kind, product_id: productId });
    if (pending.length === 1) setTimeout(flush, 1000);
  }
  function flush() {
    if (!pending.length || !session) return;
    const body = JSON.stringify({ events: pending.splice(0, 100) });
    api("/api/events", { method: "POST", body: body, keepalive: true }).catch(() => {});
  }
  const viewed = "IntersectionObserver" in window ? new IntersectionObserver((entries) => {
    for (const entry of entries) {
      const id = entry.target.dataset.productId;
      if (entry.isIntersecting && !seen.has(id)) { seen.add(id); report("view", id); }
    }
  }, { threshold: 0.5 }) : null;
  window.addEventListener("pagehide", flush);

  // --- the DOM: a launcher and a panel in a shadow root ---
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  const host = el("div");
  host.id = "aisle-chat";
  host.style.setProperty("--aisle-accent", config.colour || config.color || "#0f5132");
  host.style.setProperty("--aisle-on-accent", config.textColour || config.textColor || "#ffffff");
  const root = host.attachShadow({ mode: "open" });
  const sheet = el("link");
  sheet.rel = "stylesheet";
  sheet.href = gateway + "/static/widget.css";
  const shell = el("div", "aisle-root aisle-" + (config.position === "left" ? "left" : "right"));
  shell.lang = STRINGS[language] ? language : "en";

  const launcher = el("button", "aisle-launcher");
  launcher.type = "button";
  launcher.setAttribute("aria-label", t.open);
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", "aisle-panel");
  launcher.append(el("span", "aisle-launcher-icon", "💬"));
  launcher.firstChild.setAttribute("aria-hidden", "true");

  const panel = el("section", "aisle-widget");
  panel.id = "aisle-panel";
  panel.hidden = true;
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-labelledby", "aisle-title");
  const header = el("header", "aisle-header");
  const heading = el("h2", "aisle-title", config.title || t.title);
  heading.id = "aisle-title";
  const close = el("button", "aisle-close", "×");
  close.type = "button";
  close.setAttribute("aria-label", t.close);
  header.append(heading, close);
  const log = el("div", "aisle-log");
  log.setAttribute("role", "log");
  log.setAttribute("aria-live", "polite");
  log.tabIndex = 0;
  log.setAttribute("aria-label", config.title || t.title);
  const typing = el("div", "aisle-typing");
  typing.setAttribute("role", "status");
  typing.hidden = true;
  const typingText = el("span", "aisle-visually-hidden", t.typing);
  const dots = el("span", "aisle-dots");
  dots.setAttribute("aria-hidden", "true");
  dots.append(el("span"), el("span"), el("span"));
  typing.append(dots, typingText);
  const form = el("form", "aisle-form");
  const input = el("input");
  input.name = "message";
  input.type = "text";
  input.placeholder = t.placeholder;
  input.autocomplete = "off";
  input.enterKeyHint = "send";
  input.maxLength = 1000;
  input.setAttribute("aria-label", t.message);
  const send = el("button", "aisle-send", t.send);
  send.type = "submit";
  form.append(input, send);
  panel.append(header, log, typing, form);
  shell.append(launcher, panel);
  root.append(sheet, shell);

  function scroll() { log.scrollTop = log.scrollHeight; }

  function setOpen(open, focus) {
    panel.hidden = !open;
    launcher.hidden = open;
    launcher.setAttribute("aria-expanded", String(open));
    try { localStorage.setItem(OPEN_KEY, open ? "1" : ""); } catch (e) { /* private mode */ }
    if (open) { scroll(); if (focus) input.focus(); startPolling(); } else { stopPolling(); if (focus) launcher.focus(); }
  }
  launcher.addEventListener("click", () => setOpen(true, true));
  close.addEventListener("click", () => setOpen(false, true));
  panel.addEventListener("keydown", (event) => { if (event.key === "Escape") setOpen(false, true); });

  // --- rendering ---
  function message(kind, text) {
    const node = el("div", "aisle-msg " + kind);
    node.append(el("span", "aisle-visually-hidden", (kind === "user" ? t.you : kind === "agent" ? t.agent : t.bot) + ": "));
    node.append(document.createTextNode(String(text)));
    log.append(node);
    return node;
  }

  // After an answer taller than the log, show its start (the shopper's message on top).
  function showAnswer(asked) {
    log.scrollTop = Math.min(log.scrollHeight, asked.offsetTop - log.offsetTop - 8);
  }

  function removeQuickReplies() { for (const row of log.querySelectorAll(".aisle-buttons")) row.remove(); }

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

  function renderCard(p, position, live) {
    const card = el("article", "aisle-card");
    card.dataset.productId = p.id;
    const title = el("h3", "aisle-card-title", p.title);
    card.append(title);
    const meta = el("div", "aisle-card-meta", [p.brand, p.size].filter(Boolean).join(" · "));
    if (p.rating != null) {
      const rating = el("span", "aisle-card-rating", "★ " + Number(p.rating).toFixed(1));
      rating.setAttribute("aria-label", t.rated.replace("{n}", Number(p.rating).toFixed(1)));
      meta.append(rating);
    }
    card.append(meta);
    if (p.reason) card.append(el("div", "aisle-card-reason", p.reason));
    const row = el("div", "aisle-card-row");
    const price = el("div", "aisle-card-price", p.price_text || p.price);
    if (p.list_price_text) {
      const was = el("s", null, p.list_price_text);
      was.setAttribute("aria-label", t.was + " " + p.list_price_text);
      price.append(" ", was);
    }
    row.append(price);
    card.append(row);
    const add = el("button", "aisle-add", t.add);
    add.type = "button";
    add.setAttribute("aria-label", t.addLabel.replace("{title}", p.title));
    if (live && position < ORDINALS.length) {
      add.addEventListener("click", () => {
        report("add_to_cart", String(p.id));
        submit("add the " + ORDINALS[position] + " one to my cart", t.add + ": " + p.title);
      });
    } else {
      add.disabled = true;
      add.title = t.stale;
    }
    row.append(add);
    if (p.id) {
      card.addEventListener("click", (event) => { if (event.target !== add) report("click", String(p.id)); });
      if (viewed) viewed.observe(card);
    }
    return card;
  }

  // "Add to cart" names a card by its place in the latest list ("the second one"), which is
  // what the bot resolves; older lists' buttons are disabled when a newer list arrives.
  function renderCards(products, live) {
    if (live) for (const b of log.querySelectorAll(".aisle-add:not([disabled])")) { b.disabled = true; b.title = t.stale; }
    const list = el("div", "aisle-cards");
    list.setAttribute("role", "list");
    list.setAttribute("aria-label", t.products);
    products.forEach((p, i) => {
      const card = renderCard(p, i, live);
      card.setAttribute("role", "listitem");
      list.append(card);
    });
    log.append(list);
  }

  function renderBot(m, live) {
    if (m.text) message("bot", m.text);
    const custom = m.custom;
    if (custom && custom.type === "product_cards" && Array.isArray(custom.products)) {
      renderCards(custom.products, live);
      if (live && Array.isArray(custom.buttons) && custom.buttons.length) renderButtons(custom.buttons);
    } else if (custom && custom.text) {
      message("bot", custom.text);
    }
    if (live && Array.isArray(m.buttons) && m.buttons.length) renderButtons(m.buttons);
  }

  let lastPosition = -1;
  function renderFeed(messages, onlyAgents) {
    let lastList = -1;
    messages.forEach((m, i) => { if (m.custom && m.custom.type === "product_cards") lastList = i; });
    messages.forEach((m, i) => {
      lastPosition = Math.max(lastPosition, m.position);
      if (m.speaker === "agent") message("agent", m.text);
      else if (onlyAgents) return;
      else if (m.speaker === "shopper") message("user", m.text);
      else renderBot(m, i === lastList);  // only the latest list stays actionable
    });
  }

  function messageId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }

  let busy = false;
  async function submit(payload, shown) {
    if (busy || !String(payload).trim()) return;
    busy = true;
    shell.dataset.busy = "true";
    removeQuickReplies();
    const asked = message("user", shown !== undefined ? shown : payload);
    typing.hidden = false;
    scroll();
    try {
      // One id per message, the same when it is sent again: the gateway answers it once, so a
      // retry after a lost answer never adds to the cart twice.
      const body = JSON.stringify({ message: payload, message_id: messageId() });
      let response;
      try {
        response = await api("/api/chat", { method: "POST", body: body });
      } catch (err) {  // the connection dropped: the message may have arrived; send it again
        await new Promise((resolve) => setTimeout(resolve, 1000));
        response = await api("/api/chat", { method: "POST", body: body });
      }
      const messages = response.ok ? await response.json() : [];
      typing.hidden = true;
      if (!messages.length) renderBot({ text: t.failed }, true);
      for (const m of messages) renderBot(m, true);
    } catch (err) {
      typing.hidden = true;
      renderBot({ text: t.offline }, true);
    }
    busy = false;
    shell.dataset.busy = "false";
    showAnswer(asked);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value;
    input.value = "";
    submit(text);
  });

  // --- history and agent messages from the server ---
  async function feed(after) {
    const response = await api("/api/chat/messages?after=" + after, { method: "GET" });
    return response.ok ? response.json() : [];
  }

  let poller = null;
  function startPolling() {
    if (poller || !session) return;
    poller = setInterval(async () => {
      if (document.hidden || busy) return;
      try { renderFeed(await feed(lastPosition), true); scroll(); } catch (e) { /* try again later */ }
    }, POLL_MS);
  }
  function stopPolling() { clearInterval(poller); poller = null; }

  async function restore() {
    try {
      await startSession();
      const history = await feed(-1);
      if (history.length) renderFeed(history, false);
      else renderBot({ text: t.welcome }, true);
    } catch (e) {
      renderBot({ text: t.welcome }, true);
    }
    shell.dataset.ready = "true";
    scroll();
    if (!panel.hidden) startPolling();
  }

  function mount() {
    document.body.append(host);
    let open = config.open === "true";
    try { open = open || localStorage.getItem(OPEN_KEY) === "1"; } catch (e) { /* private mode */ }
    setOpen(open, false);
    restore();
  }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
