// A YASR result view that draws a bar chart: bar lengths from the first column whose values are all
// numbers, labels from the text columns (IRIs too when nothing else names the row). SVG only.
(function () {
  const SVG = "http://www.w3.org/2000/svg";

  class ChartPlugin {
    constructor(yasr) {
      this.yasr = yasr;
      this.priority = 5;
      this.label = "Chart";
    }

    columns() {
      const results = this.yasr.results;
      if (!results || !results.getVariables) return null;
      const vars = results.getVariables();
      const rows = results.getBindings() || [];
      const numeric = (v) => rows.length > 0 && rows.every((r) => r[v] && !isNaN(parseFloat(r[v].value)));
      const value = vars.find(numeric);
      const others = vars.filter((v) => v !== value);
      const texts = others.filter((v) => rows.every((r) => !r[v] || r[v].type !== "uri"));
      const labels = texts.length ? texts : others;
      return value && labels.length ? { labels, value, rows } : null;
    }

    canHandleResults() {
      return this.columns() !== null;
    }

    getIcon() {
      const icon = document.createElement("span");
      icon.textContent = "▮▮";
      return icon;
    }

    draw() {
      const { labels, value, rows } = this.columns();
      const shown = rows.slice(0, 40);
      const max = Math.max(...shown.map((r) => parseFloat(r[value].value)), 1);
      const height = 22 * shown.length + 30;
      const svg = document.createElementNS(SVG, "svg");
      svg.setAttribute("class", "kg-chart");
      svg.setAttribute("width", "900");
      svg.setAttribute("height", String(height));
      shown.forEach((row, i) => {
        const y = 10 + i * 22;
        const n = parseFloat(row[value].value);
        const text = document.createElementNS(SVG, "text");
        text.setAttribute("x", "290");
        text.setAttribute("y", String(y + 14));
        text.setAttribute("text-anchor", "end");
        text.setAttribute("font-size", "12");
        text.textContent = labels.map((v) => (row[v] ? row[v].value : "")).join(" · ").slice(0, 45);
        const bar = document.createElementNS(SVG, "rect");
        bar.setAttribute("x", "300");
        bar.setAttribute("y", String(y));
        bar.setAttribute("height", "18");
        bar.setAttribute("width", String(Math.max(1, (560 * n) / max)));
        bar.setAttribute("fill", "#3a6ea5");
        const count = document.createElementNS(SVG, "text");
        count.setAttribute("x", String(306 + (560 * n) / max));
        count.setAttribute("y", String(y + 14));
        count.setAttribute("font-size", "12");
        count.textContent = String(n);
        svg.append(text, bar, count);
      });
      const title = document.createElement("p");
      title.textContent = `${value} by ${labels.join(", ")}` + (rows.length > shown.length ? ` (first ${shown.length})` : "");
      this.yasr.resultsEl.append(title, svg);
    }
  }

  Yasgui.Yasr.registerPlugin("chart", ChartPlugin);
})();
