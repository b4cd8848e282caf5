"""The Audit part of the Robustness view shows what scoring.audit computes."""

from __future__ import annotations

import base64
import json

import numpy as np
from streamlit.testing.v1 import AppTest

import indicators
import scoring
from scoring import audit

APP = "../dashboard.py"
PANEL, CATALOG, _ = indicators.shipped()
MODEL = scoring.Model.from_panel(PANEL, CATALOG)


def _matrix(z) -> np.ndarray:
    """A plotly 2-D array: nested lists, or a typed array {"dtype", "bdata", "shape"} (plotly >= 6)."""
    if isinstance(z, dict):
        shape = [int(n) for n in str(z["shape"]).split(",")]
        return np.frombuffer(base64.b64decode(z["bdata"]), dtype=np.dtype(z["dtype"])).reshape(shape)
    return np.array(z, dtype=float)


def _figure(at: AppTest, title: str) -> dict:
    figs = [json.loads(el.proto.spec) for el in at.get("plotly_chart")]
    return next(f for f in figs if f["layout"]["title"]["text"].startswith(title))


def test_audit_shows_correlations_flags_alpha_and_sobol():
    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params.update({"view": "robustness", "year": "2023", "unc": "off"})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    spec = scoring.ScoringSpec(years=(2023,))
    want = audit.statistics(MODEL, spec, 2023)
    fig = _figure(at, "Correlation between indicators, 2023")
    names = [CATALOG[k].name for k in MODEL.indicators]
    assert list(fig["data"][0]["x"]) == names
    r = want["correlations"]["indicators"]
    k = MODEL.indicators.index("western_engagement")
    j = MODEL.indicators.index("nato_alignment")
    assert _matrix(fig["data"][0]["z"])[k, j] == r["western_engagement"]["nato_alignment"]
    caption = " ".join(c.value for c in at.caption)
    for f in want["flags"]:
        if f["flag"] == "redundant":
            assert f"{CATALOG[f['a']].name} and {CATALOG[f['b']].name} correlate at r = {f['r']:.2f}" in caption
    alpha = next(d.value for d in at.dataframe if "Cronbach's alpha" in d.value.columns)
    for row in alpha.itertuples():
        got = row[4]
        exp = next(
            v["alpha"] for p, v in want["cronbach_alpha"].items() if indicators.structure.pillar_name(p) == row[1]
        )
        assert (exp is None and np.isnan(got)) or got == exp
    at.button(key="audit_sobol").click().run()
    assert not at.exception, [e.value for e in at.exception]
    fig = _figure(at, "Total Sobol index of each state's rank, 2023")
    sob = audit.sobol_ranks(MODEL, spec, 2023)
    assert len(fig["data"][0]["y"]) == len(sob["weights"])
    first = next(d.value for d in at.dataframe if "Weights (each ±50%)" in d.value.columns)
    # the table shows the first-order indices the model computes (one row per ranked state)
    assert sorted(first.index) == sorted(MODEL.country_names[MODEL.countries.index(c)] for c in sob["weights"])
