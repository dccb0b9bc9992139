/* Tiny SVG line charts for the dashboard: no libraries, no network. */
"use strict";
const Charts = (() => {
  const NS = "http://www.w3.org/2000/svg";

  function el(name, attrs, parent) {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (parent) parent.appendChild(e);
    return e;
  }

  function clock(t) {
    const d = new Date(t);
    return String(d.getHours()).padStart(2, "0") + ":" + String(d.getMinutes()).padStart(2, "0");
  }

  /**
   * Draws series [{name, color, points: [[timeMillis, value], ...]}] into svg.
   * opts: {min, max (null = auto), windowMillis, thresholds: [{value, color, label}], unit}
   */
  function line(svg, series, opts) {
    const w = svg.clientWidth || 400, h = svg.clientHeight || 180;
    const pad = {l: 34, r: 10, t: 10, b: 20};
    svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    const now = Date.now();
    const t0 = now - opts.windowMillis;
    let max = opts.max;
    if (max == null) {
      max = 1;
      for (const s of series) for (const p of s.points) max = Math.max(max, p[1]);
      for (const th of opts.thresholds || []) max = Math.max(max, th.value);
      max = Math.ceil(max * 1.1);
    }
    const min = opts.min || 0;
    const x = t => pad.l + (w - pad.l - pad.r) * Math.max(0, (t - t0)) / opts.windowMillis;
    const y = v => pad.t + (h - pad.t - pad.b) * (1 - (Math.min(max, Math.max(min, v)) - min) / (max - min));
    // grid and y labels
    for (let i = 0; i <= 4; i++) {
      const v = min + (max - min) * i / 4;
      el("line", {x1: pad.l, x2: w - pad.r, y1: y(v), y2: y(v), class: "axis", "stroke-width": 1}, svg);
      const label = el("text", {x: pad.l - 6, y: y(v) + 3, "text-anchor": "end"}, svg);
      label.textContent = (Math.round(v * 10) / 10) + (opts.unit || "");
    }
    // x labels: every 15 minutes
    for (let m = 0; m <= 60; m += 15) {
      const t = t0 + m * 60000 * (opts.windowMillis / 3600000);
      const label = el("text", {x: x(t), y: h - 5, "text-anchor": m === 0 ? "start" : m === 60 ? "end" : "middle"}, svg);
      label.textContent = clock(t);
    }
    for (const th of opts.thresholds || []) {
      el("line", {x1: pad.l, x2: w - pad.r, y1: y(th.value), y2: y(th.value), stroke: th.color,
        "stroke-width": 1, "stroke-dasharray": "4 3", opacity: 0.8}, svg);
      const label = el("text", {x: w - pad.r - 2, y: y(th.value) - 3, "text-anchor": "end"}, svg);
      label.textContent = th.label;
      label.setAttribute("fill", th.color);
    }
    for (const s of series) {
      const pts = s.points.filter(p => p[0] >= t0);
      if (pts.length === 0) continue;
      const d = pts.map((p, i) => (i ? "L" : "M") + x(p[0]).toFixed(1) + " " + y(p[1]).toFixed(1)).join(" ");
      if (s.fill) {
        const area = d + ` L${x(pts[pts.length - 1][0]).toFixed(1)} ${y(min)} L${x(pts[0][0]).toFixed(1)} ${y(min)} Z`;
        el("path", {d: area, fill: s.color, opacity: 0.12}, svg);
      }
      el("path", {d, fill: "none", stroke: s.color, "stroke-width": 1.8, "stroke-linejoin": "round"}, svg);
      const last = pts[pts.length - 1];
      el("circle", {cx: x(last[0]), cy: y(last[1]), r: 3, fill: s.color}, svg);
    }
    // legend
    let lx = pad.l + 6;
    for (const s of series) {
      if (series.length < 2) break;
      el("rect", {x: lx, y: pad.t + 2, width: 10, height: 3, fill: s.color}, svg);
      const t = el("text", {x: lx + 14, y: pad.t + 7}, svg);
      t.textContent = s.name;
      lx += 18 + s.name.length * 6;
    }
  }

  return {line};
})();
