/* Draws the region pages' charts: each <figure data-chart="ID"> holds a chart whose ECharts option
   the server embedded as JSON (<script type="application/json" id="ID">, Django's json_script).
   The table beside each chart carries the same numbers; without JavaScript only the tables show. */
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (figure) {
    var data = document.getElementById(figure.getAttribute("data-chart"));
    var box = figure.querySelector(".chart");
    if (!data || !box) { return; }
    var option = JSON.parse(data.textContent);
    // SVG: crisp when printed, and the drawing is in the page (role="img" with the ARIA text).
    var chart = echarts.init(box, null, { renderer: "svg", locale: "ZH" });
    chart.setOption(option);
    box.classList.add("drawn");
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
})();
