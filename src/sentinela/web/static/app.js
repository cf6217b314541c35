// Sentinela workspace: keyboard grading and one-at-a-time reveal. Plain JS, no dependencies.
"use strict";

(function () {
  const csrf = () => {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  };

  // Reveal: POST one item with the CSRF header; show the returned clear thumbnail from memory.
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains("reveal-form")) return;
    event.preventDefault();
    const button = form.querySelector("button");
    if (button) button.disabled = true;
    const response = await fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf() },
    });
    if (!response.ok) {
      if (button) { button.disabled = false; button.textContent = "Reveal failed"; }
      return;
    }
    const url = URL.createObjectURL(await response.blob());
    const figure = form.closest("figure");
    const img = figure ? figure.querySelector("img.thumb") : null;
    if (img) {
      img.src = url;
      img.classList.remove("blurred");
      img.classList.add("revealed");
      img.alt = "Revealed item";
    }
    if (button) button.textContent = "Revealed";
  });

  // Keyboard grading: j/k move between groups; a code's key grades the focused group.
  const groups = () => Array.from(document.querySelectorAll("[data-keyboard-grading] .group, .group[data-keyboard-grading]"));
  const current = () => {
    const active = document.activeElement;
    const group = active instanceof Element ? active.closest(".group") : null;
    return group || groups()[0] || null;
  };
  const move = (step) => {
    const all = groups();
    if (!all.length) return;
    const index = all.indexOf(current());
    const next = all[Math.min(all.length - 1, Math.max(0, index + step))];
    next.focus();
    next.scrollIntoView({ block: "nearest" });
  };

  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) return;
    const group = current();
    if (!group) return;
    const key = event.key.toLowerCase();
    const button = group.querySelector('.grade-form button[data-key="' + CSS.escape(key) + '"]');
    if (button) {
      event.preventDefault();
      button.form.requestSubmit(button);
      return;
    }
    if (key === "j" || key === "arrowdown") { event.preventDefault(); move(1); }
    if (key === "k" || key === "arrowup") { event.preventDefault(); move(-1); }
  });

  document.addEventListener("DOMContentLoaded", () => {
    const first = groups()[0];
    if (first) first.focus();
  });
})();
