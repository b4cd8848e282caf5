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
    want = pd.read_csv(GOLDEN, keep_default_na=True)
    got = pd.read_csv(io.StringIO(current_csv()), keep_default_na=True)
    hint = "the default scores changed; if that is intended, run: python -m scoring.golden --write"
    assert list(got.columns) == list(want.columns), hint
    assert got[["iso3", "year"]].equals(want[["iso3", "year"]]), hint
    assert got["rank"].fillna(-1).astype(int).equals(want["rank"].fillna(-1).astype(int)), hint
    num = [c for c in want.columns if c not in ("iso3", "country", "year", "rank")]
    a, b = got[num].to_numpy(dtype=float), want[num].to_numpy(dtype=float)
    assert np.array_equal(np.isnan(a), np.isnan(b)), hint
    np.testing.assert_allclose(a, b, rtol=0, atol=TOLERANCE, err_msg=hint)
