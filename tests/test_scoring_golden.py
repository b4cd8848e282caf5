"""The shipped default scores against the golden file (tests/golden/scores_default.csv).

Regenerate on purpose, after a deliberate change to the data or the model, with::

    python -m scoring.golden --write
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from indicators.loader import DATA_DIR
from scoring.golden import GOLDEN, TOLERANCE, current_csv

pytestmark = [
    pytest.mark.skipif(not (DATA_DIR / "panel.csv").exists(), reason="data/panel.csv not built yet"),
    pytest.mark.skipif(not GOLDEN.exists(), reason="no golden file yet: run python -m scoring.golden --write"),
]


def test_default_scores_match_the_golden_file():
    want = pd.read_csv(GOLDEN)
    got = pd.read_csv(io.StringIO(current_csv()))
    hint = "the default scores changed; if that is intended (new data or model), run: python -m scoring.golden --write"
    assert list(got.columns) == list(want.columns), f"columns differ; {hint}"
    assert got[["iso3", "year"]].equals(want[["iso3", "year"]]), f"rows differ; {hint}"
    bad_rank = got["rank"].fillna(-1).astype(int) != want["rank"].fillna(-1).astype(int)
    assert not bad_rank.any(), f"{int(bad_rank.sum())} rank(s) differ, e.g. {_where(got, bad_rank)}; {hint}"
    text = ("iso3", "country", "year", "rank", "missing_indicators")
    if "missing_indicators" in want:
        bad = got["missing_indicators"].fillna("") != want["missing_indicators"].fillna("")
        assert not bad.any(), f"the missing indicators differ, e.g. {_where(got, bad)}; {hint}"
    num = [c for c in want.columns if c not in text]
    a, b = got[num].to_numpy(dtype=float), want[num].to_numpy(dtype=float)
    off = (np.isnan(a) != np.isnan(b)) | (np.abs(np.nan_to_num(a) - np.nan_to_num(b)) > TOLERANCE)
    rows = off.any(axis=1)
    assert not rows.any(), (
        f"{int(off.sum())} value(s) differ by more than {TOLERANCE}, e.g. {_where(got, rows)}; {hint}"
    )


def _where(df: pd.DataFrame, mask) -> str:
    r = df[np.asarray(mask)].iloc[0]
    return f"{r['iso3']} {r['year']}"


def test_the_published_backtest_is_that_of_the_shipped_data():
    """docs/backtest.json (the Methodology's and the README's table) is a fresh run's, and its one-value rows
    are what `python -m scoring.backtest --json` prints."""
    import json

    from indicators.loader import shipped
    from scoring.backtest import PUBLISHED, load_published, published_text, run, summary
    from scoring.model import Model
    from scoring.spec import ScoringSpec

    hint = "the data or the model changed; run: python -m scoring.golden --write"
    panel, catalog, _ = shipped()
    model = Model.from_panel(panel, catalog)
    cases = run(model, ScoringSpec())
    assert PUBLISHED.read_text(encoding="utf-8") == published_text(model, cases), hint
    rows = {r["policy"]: r for r in load_published() if r["kind"] == "one_value"}
    for policy, v in summary(cases).items():
        assert {k: rows[policy][k] for k in v} == v
    assert json.loads(PUBLISHED.read_text(encoding="utf-8")) == load_published()
