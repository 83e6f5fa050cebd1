// Dashboards: draw every plotly figure the page carries as JSON (Django's json_script), with the
// plotly.js served from our static files. The page holds no inline code (Content-Security-Policy
// without 'unsafe-inline'); each chart <div data-figure="ID"> names the JSON element it draws.
(function () {
  "use strict";

  var DEFAULTS = { displaylogo: false, responsive: true };

  function draw(el) {
    var source = document.getElementById(el.dataset.figure);
    if (!source) {
      return;
    }
    var figure = JSON.parse(source.textContent);
    var config = Object.assign({}, DEFAULTS, figure.config || {});
    window.Plotly.newPlot(el, figure.data, figure.layout, config).then(function () {
      el.dataset.drawn = "true";
    });
  }

  function drawAll() {
    if (!window.Plotly) {
      // Without plotly.js the tables under the charts still carry every figure.
      document.documentElement.classList.add("no-charts");
      return;
    }
    document.querySelectorAll("[data-figure]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
