// Analytics charts: each [data-figure] element holds a plotly figure built on the server (JSON); plotly.js's strict
// bundle draws it. Drawn again after every htmx swap of the dashboard (a filter changed), and printed at page width.
(function () {
  "use strict";
  var CONFIG = {
    responsive: true,
    displaylogo: false,
    modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d", "sendChartToCloud"],
    toImageButtonOptions: { format: "png", scale: 2 }
  };

  function draw(root) {
    if (!window.Plotly) { return; }
    root.querySelectorAll("[data-figure]").forEach(function (el) {
      var figure;
      try { figure = JSON.parse(el.getAttribute("data-figure")); } catch (e) { return; }
      window.Plotly.newPlot(el, figure.data || [], figure.layout || {}, CONFIG);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSwap", function (event) { draw(event.target); });
  window.addEventListener("beforeprint", function () {
    if (!window.Plotly) { return; }
    document.querySelectorAll(".js-plotly-plot").forEach(function (el) { window.Plotly.Plots.resize(el); });
  });
})();
