// Live ranking (see ui/live_ranking.py): weight sliders + ranking bars, rescored in the browser.
//
// computeScores() is the last step of scoring.Model.score for one year, on the normalised values
// Python sent: effective weights (scoring/weights.py effective_weight_vector), the hierarchical
// mean with renormalisation over the indicators present (scoring/aggregate.py aggregate), the
// coverage threshold (scoring/model.py Model.score) and competition ranks on scores rounded to
// RANK_DECIMALS (scoring/model.py min_rank). Keep the three in step: tests/browser/test_live_ranking.py
// compares them on random weights.
//
// Every string shown comes from data and is set with textContent / setAttribute, never innerHTML.

// ------------------------------------------------------------------ the scorer
function rint(y) {
  // numpy.rint: round half to even
  const r = Math.round(y);
  return Math.abs(y % 1) === 0.5 ? 2 * Math.round(y / 2) : r;
}

function roundTo(x, decimals) {
  // numpy.round(x, decimals) for decimals >= 0: rint(x * 10**d) / 10**d
  const f = 10 ** decimals;
  return rint(x * f) / f;
}

function effectiveWeights(d, iw, pw) {
  // scoring.weights.effective_weight_vector; null when every weight is zero
  const inds = d.indicators;
  const w = inds.map((ind) => (iw[ind.id] === undefined ? 1 : Number(iw[ind.id])));
  const eff = new Array(inds.length).fill(0);
  const order = [];
  for (const ind of inds) if (!order.includes(ind.pillar)) order.push(ind.pillar);
  let tot = 0;
  for (const p of order) {
    let s = 0;
    for (let k = 0; k < inds.length; k++) if (inds[k].pillar === p) s += w[k];
    const pwv = pw[p] === undefined ? 1 : Number(pw[p]);
    if (s > 0 && pwv > 0) {
      for (let k = 0; k < inds.length; k++) if (inds[k].pillar === p) eff[k] = (pwv * w[k]) / s;
      tot += pwv;
    }
  }
  if (!(tot > 0)) return null;
  return eff.map((e) => e / tot);
}

function computeScores(d, iw, pw, method) {
  const m = Object.assign({}, d.method, method || {});
  const C = d.countries.length;
  const I = d.indicators.length;
  const P = d.pillars.length;
  const pIndex = {};
  d.pillars.forEach((p, j) => (pIndex[p.id] = j));
  const pil = d.indicators.map((ind) => pIndex[ind.pillar]);
  const w = effectiveWeights(d, iw, pw);
  if (w === null) return null;
  const geo = m.aggregation === "geometric";
  const shift = d.constants.geo_shift;
  const fwd = geo ? (x) => Math.log(x + shift) : (x) => x;
  const inv = geo ? (t) => Math.exp(t) - shift : (t) => t;
  let wsum = 0;
  for (let i = 0; i < I; i++) wsum += w[i];
  const pillarW = new Array(P).fill(0);
  for (let i = 0; i < I; i++) pillarW[pil[i]] += w[i];
  const score = new Array(C), coverage = new Array(C), coverageObs = new Array(C), pillars = [], contrib = [];
  for (let c = 0; c < C; c++) {
    // values: what the score uses (sourced plus, under a filling policy, filled values; null = left out);
    // missing: no sourced value (coverage and missing_indicators count sourced values only)
    const row = d.values[c], miss = d.missing[c];
    const t = new Array(I), present = new Array(I);
    for (let i = 0; i < I; i++) {
      present[i] = row[i] !== null;
      t[i] = present[i] ? fwd(row[i]) : 0;
    }
    const num = new Array(P).fill(0), den = new Array(P).fill(0);
    let cov = 0, covObs = 0;
    for (let i = 0; i < I; i++) {
      const wp = present[i] ? w[i] : 0;
      num[pil[i]] += w[i] * t[i];
      den[pil[i]] += wp;
      if (!miss[i]) cov += w[i]; // Model.coverage: sourced values only
      if (d.status[c][i] === "o") covObs += wp; // Model.coverage_observed: present and observed
    }
    const has = den.map((v) => v > 0);
    const pillarT = num.map((v, j) => (has[j] ? v / den[j] : 0));
    const pwc = pillarW.map((v, j) => (has[j] ? v : 0));
    let tot = 0, acc = 0;
    for (let j = 0; j < P; j++) tot += pwc[j];
    for (let j = 0; j < P; j++) acc += pwc[j] * pillarT[j];
    const ok = tot > 0;
    const scoreT = acc / (ok ? tot : 1);
    let s = ok ? inv(scoreT) : NaN;
    const cv = cov / (wsum > 0 ? wsum : 1);
    let ps = pillarT.map((v, j) => (has[j] ? inv(v) : NaN));
    const safeTot = ok ? tot : 1;
    const scale = geo ? (scoreT > 0 ? s / scoreT : 0) : 1;
    let cs = new Array(I);
    for (let i = 0; i < I; i++) {
      const j = pil[i];
      const share = pwc[j] / safeTot / (has[j] ? den[j] : 1);
      const ct = (present[i] ? w[i] : 0) * t[i] * share;
      cs[i] = present[i] && ok ? ct * scale : NaN;
    }
    if (m.missing === "coverage_threshold" && cv < m.min_coverage - d.constants.coverage_eps) {
      s = NaN;
      ps = ps.map(() => NaN);
      cs = cs.map(() => NaN);
    }
    score[c] = s;
    coverage[c] = cv;
    coverageObs[c] = covObs / (wsum > 0 ? wsum : 1);
    pillars.push(ps);
    contrib.push(cs);
  }
  const rounded = score.map((s) => (Number.isNaN(s) ? NaN : roundTo(s, d.constants.rank_decimals)));
  const rank = rounded.map((s) =>
    Number.isNaN(s) ? null : 1 + rounded.filter((o) => !Number.isNaN(o) && o > s).length
  );
  // ScoreResult.for_year order: rank, then ISO3; unscored last (by ISO3)
  const order = d.countries
    .map((iso, c) => c)
    .sort((a, b) => {
      const ra = rank[a] === null ? Infinity : rank[a];
      const rb = rank[b] === null ? Infinity : rank[b];
      if (ra !== rb) return ra - rb;
      return d.countries[a] < d.countries[b] ? -1 : d.countries[a] > d.countries[b] ? 1 : 0;
    });
  return { weights: w, score, coverage, coverageObs, pillars, contrib, rank, order, method: m };
}

