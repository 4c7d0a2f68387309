// The support console's live updates: every element with data-poll is refreshed from its URL
// (server-rendered HTML) every few seconds; forms with data-confirm ask first.
(() => {
  "use strict";
  const EVERY_MS = 3000;
  for (const el of document.querySelectorAll("[data-poll]")) {
    const refresh = async () => {
      try {
        const response = await fetch(el.dataset.poll, { credentials: "same-origin" });
        if (response.status === 401) { location.reload(); return; }
        if (response.ok) {
          const html = await response.text();
          if (html !== el.dataset.last) { el.innerHTML = html; el.dataset.last = html; }
        }
      } catch (_) { /* offline for a moment: try again at the next tick */ }
    };
    setInterval(refresh, EVERY_MS);
  }
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
})();
