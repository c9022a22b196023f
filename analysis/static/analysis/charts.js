/* Draws each chart of an analysis page with ECharts (static/vendor, no CDN) from the JSON spec
 * the server wrote beside it, and lets the reader switch between the chart and the table of the
 * same numbers. Without JavaScript the tables simply stay visible. */
(function () {
  "use strict";
  var COLORS = ["#0d6efd", "#198754", "#dc3545", "#fd7e14", "#6f42c1", "#20c997", "#6c757d"];

  // A series of one case state takes the state's colour (static/site/site.css, --state-*), the
  // colour of that state's badges on every page.
  function stateColour(state) {
    if (!state) { return undefined; }
    var value = getComputedStyle(document.documentElement).getPropertyValue("--state-" + state);
    return value ? value.trim() || undefined : undefined;
  }

  function coloured(series, s) {
    var colour = stateColour(s.state);
    if (colour) {
      series.itemStyle = { color: colour };
      series.lineStyle = { color: colour };
    }
    return series;
  }

  function base(spec) {
    return {
      color: COLORS,
      animation: false,
      tooltip: { trigger: spec.kind === "heatmap" ? "item" : "axis", confine: true },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    };
  }

  function option(spec) {
    var o = base(spec);
    if (spec.kind === "hbar") {
      o.xAxis = { type: "value", minInterval: 1 };
      o.yAxis = { type: "category", data: spec.categories, inverse: true,
                  axisLabel: { width: 96, overflow: "truncate" } };
      o.series = spec.series.map(function (s) {
        return coloured({ name: s.name, type: "bar", stack: s.stack, data: s.data, barMaxWidth: 18 }, s);
      });
    } else if (spec.kind === "bar" || spec.kind === "line") {
      o.xAxis = { type: "category", data: spec.categories, name: spec.xName || "" };
      o.yAxis = { type: "value", minInterval: 1 };
      o.series = spec.series.map(function (s) {
        return coloured({ name: s.name, type: spec.kind, data: s.data, smooth: false,
                          barMaxWidth: 28 }, s);
      });
    } else if (spec.kind === "heatmap") {
      o.legend = { show: false };
      o.grid.bottom = 56;
      o.xAxis = { type: "category", data: spec.categories, axisLabel: { rotate: 30, interval: 0 } };
      o.yAxis = { type: "category", data: spec.yCategories, inverse: true };
      o.visualMap = { min: 0, max: Math.max(1, spec.max), calculable: true, orient: "horizontal",
                      left: "center", bottom: 0, itemHeight: 120,
                      inRange: { color: ["#f8f9fa", "#fd7e14", "#dc3545"] } };
      o.series = [{ name: spec.series[0].name, type: "heatmap", data: spec.series[0].data,
                    label: { show: true } }];
    }
    return o;
  }

  // While the chart is shown its table stays for screen readers (visually hidden, not removed):
  // the chart's text alternative is the table of the same numbers.
  function show(card, what) {
    card.querySelector(".chart-canvas").classList.toggle("d-none", what !== "chart");
    card.querySelector(".chart-table").classList.toggle("visually-hidden", what !== "table");
    card.querySelectorAll("[data-show]").forEach(function (b) {
      b.classList.toggle("active", b.dataset.show === what);
      b.setAttribute("aria-pressed", b.dataset.show === what ? "true" : "false");
    });
    if (what === "chart") { card._chart.resize(); }
  }

  function init() {
    if (!window.echarts) { return; }  // the tables stay: nothing is lost
    var drawn = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var card = el.closest(".chart-card");
      var spec = JSON.parse(document.getElementById(el.dataset.chart).textContent);
      el.classList.remove("d-none");
      var chart = echarts.init(el);
      chart.setOption(option(spec));
      card._chart = chart;
      drawn.push(chart);
      var toggle = card.querySelector(".chart-toggle");
      toggle.classList.remove("d-none");
      toggle.querySelectorAll("[data-show]").forEach(function (b) {
        b.addEventListener("click", function () { show(card, b.dataset.show); });
      });
      show(card, "chart");
    });
    // Each chart follows its own box (a window resized, a phone turned, a column folded), not
    // only the window: ResizeObserver where the browser has it, the window's resize otherwise.
    if (window.ResizeObserver) {
      var observer = new ResizeObserver(function (entries) {
        entries.forEach(function (entry) {
          var card = entry.target.closest(".chart-card");
          if (card && card._chart) { card._chart.resize(); }
        });
      });
      document.querySelectorAll("[data-chart]").forEach(function (el) { observer.observe(el); });
    } else {
      window.addEventListener("resize", function () {
        drawn.forEach(function (c) { c.resize(); });
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