// ------------------------------------------------------------------ CSV (scoring/export.py scores_csv)
// Same columns, formats and bytes as python -m scoring; a new column there must be added here too
// (tests/browser/test_static_page.py and test_live_ranking.py compare the two byte for byte).
const FORMULA_START = ["=", "+", "-", "@", "\t", "\r"];

function safeText(s) {
  s = s === null || s === undefined ? "" : String(s);
  return FORMULA_START.some((f) => s.startsWith(f)) ? "'" + s : s;
}

function quote(s) {
  return /[,"\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

function fixed(x, decimals) {
  // Python's f"{x:.{decimals}f}": the exact binary value rounded half to even (toFixed rounds ties up)
  if (Number.isNaN(x)) return "";
  const neg = x < 0;
  const exact = Math.abs(x).toFixed(100);
  const [ip, fp] = exact.split(".");
  const kept = fp.slice(0, decimals);
  const rest = fp.slice(decimals);
  let up = false;
  if (rest[0] > "5") up = true;
  else if (rest[0] === "5") {
    const tail = /[1-9]/.test(rest.slice(1));
    const last = decimals > 0 ? kept[kept.length - 1] : ip[ip.length - 1];
    up = tail || Number(last) % 2 === 1;
  }
  let digits = BigInt(ip + kept);
  if (up) digits += 1n;
  let str = digits.toString().padStart(decimals + 1, "0");
  str = decimals > 0 ? str.slice(0, str.length - decimals) + "." + str.slice(str.length - decimals) : str;
  if (neg && /[1-9]/.test(str)) return "-" + str;
  return str; // "-0.0000" is written "0.0000" (scoring.export._num)
}

function scoresCsv(d, r, decimals) {
  decimals = decimals === undefined ? 4 : decimals;
  const head = ["iso3", "country", "year", "score", "rank", "coverage", "coverage_observed"]
    .concat(d.pillars.map((p) => "pillar_" + p.id))
    .concat(d.indicators.map((i) => "contrib_" + i.id))
    .concat(["missing_indicators"]);
  const lines = [head.map((h) => quote(safeText(h))).join(",")];
  for (let c = 0; c < d.countries.length; c++) {
    const cells = [quote(safeText(d.countries[c])), quote(safeText(d.names[c])), String(d.year)];
    cells.push(fixed(r.score[c], decimals));
    cells.push(r.rank[c] === null ? "" : String(r.rank[c]));
    cells.push(fixed(r.coverage[c], decimals));
    cells.push(fixed(r.coverageObs[c], decimals));
    for (const v of r.pillars[c]) cells.push(fixed(v, decimals));
    for (const v of r.contrib[c]) cells.push(fixed(v, decimals));
    // ScoreResult.missing_indicators: the weighted indicators without a value, ";"-joined
    const miss = d.indicators.filter((ind, i) => r.weights[i] > 0 && d.missing[c][i]).map((ind) => ind.id);
    cells.push(quote(safeText(miss.join(";"))));
    lines.push(cells.join(","));
  }
  return lines.join("\n") + "\n";
}

function specJson(d, iw, pw) {
  // a ScoringSpec for this year and these weights (python -m scoring --weights FILE reads it)
  const m = d.method;
  return JSON.stringify(
    {
      aggregation: m.aggregation,
      indicator_weights: iw,
      min_coverage: m.min_coverage,
      missing: m.missing,
      normalisation: m.normalisation,
      pillar_weights: pw,
      preset: m.preset === undefined ? null : m.preset,
      years: [d.year],
    },
    null,
    2
  );
}

// ------------------------------------------------------------------ the view
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function fmtWeight(v) {
  return String(Number(v));
}

function pct(x) {
  return (x * 100).toFixed(0) + "%";
}

function build(state) {
  const { root, d } = state;
  root.replaceChildren();
  const live = el("div", "lr-sr");
  live.setAttribute("aria-live", "polite");
  live.setAttribute("role", "status");
  const grid = el("div", "lr-grid");
  const controls = el("div", "lr-controls");
  controls.setAttribute("role", "group");
  controls.setAttribute("aria-label", "Weights");
  const chart = el("div", "lr-chart");
  // The chart comes first (narrow screens show it before the sliders); the sliders fold away: always in
  // the static page (d.fold === "closed"), below 640 px in the Streamlit page.
  const fold = el("details", "lr-fold");
  fold.append(el("summary", "lr-fold-sum", "Weights: move a slider to re-rank"), controls);
  const narrow = typeof matchMedia === "function" && matchMedia("(max-width: 640px)").matches;
  fold.open = d.fold === "closed" ? false : !narrow;
  if (d.fold === "closed") grid.classList.add("lr-stack");
  grid.append(chart, fold);
  root.append(live, grid);
  state.fold = fold;
  state.live = live;
  state.inputs = [];

  const slider = (kind, id, name, hint, value) => {
    const row = el("div", "lr-slider");
    const lab = el("label");
    const inputId = state.uid + "-" + kind + "-" + state.inputs.length;
    lab.setAttribute("for", inputId);
    const nameSpan = el("span", "lr-name", name);
    const val = el("output", "lr-val", fmtWeight(value));
    lab.append(nameSpan, val);
    const input = el("input");
    input.type = "range";
    input.id = inputId;
    input.min = "0";
    input.max = String(d.slider.max);
    input.step = String(d.slider.step);
    input.value = String(value);
    input.setAttribute("aria-label", name);
    if (hint) input.title = hint;
    input.dataset.kind = kind;
    input.dataset.key = id;
    row.append(lab, input);
    state.inputs.push({ input, val, kind, id, name });
    input.addEventListener("input", (e) => onInput(state, e));
    input.addEventListener("keydown", () => (state.lastKey = performance.now()));
    input.addEventListener("change", () => {
      // A pointer release hands the weights over at once. Every arrow key is a release too; a burst of
      // keys is handed over once, KEY_SETTLE_MS after the last one, so reruns do not pile up mid-burst.
      if (performance.now() - (state.lastKey || -Infinity) < 100) {
        state.pending = true;
        clearTimeout(state.timer);
        const settle = state.d.key_settle_ms === undefined ? KEY_SETTLE_MS : state.d.key_settle_ms;
        state.timer = setTimeout(() => onRelease(state), settle);
      } else onRelease(state);
    });
    input.addEventListener("pointerdown", () => (state.dragging = true));
    input.addEventListener("pointerup", () => (state.dragging = false));
    return row;
  };

  const pillarBox = el("details", "lr-group");
  pillarBox.open = true;
  pillarBox.append(el("summary", null, "Pillar weights"));
  for (const p of d.pillars) pillarBox.append(slider("pillar", p.id, p.label, p.hint, state.pw[p.id]));
  controls.append(pillarBox);
  for (const p of d.pillars) {
    const box = el("details", "lr-group");
    box.open = p === d.pillars[0];
    box.append(el("summary", null, p.label + " indicators"));
    for (const ind of d.indicators.filter((i) => i.pillar === p.id)) {
      const arrow = ind.direction === 1 ? "↑ " : "↓ ";
      const way = ind.direction === 1 ? "higher = closer to Moscow" : "higher = farther from Moscow";
      const hint = (ind.definition ? ind.definition + "\n\n" : "") + arrow + way + ". Unit: " + ind.unit + ".";
      const row = slider("indicator", ind.id, ind.name, hint, state.iw[ind.id]);
      row.querySelector(".lr-name").textContent = arrow + ind.name;
      box.append(row);
    }
    controls.append(box);
  }
  controls.append(el("p", "lr-note", "↑ higher value = closer to Moscow · ↓ higher value = farther from Moscow"));

  const title = el("div", "lr-title", "Moscow-alignment score in " + d.year + " (0 = farthest, 100 = closest)");
  const msg = el("div", "lr-msg");
  msg.setAttribute("role", "alert");
  const bars = el("div", "lr-bars");
  bars.setAttribute("role", "list");
  bars.setAttribute("aria-label", "Ranking");
  state.rows = d.countries.map((iso, c) => {
    const row = el("div", "lr-row");
    row.setAttribute("role", "listitem");
    row.dataset.iso3 = iso;
    const name = el("span", "lr-country");
    const sw = el("span", "lr-dot", "■");
    sw.setAttribute("aria-hidden", "true");
    sw.style.color = (d.colours || [])[c] || "#B8BEC6";
    sw.dataset.colour = (d.colours || [])[c] || "";
    const nm = el("span", "lr-cname", d.names[c]);
    name.append(sw, nm);
    const track = el("span", "lr-track");
    const segs = d.parts.map((p) => {
      const s = el("span", "lr-seg");
      s.style.background = p.colour;
      track.append(s);
      return s;
    });
    const label = el("span", "lr-label");
    row.append(name, track, label);
    bars.append(row);
    return { row, segs, label, c };
  });
  const legend = el("div", "lr-legend");
  for (const p of d.parts) {
    const item = el("span", "lr-key");
    const sw = el("span", "lr-swatch");
    sw.style.background = p.colour;
    item.append(sw, document.createTextNode(p.label));
    if (p.hint) item.title = p.hint;
    legend.append(item);
  }
  const images = el("div", "lr-images");
  images.append(el("span", "lr-images-label", "Download this chart:"));
  for (const fmt of ["png", "svg"]) {
    const b = el("button", "lr-img-btn", fmt.toUpperCase());
    b.type = "button";
    b.dataset.format = fmt;
    b.setAttribute("aria-label", "Download the ranking as " + fmt.toUpperCase() + " image");
    b.addEventListener("click", () => downloadImage(state, fmt));
    images.append(b);
  }
  chart.append(title, msg, bars, legend, images);
  state.msg = msg;
  state.bars = bars;
}

// ------------------------------------------------------------------ the chart as an image
// One SVG drawn from the current result (title, subtitle with year and weights, bars, labels, legend,
// source line with the data version, and the date); PNG = that SVG painted on a canvas. All in the browser.
function svgText(x, y, text, attrs) {
  const t = document.createElementNS("http://www.w3.org/2000/svg", "text");
  t.setAttribute("x", String(x));
  t.setAttribute("y", String(y));
  for (const [k, v] of Object.entries(attrs || {})) t.setAttribute(k, String(v));
  t.textContent = text;
  return t;
}

function weightsText(state) {
  const { d } = state;
  const pil = d.pillars.map((p) => p.label + " " + fmtWeight(state.pw[p.id])).join(", ");
  const moved = d.indicators.filter((i) => Number(state.iw[i.id]) !== 1);
  const ind = moved.length ? moved.map((i) => i.name + " " + fmtWeight(state.iw[i.id])).join(", ") : "all 1";
  return "Pillar weights: " + pil + ". Indicator weights: " + ind + ".";
}

function wrapWords(text, maxChars) {
  const out = [];
  let line = "";
  for (const w of text.split(" ")) {
    if (line && (line + " " + w).length > maxChars) {
      out.push(line);
      line = w;
    } else line = line ? line + " " + w : w;
  }
  if (line) out.push(line);
  return out;
}

function rankingSvg(state, today) {
  const { d } = state;
  const r = state.result;
  const NS = "http://www.w3.org/2000/svg";
  const W = 820, rowH = 26, left = 150, barW = 380, labelX = left + barW + 12;
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("xmlns", NS);
  const font = { "font-family": "Helvetica, Arial, sans-serif", fill: "#1f2933" };
  const add = (node) => (svg.appendChild(node), node);
  let y = 34;
  add(svgText(16, y, "Moscow-alignment score, " + d.year, { ...font, "font-size": 22, "font-weight": 700 }));
  const sub = "Year " + d.year + " · 0 = farthest from Moscow, 100 = closest (the panel's range). " + weightsText(state);
  for (const line of wrapWords(sub, 110)) add(svgText(16, (y += 20), line, { ...font, "font-size": 13, fill: "#4b5563" }));
  y += 16;
  const bg = document.createElementNS(NS, "rect");
  const top = y;
  for (const [k, c] of r.order.entries()) {
    const ry = top + k * rowH;
    add(svgText(left - 8, ry + 17, d.names[c], { ...font, "font-size": 13, "text-anchor": "end" }));
    const track = document.createElementNS(NS, "rect");
    Object.entries({ x: left, y: ry + 4, width: barW, height: 18, fill: "#f3f5f7" }).forEach(([a, v]) => track.setAttribute(a, v));
    add(track);
    let x = left;
    d.parts.forEach((p) => {
      let v = 0;
      for (const i of p.idx) if (!Number.isNaN(r.contrib[c][i])) v += r.contrib[c][i];
      const w = (Math.max(0, v) / 100) * barW;
      if (w <= 0) return;
      const seg = document.createElementNS(NS, "rect");
      Object.entries({ x, y: ry + 4, width: w, height: 18, fill: p.colour }).forEach(([a, val]) => seg.setAttribute(a, val));
      add(seg);
      x += w;
    });
    const s = r.score[c];
    const text = Number.isNaN(s) ? "no score (too little data)" : s.toFixed(1) + " · #" + r.rank[c] + " · coverage " + pct(r.coverage[c]);
    add(svgText(labelX, ry + 17, text, { ...font, "font-size": 12 }));
  }
  y = top + d.countries.length * rowH + 18;
  let lx = 16;
  for (const p of d.parts) {
    const sw = document.createElementNS(NS, "rect");
    Object.entries({ x: lx, y: y - 10, width: 11, height: 11, fill: p.colour }).forEach(([a, v]) => sw.setAttribute(a, v));
    add(sw);
    add(svgText(lx + 15, y, p.label, { ...font, "font-size": 12 }));
    lx += 30 + p.label.length * 7;
    if (lx > W - 120) {
      lx = 16;
      y += 18;
    }
  }
  y += 28;
  const source = "Source: " + (d.source || "Moscow alignment index") + " · " + (d.method_text || "") + " · made " + today;
  for (const line of wrapWords(source, 120)) {
    add(svgText(16, y, line, { ...font, "font-size": 11, fill: "#4b5563" }));
    y += 15;
  }
  const H = y + 6;
  svg.setAttribute("width", String(W));
  svg.setAttribute("height", String(H));
  svg.setAttribute("viewBox", "0 0 " + W + " " + H);
  Object.entries({ x: 0, y: 0, width: W, height: H, fill: "#ffffff" }).forEach(([a, v]) => bg.setAttribute(a, v));
  svg.insertBefore(bg, svg.firstChild);
  return { text: new XMLSerializer().serializeToString(svg), width: W, height: H };
}

function saveUrl(url, name) {
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.style.display = "none";
  document.body.appendChild(a);
  a.click();
  a.remove();
}

function downloadImage(state, fmt) {
  if (!state.result) return Promise.resolve(null);
  const today = new Date().toISOString().slice(0, 10);
  const { text, width, height } = rankingSvg(state, today);
  const svgUrl = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);
  const name = "moscow_alignment_ranking_" + state.d.year;
  if (fmt === "svg") {
    saveUrl(svgUrl, name + ".svg");
    return Promise.resolve(text.length);
  }
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      const scale = 2;
      const canvas = document.createElement("canvas");
      canvas.width = width * scale;
      canvas.height = height * scale;
      const g = canvas.getContext("2d");
      g.scale(scale, scale);
      g.drawImage(img, 0, 0);
      const url = canvas.toDataURL("image/png");
      saveUrl(url, name + ".png");
      resolve(url.length);
    };
    img.onerror = reject;
    img.src = svgUrl;
  });
}

