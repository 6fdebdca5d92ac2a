// Remission's own small script: clinic switcher navigation, the idle sign-out notice and
// keyboard access to tables that scroll within themselves.
// No inline script anywhere, so the Content-Security-Policy can forbid it.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  for (const select of document.querySelectorAll("select[data-navigate]")) {
    select.addEventListener("change", () => {
      if (select.value.startsWith("/")) {
        window.location.assign(select.value);
      }
    });
  }

  // After the idle limit the server signs the user out; reload then so no patient data
  // stays on an unattended screen.
  const minutes = Number(document.body.dataset.idleMinutes || 0);
  if (minutes > 0) {
    let timer;
    let lastPing = Date.now();
    const keepAlive = () => {
      // Typing in a long form is activity too: tell the server at most once a minute.
      if (Date.now() - lastPing < 60000) return;
      lastPing = Date.now();
      const token = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
      fetch("/accounts/keepalive/", { method: "POST", headers: { "X-CSRFToken": token || "" } });
    };
    const arm = () => {
      keepAlive();
      window.clearTimeout(timer);
      timer = window.setTimeout(() => window.location.reload(), (minutes * 60 + 5) * 1000);
    };
    for (const event of ["keydown", "pointerdown"]) {
      document.addEventListener(event, arm, { passive: true });
    }
    arm();
  }

  // A table wider than the screen scrolls within itself (see app.css); someone on a keyboard
  // must be able to reach it to scroll it, so it takes focus while, and only while, it scrolls.
  const reachScrollers = () => {
    for (const box of document.querySelectorAll(".table, .table-scroll")) {
      const scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.tabIndex = 0;
        box.dataset.scrollFocus = "1";
      } else if (!scrolls && box.dataset.scrollFocus) {
        box.removeAttribute("tabindex");
        delete box.dataset.scrollFocus;
      }
    }
  };
  reachScrollers();
  window.addEventListener("resize", reachScrollers, { passive: true });
  document.body.addEventListener("htmx:afterSettle", reachScrollers);
});
