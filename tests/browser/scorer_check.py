"""Shared by the live-ranking and static-page browser tests: drive the in-browser scorer
(``liveRanking.compute`` on the component's root) with random weights and compare it with ``Model.score``."""

from __future__ import annotations

import random

import scoring
from indicators.schema import PILLARS

LIVE = "[data-live-ranking]"

#: (aggregation, minimum coverage) combinations checked against the model, under the page's missing-data
#: policy (the values the page sends are already filled by it, so the policy is the page's).
METHODS = [("arithmetic", 0.5), ("arithmetic", 0.8), ("geometric", 0.8), ("geometric", 0.5)]


def random_weights(rng: random.Random, indicators, n: int) -> list[tuple[dict, dict]]:
    """n weight vectors on the sliders' 0.25 grid, about a third of the entries zero (so whole pillars and
    every weighted indicator of some countries drop out), pillar weights never all zero."""
    out = []
    while len(out) < n:
        iw = {k: (0.0 if rng.random() < 0.33 else rng.randint(1, 40) / 4) for k in indicators}
        pw = {p: (0.0 if rng.random() < 0.25 else rng.randint(1, 40) / 4) for p in PILLARS}
        if any(pw.values()):  # all-zero pillar weights are not a valid spec (tested separately)
            out.append((iw, pw))
    return out


def model_scores(model, iw, pw, norm, agg, miss, cov, year) -> dict | None:
    spec = scoring.ScoringSpec(
        indicator_weights=iw,
        pillar_weights=pw,
        normalisation=norm,
        aggregation=agg,
        missing=miss,
        min_coverage=cov,
        years=(year,),
    )
    try:
        t = model.score(spec).for_year(year)
    except scoring.SpecError:
        return None
    return {
        "order": list(t["iso3"]),
        "scores": {i: (None if s != s else float(s)) for i, s in zip(t["iso3"], t["score"], strict=True)},
    }


def check_scorer(root, model, year: int, norm: str, missing: str, n: int = 50, seed: int = 12) -> int:
    """Drive ``n`` random weight vectors x 4 method settings through the page's scorer (whose values are
    filled by the page's missing-data policy ``missing``); return the count."""
    vectors = random_weights(random.Random(seed), model.indicators, n)
    calls = [
        {"iw": iw, "pw": pw, "m": {"aggregation": a, "missing": missing, "min_coverage": c}}
        for iw, pw in vectors
        for a, c in METHODS
    ]
    got = root.evaluate("(el, calls) => calls.map(c => el.liveRanking.compute(c.iw, c.pw, c.m))", calls)
    checked = 0
    for call, g in zip(calls, got, strict=True):
        m = call["m"]
        want = model_scores(
            model, call["iw"], call["pw"], norm, m["aggregation"], m["missing"], m["min_coverage"], year
        )
        if want is None:
            assert g is None, call
            continue
        assert g["order"] == want["order"], (call, g["order"], want["order"])
        countries = list(model.countries)
        for iso, s in want["scores"].items():
            b = g["score"][countries.index(iso)]
            assert (s is None) == (b is None), (call, iso, s, b)
            if s is not None:
                assert abs(s - b) <= 1e-9, (call, iso, s, b)
        checked += 1
    assert checked >= n * len(METHODS) * 0.9
    return checked
