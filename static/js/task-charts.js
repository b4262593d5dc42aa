// Charts of the task dashboards, drawn with the vendored Chart.js (static/vendor/chartjs/).
// Each <canvas data-chart="ID"> takes its data from the JSON block <script id="ID"
// type="application/json"> written by the page (Django's json_script): labels, and datasets
// with a label, a colour name, the values and, for every bar, the link to the task list
// behind it. Clicking a bar (or pressing Enter on a focused chart after picking a bar with
// the arrow keys) opens that list. The same numbers, with the same links, are in the tables
// next to each chart, for keyboards and screen readers.
(() => {
  "use strict";

  const PALETTE = { ok: "--ok", warn: "--warn", accent: "--accent", link: "--link", muted: "--muted" };
  const FALLBACK = { ok: "#1e6b3a", warn: "#c08a00", accent: "#b3261e", link: "#1d4f91", muted: "#5a626c" };

  const colour = (name) => {
    const css = getComputedStyle(document.documentElement).getPropertyValue(PALETTE[name] || "").trim();
    return css || FALLBACK[name] || FALLBACK.muted;
  };

  const phone = () => window.matchMedia("(max-width: 799.98px)").matches;

  // Height of a chart's box: a trend chart is shorter on phones; a horizontal breakdown
  // grows with its rows so that every label stays readable, above the room its axis and
  // legend take (about 70px: with less, a breakdown of one row showed no bar at all).
  const sizeBox = (box, spec) => {
    box.style.position = "relative";
    box.style.width = "100%";
    if (spec.horizontal) {
      const rows = Math.max(1, spec.labels.length);
      box.style.height = `${Math.min(80 + rows * (phone() ? 34 : 30), 700)}px`;
    } else {
      box.style.height = phone() ? "240px" : "300px";
    }
  };

  // Only links into this site are followed.
  const safe = (url) => typeof url === "string" && url.startsWith("/") && !url.startsWith("//");

  const draw = (canvas) => {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof window.Chart === "undefined") return;
    let spec;
    try {
      spec = JSON.parse(source.textContent);
    } catch (error) {
      return;
    }
    const box = canvas.parentElement;
    sizeBox(box, spec);

    const datasets = spec.datasets.map((d) => ({
      label: d.label,
      data: d.data,
      links: d.links,
      backgroundColor: colour(d.color),
      borderColor: colour(d.color),
      borderWidth: 0,
      maxBarThickness: 42,
    }));

    const open = (chart, elements) => {
      if (!elements.length) return;
      const { datasetIndex, index } = elements[0];
      const url = chart.data.datasets[datasetIndex].links[index];
      if (safe(url)) window.location.assign(url);
    };

    const chart = new window.Chart(canvas, {
      type: "bar",
      data: { labels: spec.labels, datasets },
      options: {
        locale: "vi-VN",
        indexAxis: spec.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: window.matchMedia("(prefers-reduced-motion: reduce)").matches ? false : { duration: 300 },
        interaction: { mode: "nearest", intersect: true },
        scales: {
          x: { stacked: !!spec.stacked, beginAtZero: true, ticks: { precision: 0 } },
          y: {
            stacked: !!spec.stacked,
            beginAtZero: true,
            ticks: {
              precision: 0,
              autoSkip: !spec.horizontal,
              // Long organisation names are shortened to fit a phone; the tooltip has them whole.
              callback(value) {
                if (!spec.horizontal) return value;
                const label = String(this.getLabelForValue(value));
                const room = Math.max(12, Math.floor((box.clientWidth * 0.45) / 6.5));
                return label.length > room ? `${label.slice(0, room - 1)}…` : label;
              },
            },
          },
        },
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 14 } },
          tooltip: {
            callbacks: {
              footer: (items) => (items.length ? "Bấm để xem danh sách" : ""),
            },
          },
        },
        onClick: (event, elements, chartInstance) => open(chartInstance, elements),
        onHover: (event, elements) => {
          event.native.target.style.cursor = elements.length ? "pointer" : "default";
        },
        onResize: () => sizeBox(box, spec),
      },
    });

    // Keyboard: the canvas is focusable; arrow keys move across bars, Enter opens the list.
    canvas.tabIndex = 0;
    let cursor = { datasetIndex: 0, index: -1 };
    const visible = () => datasets.map((d, i) => i).filter((i) => chart.isDatasetVisible(i));
    const show = () => {
      const active = [{ datasetIndex: cursor.datasetIndex, index: cursor.index }];
      chart.setActiveElements(active);
      chart.tooltip.setActiveElements(active, { x: 0, y: 0 });
      chart.update();
    };
    canvas.addEventListener("keydown", (event) => {
      const sets = visible();
      if (!sets.length || !spec.labels.length) return;
      const along = spec.horizontal ? ["ArrowDown", "ArrowUp"] : ["ArrowRight", "ArrowLeft"];
      const across = spec.horizontal ? ["ArrowRight", "ArrowLeft"] : ["ArrowUp", "ArrowDown"];
      if (!sets.includes(cursor.datasetIndex)) cursor.datasetIndex = sets[0];
      if (event.key === along[0] || event.key === along[1]) {
        const step = event.key === along[0] ? 1 : -1;
        cursor.index = (cursor.index + step + spec.labels.length) % spec.labels.length;
      } else if (event.key === across[0] || event.key === across[1]) {
        const at = sets.indexOf(cursor.datasetIndex);
        const step = event.key === across[0] ? 1 : -1;
        cursor.datasetIndex = sets[(at + step + sets.length) % sets.length];
        if (cursor.index < 0) cursor.index = 0;
      } else if (event.key === "Enter" && cursor.index >= 0) {
        open(chart, [cursor]);
        return;
      } else {
        return;
      }
      event.preventDefault();
      show();
    });
  };

  const start = () => document.querySelectorAll("canvas[data-chart]").forEach(draw);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
