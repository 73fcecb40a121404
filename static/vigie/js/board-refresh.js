/* The instruction board refreshes itself: every N seconds it asks the board's JSON endpoint (same filters, order
   and page as the address bar) for the counts, the chart and the table rows, rendered by the server. No inline script (CSP). */
(function () {
  "use strict";
  var table = document.querySelector("[data-board-refresh]");
  if (!table || !window.fetch) {
    return;
  }
  var url = table.getAttribute("data-board-refresh");
  var every = parseInt(table.getAttribute("data-board-interval") || "30", 10) * 1000;
  var status = document.querySelector("[data-board-updated]");
  var chart = document.querySelector("[data-board-chart]");

  function show(data) {
    Object.keys(data.counts).forEach(function (key) {
      var cell = document.querySelector('[data-board-count="' + key + '"]');
      if (cell) {
        cell.textContent = data.counts[key];
      }
    });
    if (chart && typeof data.chart === "string") {
      chart.innerHTML = data.chart;
    }
    var body = table.querySelector("tbody");
    if (body) {
      body.innerHTML = data.tbody;
    }
    if (status) {
      status.textContent = data.updated_label;
    }
  }

  function refresh() {
    if (document.hidden) {
      return;
    }
    fetch(url + window.location.search, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(show)
      .catch(function () {
        if (status) {
          status.textContent = status.getAttribute("data-board-error");
        }
      });
  }

  window.setInterval(refresh, every);
})();
