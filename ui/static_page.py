"""``python -m ui.static_page``: one self-contained HTML file with the live ranking for one year.

Examples::

    python -m ui.static_page --year 2024 --out ranking.html
    python -m ui.static_page --year 2019 --preset security_first --aggregate geometric --out r.html

The file holds the live ranking's own code (``ui/live_ranking.js`` and ``.css``, inlined) and the
year's data (the normalised values, the missing-value mask, the pillar map and the method settings
of :func:`ui.live_ranking.payload`): weight sliders, the live ranking, a CSV download computed in
the browser with the same columns and bytes as ``python -m scoring --weights <the page's spec>``, a
spec download, the sources of the year's values and the data version (SHA-256 of
``data/MANIFEST.sha256``). The weights travel in the URL fragment (``#w=id:value,...&pw=...``), so
a link reopens the same weights. A Content-Security-Policy of ``default-src 'none'`` means the
page can make no network request at all: it works from ``file://`` and any static host, and fits
an ``<iframe>``. This is the path for audiences larger than one Streamlit server.
"""

from __future__ import annotations

import html
import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd

import scoring
from indicators.schema import PILLARS
from ui import live_ranking

#: No request of any kind (the page carries everything); no double quote in it (it sits in an attribute).
CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'"

PAGE_CSS = """
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: .75rem 1rem;
       color: #1f2933; }
h1 { font-size: 1.3rem; line-height: 1.25; margin: 0 0 .2rem; }
h2 { font-size: 1.05rem; }
.lead, .meta, .source { color: #4b5563; font-size: .85rem; margin: .2rem 0 .5rem; }
.source { margin-top: .75rem; }
.badge { display: inline-block; font-size: .8rem; font-weight: 600; color: #7a3e00; background: #fff4e0;
         border: 1px solid #d08a2a; border-radius: 3px; padding: .05rem .45rem; margin: 0 0 .4rem; }
.actions { margin: .75rem 0; display: flex; gap: .5rem; flex-wrap: wrap; }
.actions button { font: inherit; padding: .35rem .8rem; border: 1px solid #0072b2; background: #fff;
                  color: #0072b2; border-radius: 4px; cursor: pointer; }
.actions button:focus-visible { outline: 2px solid #0072b2; outline-offset: 2px; }
details.more { margin: .5rem 0; }
details.more > summary { cursor: pointer; font-weight: 600; }
#embed-code { display: block; white-space: pre-wrap; word-break: break-all; background: #f3f5f7; padding: .5rem;
              font-size: .8rem; }
#sources { font-size: .8rem; color: #374151; }
#sources li { margin: .15rem 0; }
@media (max-width: 640px) {
  body { padding: .5rem .6rem; }
  h1 { font-size: 1.05rem; }
  .lead { display: none; }
}
"""

#: Page glue (classic script, after the component code): mount into a shadow root, read/write the
#: weights in the URL fragment, build the downloads and the sources list. Strings via textContent only.
PAGE_JS = r"""
(function () {
  const data = JSON.parse(document.getElementById("lr-data").textContent);
  const meta = JSON.parse(document.getElementById("lr-meta").textContent);
  const fromHash = () => {
    const q = new URLSearchParams(location.hash.replace(/^#/, ""));
    const pairs = (s, into) => {
      for (const item of (s || "").split(",")) {
        const [k, v] = item.split(":");
        const x = Number(v);
        if (k in into && v !== undefined && v !== "" && isFinite(x) && x >= 0 && x <= data.slider.max) into[k] = x;
      }
    };
    pairs(q.get("w"), data.weights.indicator);
    pairs(q.get("pw"), data.weights.pillar);
  };
  const toHash = (w) => {
    const enc = (o) => Object.entries(o).map(([k, v]) => k + ":" + v).join(",");
    const h = "#w=" + enc(w.indicator) + "&pw=" + enc(w.pillar);
    try { history.replaceState(null, "", h); } catch (e) { location.hash = h; }
  };
  fromHash();
  const host = document.getElementById("live");
  const shadow = host.attachShadow({ mode: "open" });
  const style = document.createElement("style");
  style.textContent = document.getElementById("lr-css").textContent;
  shadow.appendChild(style);
  const setStateValue = (name, value) => { if (name === "weights") toHash(value); };
  mountLiveRanking({ data, parentElement: shadow, setStateValue });
  const root = shadow.querySelector("[data-live-ranking]");
  const api = root.liveRanking;
  toHash(api.weights());
  const save = (text, name, type) => {
    const a = document.createElement("a");
    a.href = "data:" + type + ";charset=utf-8," + encodeURIComponent(text);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  };
  document.getElementById("dl-csv").addEventListener("click", () => {
    const csv = api.csv();
    if (csv !== null) save(csv, "moscow_alignment_" + data.year + ".csv", "text/csv");
  });
  document.getElementById("dl-spec").addEventListener("click", () =>
    save(api.spec(), "moscow_alignment_spec_" + data.year + ".json", "application/json"));
  document.getElementById("version").textContent = meta.data_version;
  document.getElementById("method").textContent = meta.method_text;
  // the embed snippet: this page's own address (with the weights), at the height the page is laid out for
  const embed = () => {
    const src = location.protocol === "file:" ? meta.file_name : location.href;
    document.getElementById("embed-code").textContent = meta.embed.replace("{src}", src.replace(/"/g, "&quot;"));
  };
  embed();
  window.addEventListener("hashchange", embed);
  root.addEventListener("change", () => setTimeout(embed, 0));
  const list = document.getElementById("sources");
  for (const s of meta.sources) {
    const li = document.createElement("li");
    li.appendChild(document.createTextNode(s.producer + ": " + s.title + " (figures " + s.figure_year +
      ", accessed " + s.accessed + "; used for " + s.used_for + ") "));
    if (/^https?:\/\//.test(s.url)) {
      const a = document.createElement("a");
      a.href = s.url;
      a.rel = "noopener noreferrer";
      a.textContent = s.url;
      li.appendChild(a);
    }
    if (s.archive_url && /^https?:\/\//.test(s.archive_url)) {
      li.appendChild(document.createTextNode(" (archived copy: "));
      const b = document.createElement("a");
      b.href = s.archive_url;
      b.rel = "noopener noreferrer";
      b.textContent = s.archive_url;
      li.appendChild(b);
      li.appendChild(document.createTextNode(")"));
    }
    list.appendChild(li);
  }
})();
"""


