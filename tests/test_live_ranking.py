"""The live ranking's data (ui/live_ranking.py) and the static page (ui/static_page.py), without a browser.

The browser side (the JavaScript scorer against Model.score, escaping, offline use) is tested in
tests/browser/test_live_ranking_browser.py and tests/browser/test_static_page.py.
"""

from __future__ import annotations

import hashlib
import json
import math
import re

import numpy as np
import pytest

import indicators
import scoring
from indicators.loader import DATA_DIR, data_version
from ui import live_ranking, static_page


@pytest.fixture(scope="module")
def shipped():
    panel, catalog, sources = indicators.shipped()
    return panel, catalog, sources, scoring.Model.from_panel(panel, catalog)


@pytest.mark.parametrize("norm", ["minmax", "goalposts", "zscore", "percentile"])
def test_payload_carries_the_models_normalised_values_mask_and_pillars(shipped, norm):
    panel, catalog, _, model = shipped
    spec = scoring.ScoringSpec(normalisation=norm, aggregation="geometric", missing="renormalise")
    year = model.years[-2]
    d = live_ranking.payload(model, panel, spec, year, {}, {})
    x = model.normalised(norm).values[model.year_index(year)]
    assert d["countries"] == list(model.countries) and d["year"] == year
    assert [i["id"] for i in d["indicators"]] == list(model.indicators)
    assert [i["pillar"] for i in d["indicators"]] == list(model.pillar_of)
    assert [p["id"] for p in d["pillars"]] == list(model.pillars)
    for c in range(len(model.countries)):
        for i in range(len(model.indicators)):
            v, miss = d["values"][c][i], d["missing"][c][i]
            assert bool(miss) == math.isnan(x[c, i])
            assert (v is None) if miss else v == x[c, i]
    assert d["method"] == {
        "normalisation": norm,
        "aggregation": "geometric",
        "missing": "renormalise",
        "min_coverage": 0.5,
        "preset": None,
    }
    # directions are applied in Python: an indicator pointing away from Moscow arrives flipped
    away = [k for k, i in enumerate(model.indicators) if catalog[i].direction == -1]
    assert away, "the catalogue has indicators pointing away from Moscow"
    json.dumps(d)  # serialisable as is


def test_payload_parts_cover_every_indicator_once(shipped):
    panel, _, _, model = shipped
    for split in ("pillar", "indicator"):
        parts = live_ranking.payload(model, panel, scoring.ScoringSpec(), model.years[-1], {}, {}, split=split)["parts"]
        idx = sorted(k for p in parts for k in p["idx"])
        assert idx == list(range(len(model.indicators)))
        assert all(re.fullmatch(r"#[0-9a-fA-F]{6}", p["colour"]) for p in parts)


def test_payload_status_marks_rows_that_are_not_observed_or_absent(shipped):
    panel, _, _, model = shipped
    year = model.years[-1]
    d = live_ranking.payload(model, panel, scoring.ScoringSpec(), year, {}, {})
    p = panel[panel["year"].astype(int) == year].set_index(["iso3", "indicator"])["status"]
    for c, iso in enumerate(model.countries):
        for i, ind in enumerate(model.indicators):
            want = live_ranking.STATUS_CODE.get(p.get((iso, ind)))
            assert d["status"][c][i] == want


def test_bands_are_sent_as_text_for_the_labels(shipped):
    panel, _, _, model = shipped
    import pandas as pd

    bands = pd.DataFrame({"rank_lo": [1, np.nan], "rank_hi": [3, 4]}, index=["ARM", "BLR"])
    d = live_ranking.payload(model, panel, scoring.ScoringSpec(), model.years[-1], {}, {}, bands=bands)
    assert d["bands"] == {"ARM": "90%: #1–3"}


@pytest.mark.parametrize(
    "value, expected",
    [
        (
            {"indicator": {"a": 2, "b": 99, "zz": 1}, "pillar": {"security": 0.5}, "seq": 4},
            ({"a": 2.0, "b": 10.0}, {"security": 0.5}, 4),
        ),
        ({"indicator": {"a": -1, "b": float("nan")}, "pillar": {"nope": 1}}, ({"a": 0.0}, {}, 0)),
        ({"indicator": {"a": True, "b": "3"}, "pillar": None, "seq": "x"}, ({}, {}, 0)),
        (None, None),
        ([1, 2], None),
    ],
)
def test_weights_from_state_keeps_only_known_finite_weights_in_range(value, expected):
    assert live_ranking.weights_from_state(value, ("a", "b")) == expected


def test_the_static_page_names_the_data_version(shipped, tmp_path):
    digest = hashlib.sha256((DATA_DIR / "MANIFEST.sha256").read_bytes()).hexdigest()
    assert data_version() == digest[:12]
    out = tmp_path / "r.html"
    assert static_page.main(["--out", str(out)]) == 0
    assert f'<meta name="data-version" content="{digest[:12]}">' in out.read_text(encoding="utf-8")


def test_the_js_file_ends_with_its_default_export():
    assert live_ranking.JS.rstrip().endswith(live_ranking.EXPORT_LINE)
    assert "innerHTML" not in live_ranking.JS.replace("never innerHTML", "")
    assert "innerHTML" not in static_page.PAGE_JS


def test_static_page_is_self_contained(shipped):
    panel, catalog, sources, model = shipped
    year = model.default_year()
    text = static_page.build_html(model, panel, sources, scoring.ScoringSpec(), year, {}, {}, "v1")
    assert text.count("<script") == 3  # data, metadata, code; all inline
    assert not re.search(r"<script[^>]*\bsrc=", text)
    assert not re.search(r"<link\b", text)
    assert "default-src 'none'" in text  # the browser itself refuses any request the page might try
    assert static_page.component_script() in text and live_ranking.EXPORT_LINE not in text
    assert live_ranking.CSS in text


def test_static_page_json_cannot_close_its_script_element(shipped):
    panel, catalog, sources, model = shipped
    evil = {"name": "</script><script>alert(1)</script>", "x": "a & b > c"}
    out = static_page._script_json(evil)
    assert "<" not in out and ">" not in out and "&" not in out
    assert json.loads(out) == evil


def test_static_page_cli_writes_the_file_and_refuses_bad_input(tmp_path, capsys):
    out = tmp_path / "r.html"
    assert static_page.main(["--year", "2019", "--preset", "security_first", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    d = json.loads(re.search(r'<script type="application/json" id="lr-data">(.*?)</script>', text, re.S).group(1))
    assert d["year"] == 2019 and d["method"]["preset"] == "security_first"
    assert d["weights"]["pillar"]["security"] > d["weights"]["pillar"]["economy"]
    assert static_page.main(["--preset", "nope", "--out", str(tmp_path / "x.html")]) == 2
    assert "unknown preset 'nope'" in capsys.readouterr().err
    assert static_page.main(["--year", "1800", "--out", str(tmp_path / "y.html")]) == 2
    assert not (tmp_path / "x.html").exists() and not (tmp_path / "y.html").exists()
