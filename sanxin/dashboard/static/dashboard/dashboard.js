// 驾驶舱: ECharts from the page's JSON (json_script), drill-down on the area chart, full screen,
// and a live refresh from the JSON endpoint once a minute. No inline script: CSP allows only files.
(function () {
  "use strict";
  const root = document.getElementById("dashboard");
  const dataElement = document.getElementById("dashboard-data");
  if (!root || !dataElement || !window.echarts) return;
  const REFRESH_MS = 60000;
  const charts = {};
  let payload = JSON.parse(dataElement.textContent);

  function slug(key) { return key.toLowerCase().replace(/[^a-z0-9_-]+/g, ""); }
  function dark() { return document.body.classList.contains("dashboard-fullscreen"); }

  function option(chart) {
    const text = dark() ? "#e8eef8" : "#333";
    const base = {
      title: { text: chart.title, left: "center", textStyle: { fontSize: 14, color: text } },
      // richText: the tooltip is drawn on the canvas; HTML tooltips carry style="" that the CSP blocks.
      tooltip: { trigger: chart.kind === "pie" ? "item" : "axis", renderMode: "richText" },
      legend: { bottom: 0, textStyle: { color: text } },
      color: ["#c8102e", "#f4a300", "#2b6cb0", "#38a169", "#805ad5", "#718096"],
    };
    if (chart.kind === "pie") {
      return Object.assign(base, {
        series: [{ type: "pie", radius: ["35%", "65%"],
          data: chart.categories.map((name, i) => ({ name: name, value: chart.series[0].data[i] })) }],
      });
    }
    const horizontal = chart.kind === "stacked" || chart.kind === "bar";
    const categoryAxis = { type: "category", data: chart.categories, inverse: horizontal,
      axisLabel: { color: text, interval: 0 } };
    const valueAxis = { type: "value", axisLabel: { color: text } };
    return Object.assign(base, {
      grid: { left: horizontal ? 110 : 50, right: 20, top: 40, bottom: 50 },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: chart.series.map((s) => ({
        name: s.name, data: s.data, type: chart.kind === "line" ? "line" : "bar",
        stack: chart.kind === "stacked" ? "total" : undefined, smooth: chart.kind === "line",
        cursor: chart.drill.length ? "pointer" : "default",
      })),
    });
  }

  function drillTo(code) {
    const params = new URLSearchParams({ area: code });
    if (dark()) params.set("fullscreen", "1");
    window.location.href = root.dataset.base + "?" + params.toString();
  }

  function render() {
    payload.charts.forEach((chart) => {
      const element = document.getElementById("chart-" + slug(chart.key));
      if (!element) return;
      if (!charts[chart.key]) {
        charts[chart.key] = echarts.init(element);
        charts[chart.key].on("click", (params) => {
          const current = payload.charts.find((c) => c.key === chart.key);
          const code = current && current.drill[params.dataIndex];
          if (code) drillTo(code);
        });
      }
      charts[chart.key].setOption(option(chart), true);
    });
    payload.figures.forEach((figure) => {
      const element = document.getElementById("fig-" + slug(figure.key));
      if (!element) return;
      element.textContent = figure.value === null ? "—" : figure.value.toLocaleString() + figure.unit;
    });
  }

  function resize() { Object.values(charts).forEach((c) => c.resize()); }

  document.getElementById("fullscreen-toggle").addEventListener("click", () => {
    const on = !dark();
    document.body.classList.toggle("dashboard-fullscreen", on);
    if (on && document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(() => {});
    } else if (!on && document.fullscreenElement) {
      document.exitFullscreen();
    }
    render();
    window.setTimeout(resize, 100);
  });
  document.addEventListener("fullscreenchange", () => {
    if (!document.fullscreenElement && dark()) {
      document.body.classList.remove("dashboard-fullscreen");
      render();
      window.setTimeout(resize, 100);
    }
  });
  window.addEventListener("resize", resize);

  window.setInterval(() => {
    fetch(root.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then((fresh) => { if (fresh) { payload = fresh; render(); } })
      .catch(() => {});
  }, REFRESH_MS);

  render();
})();
