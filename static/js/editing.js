// Editing forms: show how a date phrase reads while it is typed, and add rows of alternate names.
// Plain JavaScript, no libraries: the server checks every date again when the form is saved.
(function () {
  "use strict";

  function describe(reading) {
    if (reading.error) return { text: reading.error, error: true };
    if (!reading.text) return { text: "", error: false };
    var range;
    if (reading.earliest && reading.latest) {
      range = reading.earliest === reading.latest ? " (" + reading.earliest + ")"
        : " (between " + reading.earliest + " and " + reading.latest + ")";
    } else if (reading.earliest || reading.latest) {
      range = reading.earliest ? " (not before " + reading.earliest + ")" : " (not after " + reading.latest + ")";
    } else {
      range = " (kept as a phrase; no day range)";
    }
    return { text: "Read as: " + reading.shown + range, error: false };
  }

  function watchDate(input, url) {
    var output = document.getElementById(input.id + "_reading");
    if (!output || !url) return;
    var timer = null;
    var latest = 0;
    function check() {
      var asked = ++latest;
      fetch(url + "?phrase=" + encodeURIComponent(input.value), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (reading) {
          if (!reading || asked !== latest) return;  // an older answer must not overwrite a newer one
          var shown = describe(reading);
          output.textContent = shown.text;
          output.classList.toggle("error", shown.error);
        })
        .catch(function () { output.textContent = ""; });
    }
    var serverError = document.getElementById(input.id + "_error");
    input.addEventListener("input", function () {
      if (serverError) serverError.hidden = true;  // the live reading takes over from the server's message
      clearTimeout(timer);
      timer = setTimeout(check, 250);
    });
    if (input.value && !serverError) check();
  }

  document.querySelectorAll("form[data-understand-url]").forEach(function (form) {
    form.querySelectorAll("input[data-date-field]").forEach(function (input) {
      watchDate(input, form.dataset.understandUrl);
    });
  });

  document.querySelectorAll("button[data-add-row]").forEach(function (button) {
    var prefix = button.dataset.addRow;
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById("name-row-template");
    var rows = button.parentNode.querySelector(".name-rows");
    if (!total || !template || !rows) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      rows.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
      total.value = String(index + 1);
      var first = rows.lastElementChild.querySelector("select, input:not([type=hidden])");
      if (first) first.focus();
    });
  });

  // The TYPE field means something only for "Other event" and "Other fact"; elsewhere it is hidden.
  var tag = document.getElementById("id_tag");
  var type = document.getElementById("id_event_type");
  if (tag && type) {
    var typeField = type.closest(".field");
    var showType = function () {
      typeField.hidden = tag.value !== "EVEN" && tag.value !== "FACT" && !type.value;
    };
    tag.addEventListener("change", showType);
    showType();
  }

  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