function flags(state, r, c) {
  // ui.context.LEGEND: n† weighted inputs imputed by the missing-data policy, m° missing and left out,
  // k* not observed (estimated, interpolated or carried forward when the data were built)
  const { d } = state;
  let notObs = 0, noRow = 0, filled = 0;
  for (let i = 0; i < d.indicators.length; i++) {
    if (!(r.weights[i] > 0)) continue;
    const s = d.status[c][i];
    if (d.missing[c][i]) {
      if (d.values[c][i] === null) noRow++;
      else filled++;
    } else if (s !== "o") notObs++;
  }
  const out = [];
  if (filled) out.push(filled + "†");
  if (noRow) out.push(noRow + "°");
  if (notObs) out.push(notObs + "*");
  return out.join(" ");
}

function redraw(state) {
  const { d, root } = state;
  const r = computeScores(d, state.iw, state.pw);
  state.result = r;
  if (r === null) {
    state.msg.textContent = "Every weight is zero: raise at least one weight (and its pillar) above zero.";
    root.dataset.order = "";
    root.dataset.scores = "";
    return;
  }
  state.msg.textContent = "";
  const fresh = state.bandsFor === weightsKey(state);
  const pos = new Array(d.countries.length);
  r.order.forEach((c, k) => (pos[c] = k));
  for (const row of state.rows) {
    const c = row.c;
    row.row.style.transform = "translateY(calc(" + pos[c] + " * var(--lr-row, 2em)))";
    const s = r.score[c];
    d.parts.forEach((p, k) => {
      let v = 0;
      for (const i of p.idx) {
        const x = r.contrib[c][i];
        if (!Number.isNaN(x)) v += x;
      }
      row.segs[k].style.width = Math.max(0, v) + "%";
    });
    let text;
    if (Number.isNaN(s)) text = "no score (too little data)";
    else {
      text = s.toFixed(1) + " · #" + r.rank[c];
      const band = d.bands[d.countries[c]];
      if (band && fresh) text += " (" + band + ")";
      text += " · cov " + pct(r.coverage[c]);
      const f = flags(state, r, c);
      if (f) text += " · " + f;
    }
    row.label.textContent = text;
    row.row.setAttribute("aria-label", d.names[c] + ": " + text);
  }
  root.dataset.order = r.order.map((c) => d.countries[c]).join(",");
  root.dataset.scores = JSON.stringify(r.score.map((s) => (Number.isNaN(s) ? null : s)));
  for (const it of state.inputs) {
    const v = it.kind === "pillar" ? state.pw[it.id] : state.iw[it.id];
    const k = d.indicators.findIndex((i) => i.id === it.id);
    const eff = it.kind === "indicator" && k >= 0 ? ", effective weight " + pct(r.weights[k]) : "";
    it.input.setAttribute("aria-valuetext", fmtWeight(v) + eff);
  }
}

