/* Draws each chart of the dashboard with ECharts from the JSON the page carries
   (#dashboard-charts): categories from the table's first column, one series per number column. */
(function () {
  "use strict";
  var COLORS = ["#c62828", "#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f"];

  function format(kind, value) {
    if (value === null || value === undefined) { return ""; }
    if (kind === "money") { return "¥" + Number(value).toLocaleString(undefined, {minimumFractionDigits: 2, maximumFractionDigits: 2}); }
    if (kind === "percent") { return Number(value).toFixed(2) + "%"; }
    return Number(value).toLocaleString();
  }

  function option(chart) {
    var base = {color: COLORS, tooltip: {}, legend: {top: 0, type: "scroll"}, animation: false};
    if (chart.kind === "pie") {
      var s = chart.series[0];
      base.tooltip = {trigger: "item", formatter: function (p) { return p.name + ": " + format(s.kind, p.value) + " (" + p.percent + "%)"; }};
      base.series = [{type: "pie", radius: ["35%", "65%"], top: 24, name: s.name,
        label: {formatter: "{b}\n{d}%"},
        data: chart.categories.map(function (c, i) { return {name: c, value: s.data[i]}; })}];
      return base;
    }
    base.tooltip = {trigger: "axis", valueFormatter: null};
    base.grid = {left: 8, right: 16, top: 40, bottom: 8, containLabel: true};
    var horizontal = chart.kind !== "line" && chart.categories.length > 6;
    var categoryAxis = {type: "category", data: chart.categories, axisLabel: {interval: 0, width: 140, overflow: "truncate"}};
    var kind = chart.series.length ? chart.series[0].kind : "int";
    var valueAxis = {type: "value", axisLabel: {hideOverlap: true, formatter: function (v) {
      if (kind === "percent") { return v + "%"; }
      return Number(v).toLocaleString(document.documentElement.lang || undefined);
    }}};
    if (horizontal) {
      categoryAxis.inverse = true;
      base.xAxis = valueAxis; base.yAxis = categoryAxis;
    } else {
      categoryAxis.axisLabel.rotate = chart.categories.length > 4 && chart.kind !== "line" ? 30 : 0;
      base.xAxis = categoryAxis; base.yAxis = valueAxis;
    }
    base.series = chart.series.map(function (s) {
      return {type: chart.kind === "line" ? "line" : "bar", name: s.name, data: s.data,
        stack: chart.kind === "stack" ? "total" : undefined,
        tooltip: {valueFormatter: function (v) { return format(s.kind, v); }}};
    });
    return base;
  }

  function draw() {
    var source = document.getElementById("dashboard-charts");
    if (!source || !window.echarts) { return; }
    var charts = JSON.parse(source.textContent);
    var drawn = [];
    charts.forEach(function (chart) {
      var box = document.querySelector('[data-chart="' + chart.key + '"]');
      if (!box || !chart.series.length) { return; }
      var old = window.echarts.getInstanceByDom(box);
      if (old) { old.dispose(); }
      var instance = window.echarts.init(box, null, {renderer: "svg"});
      instance.setOption(option(chart));
      drawn.push(instance);
    });
    window.addEventListener("resize", function () { drawn.forEach(function (c) { c.resize(); }); });
    document.documentElement.setAttribute("data-charts-drawn", String(drawn.length));
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
  document.addEventListener("turbo:load", draw);
})();