def _script_json(obj) -> str:
    """JSON safe inside a <script> element: '<', '>' and '&' as \\u escapes (no '</script>' breakout)."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def component_script() -> str:
    """live_ranking.js as a classic script (its one ``export default`` line removed)."""
    js = live_ranking.JS
    if live_ranking.EXPORT_LINE not in js:
        raise RuntimeError(f"ui/live_ranking.js must end with {live_ranking.EXPORT_LINE!r}")
    return js.replace(live_ranking.EXPORT_LINE, "")


def year_sources(panel: pd.DataFrame, catalog: dict, sources: dict, year: int) -> list[dict]:
    """The sources of the year's panel values, with the indicators each one is used for."""
    p = panel[panel["year"].astype(int) == int(year)]
    used: dict[str, set[str]] = {}
    for ids, ind in zip(p["source_ids"], p["indicator"], strict=True):
        for sid in str(ids).split(";"):
            if sid in sources and ind in catalog:
                used.setdefault(sid, set()).add(catalog[ind].name)
    out = []
    for sid in sorted(used, key=lambda s: (sources[s].producer.lower(), sources[s].title.lower())):
        s = sources[sid]
        out.append(
            {
                "producer": s.producer,
                "title": s.title,
                "url": str(s.url),
                "archive_url": str(s.archive_url) if s.archive_url else "",
                "figure_year": s.figure_year,
                "accessed": s.accessed.isoformat(),
                "used_for": ", ".join(sorted(used[sid])),
            }
        )
    return out


#: Height of the embed snippet's <iframe>, px: the title, the badge and the 14 bars fit in it at phone and
#: desktop widths (tests/browser/test_static_page.py checks the chart lies within the first 600 px of 700).
EMBED_HEIGHT = 700


def file_name(year: int) -> str:
    """The standalone page's file name (the sidebar download and the snippet use it)."""
    return f"moscow_alignment_{int(year)}.html"


def iframe_snippet(src: str, year: int) -> str:
    """A ready <iframe> for an article, at the height the page is laid out for (EMBED_HEIGHT)."""
    title = html.escape(f"Moscow-alignment ranking, {int(year)}")
    return (
        f'<iframe src="{src}" title="{title}" width="100%" height="{EMBED_HEIGHT}" style="border:0" '
        'loading="lazy"></iframe>'
    )


def provisional_badge(model: scoring.Model, spec: scoring.ScoringSpec, year: int) -> str:
    """The badge for a provisional year (scoring.composition.provisional_years, with the page's spec), or ''."""
    from scoring.composition import provisional_years

    if int(year) not in provisional_years(model, spec.replace(years=None)):
        return ""
    cov = model.coverage(spec.replace(years=None))[model.year_index(year)]
    short = int((cov < 1 - 1e-9).sum())
    return (
        f'<p class="badge" role="note" title="Their scores rest on fewer indicators and can move for that '
        f'reason alone">Provisional year: {short} of {len(cov)} states lack part of the data</p>\n'
    )


