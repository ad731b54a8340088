// Poll running generation jobs (family and case pages) and update their state and progress; reload when one finishes.
(function () {
  var STATE_LABELS = { queued: "Queued", running: "Running", succeeded: "Succeeded", failed: "Failed",
                       cancelled: "Cancelled" };
  var jobs = document.querySelectorAll(".job[data-state='queued'], .job[data-state='running']");
  if (!jobs.length) return;
  function poll() {
    var pending = 0;
    var requests = Array.prototype.map.call(jobs, function (article) {
      return fetch(article.dataset.statusUrl, { credentials: "same-origin" })
        .then(function (r) {
          if (!r.ok) throw new Error("the server answered " + r.status);
          return r.json();
        })
        .then(function (job) {
          var bar = article.querySelector("progress"), stage = article.querySelector(".stage"),
              label = article.querySelector(".job-state");
          // One source of truth: the heading's state, the bar and the stage all come from this answer.
          article.dataset.state = job.state;
          if (label) label.textContent = STATE_LABELS[job.state] || job.state;
          if (bar) bar.value = job.progress;
          if (stage) stage.textContent = job.stage + (job.eta_seconds ? " · about " + Math.ceil(job.eta_seconds) + " s left" : "");
          if (["succeeded", "failed", "cancelled"].indexOf(job.state) >= 0) { window.location.reload(); }
          else pending += 1;
        })
        .catch(function (error) {
          // Say so in words and keep trying: a worker restart or a dropped connection is usually brief.
          var stage = article.querySelector(".stage");
          if (stage) stage.textContent = "Lost contact with the server (" + error.message + "); retrying…";
          pending += 1;
        });
    });
    Promise.all(requests).then(function () { if (pending) setTimeout(poll, 1500); });
  }
  setTimeout(poll, 1000);
})();

// The generate dialog: open and close, live slider values, per-feature blend sliders, a new seed.
(function () {
  document.querySelectorAll("[data-open-dialog]").forEach(function (button) {
    var dialog = document.getElementById(button.dataset.openDialog);
    if (dialog) button.addEventListener("click", function () { dialog.showModal(); });
  });
  document.querySelectorAll("[data-close-dialog]").forEach(function (button) {
    button.addEventListener("click", function () { document.getElementById(button.dataset.closeDialog).close(); });
  });
  document.querySelectorAll(".generate-form input[type=range]").forEach(function (input) {
    var output = document.querySelector("output[for='" + input.id + "']");
    if (output) input.addEventListener("input", function () { output.textContent = input.value; });
  });
  document.querySelectorAll(".region").forEach(function (row) {
    var mode = row.querySelector("select"), slider = row.querySelector("input[type=range]");
    function sync() { slider.disabled = mode.value !== "weight"; }
    mode.addEventListener("change", sync); sync();
  });
  var seed = document.getElementById("new-seed");
  if (seed) seed.addEventListener("click", function () {
    var values = new Uint32Array(1); window.crypto.getRandomValues(values);
    document.getElementById("gen-seed").value = values[0] % 2147483648;
  });
})();

// The gallery: enlarge one candidate, or compare two side by side, in one viewer dialog.
(function () {
  var dialog = document.getElementById("viewer-dialog");
  if (!dialog) return;
  var holder = dialog.querySelector(".viewer-images");
  function show(items) {
    holder.textContent = "";
    items.forEach(function (item) {
      var figure = document.createElement("figure"), img = document.createElement("img"),
          caption = document.createElement("figcaption");
      img.src = item.src; img.alt = "Synthetic " + item.label.toLowerCase(); caption.textContent = item.label + " · synthetic";
      figure.appendChild(img); figure.appendChild(caption); holder.appendChild(figure);
    });
    dialog.showModal();
  }
  document.querySelectorAll("[data-enlarge]").forEach(function (button) {
    button.addEventListener("click", function () {
      show([{ src: button.dataset.enlarge, label: button.getAttribute("aria-label").replace("Enlarge synthetic c", "C") }]);
    });
  });
  var boxes = document.querySelectorAll("input[name=compare]"), bar = document.querySelector(".compare-bar"),
      compare = document.getElementById("compare-button");
  if (!boxes.length) return;
  bar.hidden = false;
  function ticked() { return Array.prototype.filter.call(boxes, function (box) { return box.checked; }); }
  boxes.forEach(function (box) {
    box.addEventListener("change", function () {
      var on = ticked();
      if (on.length > 2) { on.filter(function (other) { return other !== box; })[0].checked = false; }
      compare.disabled = ticked().length !== 2;
    });
  });
  compare.addEventListener("click", function () {
    show(ticked().map(function (box) { return { src: box.value, label: box.dataset.label }; }));
  });
})();
