"""What one pillar does to the ranking: ranks with and without it, and pairs ordered against a level.

Used by the Methodology view for the ``rupture`` pillar (issue 25): each state's rank under a spec
(the default, unless given) against the same spec with the pillar's weight set to 0. Setting a
pillar's weight to 0 reproduces the model without it exactly: its indicators drop out of the
effective weights and normalisation is per indicator, so the other indicators' values do not move.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from scoring.model import Model
from scoring.spec import ScoringSpec

#: A move of this many places or more gets its own sentence in the Methodology.
BIG_MOVE = 3


def without_pillar(spec: ScoringSpec, pillar: str) -> ScoringSpec:
    """``spec`` with ``pillar``'s weight set to 0."""
    return spec.model_copy(update={"pillar_weights": {**spec.pillar_weights, pillar: 0.0}})


def rank_shift(model: Model, pillar: str, years: Iterable[int], spec: ScoringSpec | None = None) -> pd.DataFrame:
    """Per state and year: rank and score without and with ``pillar``, and the move.

    Columns ``iso3, country, year, rank_without, rank_with, score_without, score_with, move``; ``move`` is
    ``rank_without - rank_with`` (positive = closer to Moscow with the pillar, rank 1 being the closest).
    """
    spec = (spec or ScoringSpec()).model_copy(update={"years": tuple(years)})
    cols = ["iso3", "country", "year", "rank", "score"]
    w = model.score(without_pillar(spec, pillar)).table[cols]
    a = model.score(spec).table[cols]
    out = w.merge(a, on=["iso3", "country", "year"], suffixes=("_without", "_with"))
    out["move"] = out["rank_without"] - out["rank_with"]
    return out.sort_values(["year", "rank_with", "iso3"]).reset_index(drop=True)


def raw_values(model: Model, indicator: str) -> pd.Series:
    """The raw values of one indicator, indexed by (iso3, year); missing values are left out."""
    k = model.indicators.index(indicator)
    idx = pd.MultiIndex.from_product([model.years, model.countries], names=["year", "iso3"])
    s = pd.Series(model.raw[:, :, k].ravel(), index=idx).dropna()
    return s.reorder_levels(["iso3", "year"]).sort_index()


def ordered_against(
    model: Model, indicator: str, low: float, high: float, years: Iterable[int], spec: ScoringSpec | None = None
) -> pd.DataFrame:
    """Pairs in which a state at ``indicator`` = ``low`` ranks closer to Moscow than one at ``high``.

    One row per (year, state at ``low``, state at ``high``) with both ranks and, per pillar, the first
    state's sub-score minus the second's (``gap_<pillar>``; positive = the first is closer to Moscow there).
    """
    spec = (spec or ScoringSpec()).model_copy(update={"years": tuple(years)})
    t = model.score(spec).table
    pillars = [c for c in t.columns if c.startswith("pillar_")]
    t = t.merge(raw_values(model, indicator).rename("level"), left_on=["iso3", "year"], right_index=True, how="left")
    rows = []
    for year, g in t.groupby("year"):
        lows, highs = g[g["level"] == low], g[g["level"] == high]
        for a in lows.itertuples():
            for b in highs.itertuples():
                if pd.notna(a.rank) and pd.notna(b.rank) and a.rank < b.rank:
                    row = {"year": year, "iso3": a.iso3, "country": a.country, "rank": a.rank}
                    row |= {"other": b.iso3, "other_country": b.country, "other_rank": b.rank}
                    row |= {f"gap_{p.removeprefix('pillar_')}": getattr(a, p) - getattr(b, p) for p in pillars}
                    rows.append(row)
    return pd.DataFrame(rows)
