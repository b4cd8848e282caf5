// PNG and SVG download of the plotly chart drawn just before this component (ui/chart_image.py).
//
// The image is made in the browser by plotly's own export: the chart's modebar "Download plot" button,
// with the format set for this click. For that one export the title gains a subtitle (year and weights),
// and a source line (data version) and the date are drawn under the chart; the chart on screen is
// left as it is (plotly copies the layout synchronously when the export starts).

function chartBefore(host) {
  // the last plotly chart that precedes this component in the document
  let found = null;
  for (const gd of document.querySelectorAll(".js-plotly-plot")) {
    if (gd.compareDocumentPosition(host) & Node.DOCUMENT_POSITION_FOLLOWING) found = gd;
  }
  return found;
}

function exportChart(gd, meta, fmt) {
  const btn = gd.querySelector('.modebar-btn[data-title^="Download plot"]');
  if (!btn || !gd.layout || !gd._fullLayout) return false;
  const today = new Date().toISOString().slice(0, 10);
  const lay = gd.layout;
  const full = gd._fullLayout;
  const saved = { title: lay.title, annotations: lay.annotations, margin: lay.margin, height: lay.height };
  const m = Object.assign({ t: 50, b: 40, l: 10, r: 10 }, full.margin);
  const title = (full.title && full.title.text) || meta.title || "";
  const extraTop = 36, extraBottom = 34;
  lay.title = Object.assign({}, lay.title, {
    text: title + '<br><span style="font-size:12px">' + meta.subtitle + "</span>",
    x: 0,
    xanchor: "left",
    xref: "paper",
    y: 1 - 16 / (full.height + extraTop + extraBottom),
    yref: "container",
    yanchor: "top",
  });
  lay.margin = Object.assign({}, lay.margin, { t: m.t + extraTop, b: m.b + extraBottom });
  lay.annotations = (lay.annotations || []).concat([
    {
      text: "Source: " + meta.source + " · made " + today,
      xref: "paper",
      yref: "paper",
      x: 0,
      y: 0,
      xanchor: "left",
      yanchor: "top",
      yshift: -(m.b + 6),
      showarrow: false,
      font: { size: 11, color: "#4b5563" },
    },
  ]);
  lay.height = full.height + extraTop + extraBottom;
  const opts = gd._context.toImageButtonOptions || (gd._context.toImageButtonOptions = {});
  const before = Object.assign({}, opts);
  Object.assign(opts, { format: fmt, filename: meta.filename, width: full.width, height: lay.height, scale: fmt === "png" ? 2 : 1 });
  try {
    btn.dispatchEvent(new MouseEvent("click", { bubbles: true }));
  } finally {
    // plotly has copied the layout: put the screen's back
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete lay[k];
      else lay[k] = v;
    }
    for (const k of Object.keys(opts)) delete opts[k];
    Object.assign(opts, before);
  }
  return true;
}

export default function mountChartImage(args) {
  const { data, parentElement } = args;
  let box = parentElement.querySelector(".ci");
  if (!box) {
    box = document.createElement("div");
    box.className = "ci";
    const label = document.createElement("span");
    label.textContent = "Download this chart:";
    box.appendChild(label);
    for (const fmt of ["png", "svg"]) {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = fmt.toUpperCase();
      b.dataset.format = fmt;
      b.addEventListener("click", () => {
        const host = parentElement.host || parentElement;
        const gd = chartBefore(host);
        const ok = gd && exportChart(gd, box.meta, fmt);
        box.dataset.last = ok ? fmt : "failed";
      });
      box.appendChild(b);
    }
    parentElement.appendChild(box);
  }
  box.meta = data;
  for (const b of box.querySelectorAll("button")) {
    b.setAttribute("aria-label", "Download " + (data.title || "the chart") + " as " + b.dataset.format.toUpperCase());
  }
}
