// Coverage charts: data comes from the json_script block "coverage-chart-data" (no inline script).
(function () {
  "use strict";
  const COLORS = { single: "#b02a37", joint: "#e35d6a", work: "#f0ad4e", blank: "#adb5bd" };

  function stacked(el, data) {
    const chart = echarts.init(el);
    const keys = ["single", "joint", "work", "blank"];
    chart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 40, right: 10, top: 30, bottom: 70 },
      xAxis: { type: "category", data: data.labels, axisLabel: { rotate: 45, interval: 0, fontSize: 10 } },
      yAxis: { type: "value" },
      series: keys.map((k) => ({ name: data.names[k], type: "bar", stack: "all", data: data.series[k], itemStyle: { color: COLORS[k] } })),
    });
    return chart;
  }

  function lines(el, data) {
    const chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: (v) => v + "%" },
      legend: { top: 0 },
      grid: { left: 40, right: 10, top: 40, bottom: 30 },
      xAxis: { type: "category", data: data.labels },
      yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      series: Object.keys(data.series).map((k) => ({ name: data.names[k], type: "line", data: data.series[k] })),
    });
    return chart;
  }

  document.addEventListener("DOMContentLoaded", () => {
    const source = document.getElementById("coverage-chart-data");
    if (!source || typeof echarts === "undefined") return;
    const all = JSON.parse(source.textContent);
    const charts = [];
    document.querySelectorAll("[data-chart]").forEach((el) => {
      const name = el.dataset.chart;
      if (name === "trend") charts.push(lines(el, all));
      else if (all[name]) charts.push(stacked(el, all[name]));
    });
    window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
  });
})();
