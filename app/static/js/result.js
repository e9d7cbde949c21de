// Draws the result page's charts from the JSON the server embedded, with the app's own
// plotly.js. Every chart repeats a table on the page, so nothing depends on this script.
// plotly.js (about 330 KB compressed) is fetched only when a chart comes near the viewport,
// so that it never delays the text a manager came for.
(function () {
  "use strict";
  var boxes = Array.prototype.slice.call(document.querySelectorAll("[data-chart]"));
  var script = document.querySelector("script[data-plotly-src]");
  var requested = false;

  function draw() {
    boxes.forEach(function (box) {
      var source = document.getElementById(box.getAttribute("data-chart"));
      if (!source || box.classList.contains("drawn")) { return; }
      var figure = JSON.parse(source.textContent);
      window.Plotly.newPlot(box, figure.data, figure.layout, {
        displayModeBar: false, responsive: true, staticPlot: true
      }).then(function () { box.classList.add("drawn"); });
    });
  }

  function loadPlotly() {
    if (requested || !script) { return; }
    requested = true;
    var tag = document.createElement("script");
    tag.src = script.getAttribute("data-plotly-src");
    tag.onload = draw;
    document.head.appendChild(tag);
  }

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  if (!boxes.length) { return; }
  if (!("IntersectionObserver" in window)) { loadPlotly(); return; }
  var observer = new IntersectionObserver(function (entries) {
    if (entries.some(function (e) { return e.isIntersecting; })) {
      observer.disconnect();
      loadPlotly();
    }
  }, { rootMargin: "0px" });
  boxes.forEach(function (box) { observer.observe(box); });
})();