function weightsKey(state) {
  return JSON.stringify([state.iw, state.pw]);
}

function readInputs(state) {
  for (const it of state.inputs) {
    const v = Number(it.input.value);
    if (it.kind === "pillar") state.pw[it.id] = v;
    else state.iw[it.id] = v;
    it.val.textContent = fmtWeight(v);
  }
}

function onInput(state, e) {
  const t0 = e.timeStamp;
  readInputs(state);
  redraw(state);
  const it = state.inputs.find((x) => x.input === e.target);
  if (it) state.live.textContent = it.name + ": weight " + it.input.getAttribute("aria-valuetext");
  requestAnimationFrame(() => {
    const ms = performance.now() - t0;
    state.timings.push(ms);
    if (state.timings.length > 2000) state.timings.splice(0, 1000);
  });
}

function onRelease(state) {
  clearTimeout(state.timer);
  state.pending = false;
  state.dragging = false;
  readInputs(state);
  if (state.result === null) return; // all zero: nothing Python could score
  state.seq += 1;
  state.sent = state.seq;
  const value = { indicator: Object.assign({}, state.iw), pillar: Object.assign({}, state.pw), seq: state.seq };
  state.root.dataset.sent = String(state.seq);
  if (state.setStateValue) state.setStateValue("weights", value);
}