def build_html(
    model: scoring.Model,
    panel: pd.DataFrame,
    sources: dict,
    spec: scoring.ScoringSpec,
    year: int,
    weights: dict[str, float],
    pillar_weights: dict[str, float],
    version: str,
    made: date | None = None,
) -> str:
    """The whole page as one string (see the module docstring)."""
    made = made or datetime.now(UTC).date()
    used = year_sources(panel, model.catalog, sources, year)
    accessed = max((s["accessed"] for s in used), default="")
    source = live_ranking.source_line(version)
    data = live_ranking.payload(
        model, panel, spec, year, weights, pillar_weights, split="pillar", source=source, fold="closed"
    )
    data["key_settle_ms"] = 0  # no server here: the URL fragment follows every key at once
    meta = {
        "data_version": version,
        "method_text": data["method_text"],
        "sources": used,
        "embed": iframe_snippet("{src}", year),
        "file_name": file_name(year),
    }
    title = f"How closely is each post-Soviet state aligned with Moscow? ({int(year)})"
    badge = provisional_badge(model, spec, year)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="data-version" content="{html.escape(version)}">
<title>{html.escape(title)}</title>
<style>{PAGE_CSS}</style>
<style id="lr-css">{live_ranking.CSS}</style>
</head>
<body>
<main>
<h1>{html.escape(title)}</h1>
{badge}<p class="lead">100 = closest to Moscow in the panel's range, 0 = farthest. The weights (under the
chart) re-rank in your browser; the link keeps them.</p>
<div id="live"></div>
<p class="source">Source: {html.escape(source)} (sources accessed up to {html.escape(accessed)}; listed below).
Page made {made.isoformat()}.</p>
<div class="actions">
<button type="button" id="dl-csv">Download scores (CSV)</button>
<button type="button" id="dl-spec">Download spec (JSON)</button>
</div>
<details class="more"><summary>Embed this chart</summary>
<p class="meta">Paste into an article (the weights in the address come along):</p>
<code id="embed-code"></code>
</details>
<details class="more"><summary>Method and sources</summary>
<p class="meta">Method: <span id="method"></span> Data version <code id="version"></code>
(SHA-256 of data/MANIFEST.sha256). The CSV has the columns and bytes of <code>python -m scoring --weights
spec.json</code> for the downloaded spec.</p>
<h2>Sources of the {int(year)} values</h2>
<ul id="sources"></ul>
</details>
</main>
<script type="application/json" id="lr-data">{_script_json(data)}</script>
<script type="application/json" id="lr-meta">{_script_json(meta)}</script>
<script>
{component_script()}
{PAGE_JS}
</script>
</body>
</html>
"""


def main(argv: list[str] | None = None) -> int:
    from indicators.loader import DataError, data_version
    from scoring.cli import OneLineParser, UsageError, _write_atomic, fail
    from ui.state import ui_presets

    ap = OneLineParser(prog="python -m ui.static_page", description=__doc__.split("\n")[0])
    ap.add_argument("--year", type=int, help="year to show (default: the latest with 75%% sourced weight for all)")
    ap.add_argument("--out", required=True, metavar="FILE.html", help="where to write the page")
    ap.add_argument("--preset", default="equal", help=f"starting weights: {', '.join(scoring.PRESETS)}")
    ap.add_argument("--normalise", default="minmax", help=f"normalisation: {', '.join(scoring.NORMALISERS)}")
    ap.add_argument("--aggregate", default="arithmetic", help=f"aggregation: {', '.join(scoring.AGGREGATORS)}")
    default = scoring.ScoringSpec()
    ap.add_argument("--missing", default=default.missing, help=f"policy: {', '.join(scoring.MISSING_POLICIES)}")
    ap.add_argument("--min-coverage", type=float, default=default.min_coverage, metavar="X", help="threshold 0-1")
    try:
        args = ap.parse_args(argv)
        import indicators

        panel, catalog, sources = indicators.shipped()
        model = scoring.Model.from_panel(panel, catalog)
        if args.preset not in scoring.PRESETS:
            raise scoring.SpecError(f"unknown preset {args.preset!r}; choose one of: {', '.join(scoring.PRESETS)}")
        iw, pw = ui_presets(catalog, PILLARS)[args.preset]
        spec = scoring.ScoringSpec.build(
            indicator_weights=iw,
            pillar_weights=pw,
            normalisation=args.normalise,
            aggregation=args.aggregate,
            missing=args.missing,
            min_coverage=args.min_coverage,
            preset=args.preset,
        )
        year = model.resolve_year(spec, args.year)
        text = build_html(model, panel, sources, spec, year, iw, pw, data_version())
        _write_atomic(args.out, text)
    except (scoring.SpecError, DataError, UsageError) as e:
        return fail(e)
    out = Path(args.out)
    print(f"wrote {out} ({len(text.encode()) / 1024:.0f} KB, year {year}, data version {data_version()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
