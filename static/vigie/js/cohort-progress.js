// Live progress of a cohort import: polls the JSON endpoint named in data-url until the import ends, then reloads
// the page (which then shows the final counts and the report link). No inline script: the CSP forbids it.
(function () {
  "use strict";
  var box = document.getElementById("cohort-progress");
  if (!box || ["done", "failed"].indexOf(box.dataset.status) >= 0) { return; }
  var delay = parseInt(box.dataset.interval || "1000", 10);

  function show(data) {
    box.querySelectorAll("[data-field]").forEach(function (el) {
      var value = data[el.dataset.field];
      if (value === undefined || value === null) { return; }
      if (el.tagName === "PROGRESS") { el.value = value; } else { el.textContent = value; }
    });
    if (data.error) { box.querySelector("[data-role=error]").hidden = false; }
  }

  function poll() {
    fetch(box.dataset.url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) {
        show(data);
        box.dataset.status = data.status;
        if (data.status === "done" || data.status === "failed") { window.location.reload(); }
        else { window.setTimeout(poll, delay); }
      })
      .catch(function () { window.setTimeout(poll, delay * 3); });
  }

  window.setTimeout(poll, delay);
})();
