"""The statistical audit (scoring.audit): each part checked on data with a known answer."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

import scoring
from scoring import audit


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def ishigami_indices(a: float = 7.0, b: float = 0.1) -> tuple[list[float], list[float]]:
    """Analytical first-order and total indices of the Ishigami function (Sobol' and Levitan 1999)."""
    v1 = 0.5 * (1 + b * math.pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * math.pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return [v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v]


def test_sobol_estimator_recovers_the_ishigami_indices():
    pi = math.pi
    res = audit.sobol_indices(["x1", "x2", "x3"], ["x1", "x2", "x3"], [(-pi, pi)] * 3, ishigami, n=4096)
    s1, st = ishigami_indices()
    for k, name in enumerate(["x1", "x2", "x3"]):
        assert res[name]["S1"][0] == pytest.approx(s1[k], abs=0.03), name
        assert res[name]["ST"][0] == pytest.approx(st[k], abs=0.03), name


def test_sobol_groups_add_the_factors_of_a_group():
    """Grouping x1 and x3 gives the group's closed index: S1 of the group = (V1 + V3 + V13) / V = 1 - S1(x2)."""
    pi = math.pi
    res = audit.sobol_indices(["x1", "x2", "x3"], ["g", "x2", "g"], [(-pi, pi)] * 3, ishigami, n=4096)
    s1, st = ishigami_indices()
    assert set(res) == {"g", "x2"}
    assert res["g"]["S1"][0] == pytest.approx(1 - s1[1], abs=0.03)  # everything but x2
    assert res["x2"]["ST"][0] == pytest.approx(st[1], abs=0.03)


def test_winsorise_follows_coinr_example():
    """COINr's vignette example: 1..10 plus two outliers (30, 100); the largest value is pulled in first."""
    x = np.array([*range(1, 11), 30, 100], dtype=float)
    s, k = audit.skew_kurt(x)
    assert audit.outside_limits(s, k)
    out, log = audit.winsorise(x, [str(i) for i in range(len(x))])
    assert log[0] == {"state": "11", "from": 100.0, "to": 30.0, "side": "high"}
    assert not audit.outside_limits(*audit.skew_kurt(out))
    assert len(log) <= audit.WINMAX and np.nanmax(out) < 100


def test_cronbach_alpha_and_flags_on_known_data():
    rng = np.random.default_rng(1)
    base = rng.normal(size=30)
    frame = pd.DataFrame(
        {"a": base, "b": base + rng.normal(scale=0.01, size=30), "c": -base + rng.normal(scale=0.5, size=30)}
    )
    pillar_of = {"a": "p", "b": "p", "c": "q"}
    # identical items: alpha = 1; one item reversed against the others: alpha falls below zero
    assert audit.cronbach_alpha(frame, {"a": "p", "b": "p"})["p"]["alpha"] == pytest.approx(1.0, abs=0.01)
    assert audit.cronbach_alpha(frame, {"a": "p", "b": "p", "c": "p"})["p"]["alpha"] < 0.5
    pillar_scores = pd.DataFrame({"p": frame[["a", "b"]].mean(axis=1), "q": -frame["a"]})
    corr = audit.correlations(frame, pillar_scores, pillar_of)
    got = {(f["flag"], f.get("a"), f.get("b")) for f in audit.flags(corr, pillar_of)}
    assert ("redundant", "a", "b") in got and ("redundant", "a", "c") in got
    pillar_of2 = {"a": "p", "b": "p", "c": "p"}
    corr2 = audit.correlations(frame, pd.DataFrame({"p": frame["a"]}), pillar_of2)
    neg = [f for f in audit.flags(corr2, pillar_of2) if f["flag"] == "negative_with_pillar"]
    assert [f["indicator"] for f in neg] == ["c"]


def test_pca_explained_sums_to_one_and_finds_one_factor():
    rng = np.random.default_rng(2)
    f = rng.normal(size=40)
    frame = pd.DataFrame({k: f + rng.normal(scale=0.05, size=40) for k in "abcd"})
    shares = audit.pca_explained(frame)
    assert sum(shares) == pytest.approx(1.0, abs=1e-3) and shares[0] > 0.95


def test_cli_json_has_every_part(capsys):
    rc = audit.main(["--year", "2023", "--json", "--sobol-n", "16"])
    out = json.loads(capsys.readouterr().out)
    assert rc == 0
    assert {"correlations", "flags", "cronbach_alpha", "pca_explained", "skew_kurtosis", "sobol"} <= set(out)
    assert set(out["sobol"]) == set(audit.SOBOL_INPUTS)
    panel, catalog, _ = __import__("indicators").shipped()
    ranked = scoring.Model.from_panel(panel, catalog).score(scoring.ScoringSpec(years=(2023,))).for_year(2023)
    states = set(ranked.dropna(subset=["score"])["iso3"])
    for g, per in out["sobol"].items():
        assert set(per) == states, g
        for v in per.values():
            assert set(v) == {"first_order", "total"}
    # the missing-data policy is one of the inputs (the model, carry-forward and available-case differ)
    assert "missing_data" in out["sobol"] and all(
        math.isfinite(v["total"]) for per in out["sobol"].values() for v in per.values()
    )
    assert out["correlations"]["indicators"]["unga_alignment"]["unga_alignment"] == 1.0


def test_cli_csv_and_bad_input(capsys, tmp_path):
    assert audit.main(["--year", "2023", "--sobol-n", "16", "--out", str(tmp_path / "a.csv")]) == 0
    t = pd.read_csv(tmp_path / "a.csv")
    assert list(t.columns) == ["section", "item", "other", "measure", "value"]
    assert set(t["section"]) >= {"correlations", "cronbach_alpha", "pca_explained", "skew_kurtosis", "sobol"}
    assert audit.main(["--year", "1990"]) == 2
    assert audit.main(["--year", "2023", "--sobol-n", "10"]) == 2
    assert "power of 2" in capsys.readouterr().err


def test_winsorise_is_logged_and_off_by_default(capsys):
    assert audit.main(["--year", "2013", "--json", "--sobol-n", "16"]) == 0
    off = json.loads(capsys.readouterr().out)
    assert off["treatment"] == {"winsorise": False, "points": []}
    assert audit.main(["--year", "2013", "--json", "--sobol-n", "16", "--winsorise"]) == 0
    cap = capsys.readouterr()
    on = json.loads(cap.out)
    flagged = [i for i, v in off["skew_kurtosis"].items() if v["outside_limits"]]
    assert flagged  # 2013 has an indicator outside COINr's limits (EAEU: few members)
    assert on["treatment"]["winsorise"] is True
    assert {p["indicator"] for p in on["treatment"]["points"]} == set(flagged)
    assert cap.err.count("winsorised ") == len(on["treatment"]["points"])