function setWeights(state, iw, pw, release) {
  // for tests and the static page: set the sliders as a person would, then redraw (and hand over)
  for (const it of state.inputs) {
    const src = it.kind === "pillar" ? pw : iw;
    if (src && src[it.id] !== undefined) it.input.value = String(src[it.id]);
  }
  readInputs(state);
  redraw(state);
  if (release) onRelease(state);
  return state.root.dataset.order;
}

const STATES = new WeakMap();
// ms without a key press before keyed weight changes go to Python
const KEY_SETTLE_MS = 250;
let UID = 0;

function mountLiveRanking(args) {
  const { data, parentElement, setStateValue } = args;
  let root = parentElement.querySelector("[data-live-ranking]");
  if (!root) {
    root = document.createElement("div");
    root.className = "lr";
    root.setAttribute("data-live-ranking", "");
    parentElement.appendChild(root);
  }
  let state = STATES.get(root);
  // Rebuild the controls only when what they show changes (not for new weights, a new preset name or bands).
  const { preset, ...method } = data.method;
  const shape = JSON.stringify([data.year, data.countries, data.indicators, data.pillars, data.parts, method]);
  if (!state || state.shape !== shape) {
    const prev = state;
    state = {
      root,
      d: data,
      shape,
      uid: "lr" + ++UID,
      iw: Object.assign({}, data.weights.indicator),
      pw: Object.assign({}, data.weights.pillar),
      seq: prev ? prev.seq : data.seq || 0,
      sent: prev ? prev.sent : data.seq || 0,
      timings: prev ? prev.timings : [],
      dragging: false,
    };
    STATES.set(root, state);
    build(state);
  } else {
    state.d = data;
    const theirs = data.seq || 0;
    const differs = JSON.stringify([data.weights.indicator, data.weights.pillar]) !== weightsKey(state);
    // Python's weights win unless they echo an older release than the one the browser last sent, a
    // slider is being dragged right now, or keyed changes wait to be handed over.
    if (differs && theirs >= state.sent && !state.dragging && !state.pending) {
      state.iw = Object.assign({}, data.weights.indicator);
      state.pw = Object.assign({}, data.weights.pillar);
      for (const it of state.inputs) it.input.value = String(it.kind === "pillar" ? state.pw[it.id] : state.iw[it.id]);
      readInputs(state);
    }
  }
  state.setStateValue = setStateValue;
  state.bandsFor = JSON.stringify([data.weights.indicator, data.weights.pillar]);
  root.dataset.year = String(data.year);
  root.dataset.countries = data.countries.join(",");
  root.dataset.serverOrder = (data.order || []).join(",");
  root.dataset.serverSeq = String(data.seq || 0);
  redraw(state);
  // a small API on the root element (tests, benchmark, static page)
  root.liveRanking = {
    compute: (iw, pw, method) => {
      const r = computeScores(state.d, iw, pw, method);
      if (r === null) return null;
      return {
        score: r.score.map((s) => (Number.isNaN(s) ? null : s)),
        rank: r.rank,
        coverage: r.coverage,
        order: r.order.map((c) => state.d.countries[c]),
      };
    },
    setWeights: (iw, pw, release) => setWeights(state, iw, pw, release),
    weights: () => ({ indicator: Object.assign({}, state.iw), pillar: Object.assign({}, state.pw) }),
    csv: () => (state.result ? scoresCsv(state.d, state.result) : null),
    spec: () => specJson(state.d, state.iw, state.pw),
    image: (fmt) => downloadImage(state, fmt),
    svg: () => (state.result ? rankingSvg(state, new Date().toISOString().slice(0, 10)).text : null),
    timings: () => state.timings.slice(),
    clearTimings: () => (state.timings.length = 0),
  };
  root.dispatchEvent(new CustomEvent("live-ranking-ready", { bubbles: true }));
}

export default mountLiveRanking;
