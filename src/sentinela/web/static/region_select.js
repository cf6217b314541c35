// Region selection for visual search: drag over the item's picture; the form gets the
// rectangle as fractions of the picture (0..1). Plain JS, no dependencies.
"use strict";

(function () {
  const figure = document.getElementById("region-figure");
  const form = document.getElementById("region-form");
  if (!figure || !form) return;
  const img = figure.querySelector("img.thumb");
  const box = figure.querySelector(".selection");
  if (!img || !box) return;
  let start = null;

  const point = (event) => {
    const rect = img.getBoundingClientRect();
    const x = Math.min(Math.max(event.clientX - rect.left, 0), rect.width);
    const y = Math.min(Math.max(event.clientY - rect.top, 0), rect.height);
    return { x, y, width: rect.width, height: rect.height };
  };

  const show = (a, b) => {
    const left = Math.min(a.x, b.x), top = Math.min(a.y, b.y);
    const w = Math.abs(a.x - b.x), h = Math.abs(a.y - b.y);
    box.hidden = false;
    box.style.left = (img.offsetLeft + left) + "px";
    box.style.top = (img.offsetTop + top) + "px";
    box.style.width = w + "px";
    box.style.height = h + "px";
    const set = (name, value) => { form.elements.namedItem(name).value = value.toFixed(4); };
    set("x", left / a.width);
    set("y", top / a.height);
    set("w", w / a.width);
    set("h", h / a.height);
  };

  img.addEventListener("dragstart", (event) => event.preventDefault());
  figure.addEventListener("mousedown", (event) => {
    if (event.target !== img) return;
    start = point(event);
    event.preventDefault();
  });
  document.addEventListener("mousemove", (event) => { if (start) show(start, point(event)); });
  document.addEventListener("mouseup", (event) => {
    if (!start) return;
    show(start, point(event));
    start = null;
  });
})();
