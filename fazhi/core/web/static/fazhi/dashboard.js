// 统计看板: draws the page's JSON (#dashboard-data) with the locally served ECharts; a click on
// a bar or a point opens the records it counts. Without ECharts the tables below still hold.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }
  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return null;
    var c = window.echarts.init(el, null, { renderer: "canvas" });
    c.setOption(option);
    c.on("click", function (params) {
      if (params.data && params.data.url) window.location.href = params.data.url;
    });
    window.addEventListener("resize", function () { c.resize(); });
    return c;
  }
  function points(s) {
    return s.points.map(function (p) { return { value: p.value, url: p.url }; });
  }
  ready(function () {
    var node = document.getElementById("dashboard-data");
    if (!node || !window.echarts) return;
    var data = JSON.parse(node.textContent);
    var font = { fontFamily: "Noto Sans CJK SC, Microsoft YaHei, sans-serif" };
    chart("chart-due", {
      textStyle: font, tooltip: { trigger: "axis" }, legend: { data: ["逾期", "临期"] },
      // Ledgers down the side, every name shown: 13 names under a vertical bar chart overlapped
      // and ECharts showed only every third.
      grid: { containLabel: true, left: 8 },
      yAxis: { type: "category", data: data.due.ledgers, inverse: true, axisLabel: { interval: 0 } },
      xAxis: { type: "value", minInterval: 1 },
      series: [
        { name: "逾期", type: "bar", data: data.due.overdue, itemStyle: { color: "#c0392b" } },
        { name: "临期", type: "bar", data: data.due.due_soon, itemStyle: { color: "#d68910" } }
      ]
    });
    data.ledgers.forEach(function (l) {
      var rates = l.trends.filter(function (s) { return s.rate; });
      var counts = l.trends.filter(function (s) { return !s.rate; });
      var labels = l.trends.length ? l.trends[0].points.map(function (p) { return p.label; }) : [];
      // Bars side by side, never lines: points of close values would lie on one another and
      // a click would open another figure's records.
      var axes = [];
      if (counts.length) axes.push({ type: "value", name: "件", minInterval: 1 });
      if (rates.length) axes.push({ type: "value", name: "%", min: 0, max: 100 });
      chart("chart-trend-" + l.slug, {
        textStyle: font, tooltip: { trigger: "axis" },
        legend: { data: l.trends.map(function (s) { return s.name; }), type: "scroll" },
        xAxis: { type: "category", data: labels },
        yAxis: axes,
        series: counts.map(function (s) {
          return { name: s.name, type: "bar", data: points(s), yAxisIndex: 0 };
        }).concat(rates.map(function (s) {
          return { name: s.name, type: "bar", data: points(s), yAxisIndex: axes.length - 1 };
        }))
      });
      if (l.compared && l.compared.points.length > 1) {
        chart("chart-units-" + l.slug, {
          textStyle: font, tooltip: { trigger: "axis" },
          grid: { left: 120 },
          xAxis: l.compared.rate ? { type: "value", min: 0, max: 100 } : { type: "value", minInterval: 1 },
          yAxis: { type: "category", inverse: true,
                   data: l.compared.points.map(function (p) { return p.label; }) },
          series: [{ name: l.compared.name, type: "bar", data: points(l.compared) }]
        });
      }
    });
  });
})();
