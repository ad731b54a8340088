// Pan and zoom the tree chart by changing the SVG viewBox (mouse, wheel, touch and keyboard).
(function () {
  var svg = document.getElementById("chart-svg");
  if (!svg) return;
  var full = { x: 0, y: 0, w: Number(svg.dataset.width), h: Number(svg.dataset.height) };
  var view = Object.assign({}, full);
  function apply() { svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" ")); }
  function zoom(factor, cx, cy) {
    cx = cx === undefined ? view.x + view.w / 2 : cx;
    cy = cy === undefined ? view.y + view.h / 2 : cy;
    view.x = cx - (cx - view.x) / factor; view.y = cy - (cy - view.y) / factor;
    view.w /= factor; view.h /= factor; apply();
  }
  function toChart(evt) {
    var rect = svg.getBoundingClientRect();
    return { x: view.x + (evt.clientX - rect.left) / rect.width * view.w,
             y: view.y + (evt.clientY - rect.top) / rect.height * view.h };
  }
  svg.addEventListener("wheel", function (evt) {
    evt.preventDefault(); var p = toChart(evt); zoom(evt.deltaY < 0 ? 1.15 : 1 / 1.15, p.x, p.y);
  }, { passive: false });
  var drag = null;
  svg.addEventListener("pointerdown", function (evt) {
    if (evt.target.closest("a")) return;
    drag = { x: evt.clientX, y: evt.clientY }; svg.setPointerCapture(evt.pointerId);
  });
  svg.addEventListener("pointermove", function (evt) {
    if (!drag) return;
    var rect = svg.getBoundingClientRect();
    view.x -= (evt.clientX - drag.x) / rect.width * view.w;
    view.y -= (evt.clientY - drag.y) / rect.height * view.h;
    drag = { x: evt.clientX, y: evt.clientY }; apply();
  });
  svg.addEventListener("pointerup", function () { drag = null; });
  document.querySelectorAll("[data-zoom]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (button.dataset.zoom === "reset") { view = Object.assign({}, full); apply(); }
      else zoom(Number(button.dataset.zoom));
    });
  });
  document.getElementById("chart").addEventListener("keydown", function (evt) {
    var step = view.w * 0.1;
    var moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (moves[evt.key]) { view.x += moves[evt.key][0]; view.y += moves[evt.key][1]; apply(); evt.preventDefault(); }
    if (evt.key === "+" || evt.key === "=") zoom(1.25);
    if (evt.key === "-") zoom(0.8);
  });
})();
// Collapse the generated-candidate groups to a count (and back); the choice survives reloads.
(function () {
  var button = document.getElementById("toggle-generated"), svg = document.getElementById("chart-svg");
  if (!button || !svg) return;
  function set(hidden) {
    svg.classList.toggle("hide-generated", hidden);
    button.setAttribute("aria-pressed", String(!hidden));
    button.textContent = hidden ? "Show generated candidates" : "Hide generated candidates";
    try { window.localStorage.setItem("kinship.hideGenerated", hidden ? "1" : ""); } catch (e) { /* private mode */ }
  }
  var stored = "";
  try { stored = window.localStorage.getItem("kinship.hideGenerated") || ""; } catch (e) { /* private mode */ }
  set(stored === "1");
  button.addEventListener("click", function () { set(!svg.classList.contains("hide-generated")); });
})();
