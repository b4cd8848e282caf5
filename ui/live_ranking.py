"""Live ranking: the weight sliders and the ranking bars as one Streamlit custom component (v2).

The browser recomputes the scores on every slider ``input`` event and re-sorts the bars at
once; on release (``change``) it hands the weights back to Python, which stores them in the
session weights (``w_<indicator>``, ``pw_<pillar>``) and reruns: the URL, the CSV download,
the uncertainty bands and every other view follow from there as before.

One source of truth. Python sends what only the model knows: the normalised values of the
selected year that the score uses (normalisation and directions applied by :meth:`scoring.Model.normalised`,
missing values filled by the missing-data policy, :meth:`scoring.Model.values`), the mask of the values
without a sourced value, the pillar of every indicator and the method settings. The browser
does only the last step of :meth:`scoring.Model.score` (``live_ranking.js``, ``computeScores``):
effective weights (:func:`scoring.weights.effective_weight_vector`), the hierarchical mean with
renormalisation over the indicators present (:func:`scoring.aggregate.aggregate`), the coverage
threshold and the competition ranks of :func:`scoring.model.min_rank`. Browser tests check the
two agree to 1e-9 for random weights (tests/browser/test_live_ranking_browser.py).

The same JavaScript drives the serverless page of :mod:`ui.static_page`. Every string the
component shows is set with ``textContent`` or ``setAttribute``, never parsed as HTML.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

import scoring
from indicators import structure
from indicators.schema import PILLARS
from scoring.aggregate import GEO_SHIFT
from scoring.model import RANK_DECIMALS
from ui.charts import COUNTRY_COLOURS, GREY, INDICATOR_COLOURS, PILLAR_COLOURS, shade
from ui.methodology import method_label
from ui.state import WEIGHT_MAX, WEIGHT_STEP

HERE = Path(__file__).resolve().parent
#: The component's code and style, each in its own file, read once at import.
JS = (HERE / "live_ranking.js").read_text(encoding="utf-8")
CSS = (HERE / "live_ranking.css").read_text(encoding="utf-8")
HTML = '<div class="lr" data-live-ranking data-order=""></div>'
#: The last line of live_ranking.js; the static page inlines the code as a classic script without it.
EXPORT_LINE = "export default mountLiveRanking;"
#: Session key of the mounted component (its state holds the weights last handed to Python).
KEY = "live_ranking"
#: Status codes sent per cell: o observed, e estimated, i imputed, c carried forward; None = no panel row.
STATUS_CODE = {"observed": "o", "estimated": "e", "imputed": "i", "carried_forward": "c"}


pillar_label = structure.pillar_name


def _num(x: float) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def parts(model: scoring.Model, split: str) -> list[dict]:
    """Bar segments: one per pillar (``split == 'pillar'``) or per indicator, with the indicator
    positions (in ``model.indicators`` order) whose contributions each segment adds up, a label, a
    colour (the ranking chart's: Okabe-Ito by pillar, lighter shades for its indicators) and a hint."""
    cat = model.catalog
    if split == "pillar":
        return [
            {
                "label": pillar_label(p),
                "colour": PILLAR_COLOURS.get(p, GREY),
                "hint": PILLARS.get(p, ""),
                "idx": [k for k, po in enumerate(model.pillar_of) if po == p],
            }
            for p in model.pillars
        ]
    out, seen = [], {}
    count = {p: model.pillar_of.count(p) for p in model.pillars}
    for k, i in enumerate(model.indicators):
        ind, p = cat[i], model.pillar_of[k]
        n = seen.get(p, 0)
        seen[p] = n + 1
        arrow = "↑" if ind.direction == 1 else "↓"
        out.append(
            {
                "label": ind.name,
                # declared in data/structure.csv; an indicator not declared there (an upload) gets a shade
                "colour": INDICATOR_COLOURS.get(i) or shade(PILLAR_COLOURS.get(p, GREY), n, count[p]),
                "hint": f"{arrow} {ind.unit}",
                "idx": [k],
            }
        )
    return out


def payload(
    model: scoring.Model,
    panel: pd.DataFrame,
    spec: scoring.ScoringSpec,
    year: int,
    weights: dict[str, float],
    pillar_weights: dict[str, float],
    *,
    split: str = "pillar",
    bands: pd.DataFrame | None = None,
    seq: int = 0,
    order: list[str] | None = None,
    source: str = "",
    fold: str = "auto",
) -> dict:
    """Everything the component needs for one year (JSON-serialisable).

    ``weights``/``pillar_weights``: the slider values (0-``WEIGHT_MAX``, relative). ``bands``: the
    Monte Carlo frame of :func:`ui.widgets.mc_bands` (iso3-indexed, rank_lo/rank_hi) computed for
    exactly these weights, shown until a slider moves. ``seq``: the number of the last weights the
    browser handed over and Python applied (the browser ignores older echoes). ``order``: the ISO3
    codes in the order Python's :meth:`scoring.ScoreResult.for_year` gives for these weights (the
    browser shows it as ``data-server-order``; tests compare it with its own ``data-order``).
    ``source``: the source line drawn into the chart's PNG/SVG ("Moscow alignment index, data version ...").
    ``fold``: ``"auto"`` (the sliders fold away below 640 px) or ``"closed"`` (always folded: the static page).
    """
    yi = model.year_index(year)
    norm = model.normalised(spec.normalisation)
    x = model.values(spec)[yi]  # (C, I), directions applied, filled by the missing-data policy; NaN = left out
    sourced = ~np.isnan(norm.values[yi])
    p = panel.loc[panel["year"].astype(int) == int(year), ["iso3", "indicator", "status"]]
    code = {(c, i): STATUS_CODE.get(s) for c, i, s in p.itertuples(index=False)}
    status = [[code.get((c, i)) for i in model.indicators] for c in model.countries]
    cat = model.catalog
    band_text = {}
    if bands is not None:
        for iso, r in bands.iterrows():
            if not (pd.isna(r["rank_lo"]) or pd.isna(r["rank_hi"])):
                band_text[str(iso)] = f"90%: #{int(r['rank_lo'])}–{int(r['rank_hi'])}"
    return {
        "year": int(year),
        "countries": list(model.countries),
        "names": list(model.country_names),
        "colours": [COUNTRY_COLOURS.get(c, GREY) for c in model.countries],  # one colour per state, every view
        "indicators": [
            {
                "id": i,
                "name": cat[i].name,
                "pillar": model.pillar_of[k],
                "direction": int(cat[i].direction),
                "unit": cat[i].unit,
                "definition": cat[i].definition,
            }
            for k, i in enumerate(model.indicators)
        ],
        "pillars": [{"id": q, "label": pillar_label(q), "hint": PILLARS.get(q, "")} for q in model.pillars],
        "values": [[_num(v) for v in row] for row in x.tolist()],
        "missing": [[int(not b) for b in row] for row in sourced.tolist()],
        "status": status,
        "method": {
            "normalisation": spec.normalisation,
            "aggregation": spec.aggregation,
            "missing": spec.missing,
            "min_coverage": float(spec.min_coverage),
            "preset": spec.preset,
        },
        "constants": {"geo_shift": GEO_SHIFT, "rank_decimals": RANK_DECIMALS, "coverage_eps": 1e-12},
        "weights": {
            "indicator": {i: float(weights.get(i, 1.0)) for i in model.indicators},
            "pillar": {q: float(pillar_weights.get(q, 1.0)) for q in PILLARS},
        },
        "slider": {"max": WEIGHT_MAX, "step": WEIGHT_STEP},
        "split": split,
        "parts": parts(model, split),
        "bands": band_text,
        "diagnostics": list(norm.diagnostics),
        "seq": int(seq),
        "order": list(order or []),
        "source": source or "Moscow alignment index",
        "method_text": method_text(spec),
        "fold": fold,
    }


def source_line(version: str) -> str:
    """The source line of every exported chart (PNG/SVG) and of the static page."""
    return f"Moscow alignment index, data version {version}"


def method_text(spec: scoring.ScoringSpec) -> str:
    """The methods of ``spec`` in one sentence (the static page and the chart images show it)."""
    return (
        f"Normalisation {method_label(spec.normalisation).lower()}, aggregation {method_label(spec.aggregation).lower()}"
        f", missing data {method_label(spec.missing).lower()}"
        + (f" (minimum coverage {spec.min_coverage:.0%})" if spec.missing == "coverage_threshold" else "")
        + "."
    )


# ---------------------------------------------------------------- Streamlit
@cache
def _component():
    import streamlit as st

    return st.components.v2.component("align_live_ranking", html=HTML, css=CSS, js=JS)


def weights_from_state(value: object, indicators, pillars=tuple(PILLARS)) -> tuple[dict, dict, int] | None:
    """(indicator weights, pillar weights, seq) from the component's ``weights`` state, clipped to the
    sliders' range; None when the value is not usable (unknown keys are ignored)."""
    if not isinstance(value, dict):
        return None

    def clean(d, keys):
        out = {}
        for k, v in (d or {}).items() if isinstance(d, dict) else ():
            if k in keys and isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v):
                out[k] = min(max(float(v), 0.0), WEIGHT_MAX)
        return out

    iw, pw = clean(value.get("indicator"), set(indicators)), clean(value.get("pillar"), set(pillars))
    seq = value.get("seq")
    return iw, pw, int(seq) if isinstance(seq, int | float) and not isinstance(seq, bool) else 0


def live_ranking(data: dict, on_change, key: str = KEY):
    """Mount the component; ``on_change`` runs (before the rerun's script) when the browser hands over
    weights on release. Read them with :func:`weights_from_state` from ``st.session_state[key]['weights']``."""
    return _component()(key=key, data=data, default={"weights": None}, on_weights_change=on_change)
