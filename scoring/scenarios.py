"""What-if scenarios: cited edits to the panel, and their effect on scores and ranks.

A :class:`Scenario` is a list of value edits with a name, a description (which states
any assumption behind the numbers) and a citation. :func:`apply_scenario` returns a
new panel (the input is never mutated); :func:`compare_scenario` scores before and after.
Example scenarios live as JSON in ``scoring/scenarios/`` (:func:`load_example_scenarios`).

Note: normalisation is over the whole panel, so an edit that moves an indicator's
minimum or maximum (min-max), mean/sd (z-score) or ranks (percentile) shifts other
countries' normalised values too; ``compare_scenario`` shows those knock-on changes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError

from indicators.countries import PANEL_COUNTRIES, YEARS
from indicators.schema import Indicator
from scoring.model import Model
from scoring.spec import ScoringSpec
from scoring.untrusted import UntrustedInputError, load_json

SCENARIO_DIR = Path(__file__).resolve().parent / "scenarios"
#: Status and source id written on edited rows.
SCENARIO_STATUS = "estimated"
SCENARIO_SOURCE = "scenario"


class ScenarioError(ValueError):
    """A scenario is malformed or does not fit the catalogue; the message names the problem."""


class Citation(BaseModel):
    """Where the scenario comes from: the source in words (outlet, author, date) and a URL."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    source: str = Field(min_length=5)
    url: HttpUrl
    quote: str = ""


class Edit(BaseModel):
    """Set ``indicator`` of ``iso3`` in ``year`` to ``value`` (raw units of the indicator)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    iso3: str
    year: int
    indicator: str
    value: float


class Scenario(BaseModel):
    """A named set of edits to the panel. Shipped examples must carry a citation; one made
    up in the page may leave it out (``citation=None``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str = Field(min_length=1)
    description: str = ""
    citation: Citation | None = None
    edits: tuple[Edit, ...] = Field(min_length=1)

    def check(self, catalog: Mapping[str, Indicator]) -> Scenario:
        """Raise :class:`ScenarioError` unless every edit names a panel country, a panel year, a
        catalogue indicator and a value inside its bounds (and one of its levels if it has levels)."""
        for n, e in enumerate(self.edits, start=1):
            where = f"scenario {self.name!r}, edit {n}"
            if e.iso3 not in PANEL_COUNTRIES:
                raise ScenarioError(f"{where}: unknown iso3 {e.iso3!r}; valid codes: {', '.join(PANEL_COUNTRIES)}")
            if e.year not in YEARS:
                raise ScenarioError(f"{where}: year {e.year} is outside the panel {YEARS[0]}-{YEARS[-1]}")
            if e.indicator not in catalog:
                raise ScenarioError(f"{where}: unknown indicator {e.indicator!r}; valid ids: {', '.join(catalog)}")
            ind = catalog[e.indicator]
            lo, hi = ind.bounds
            if not lo <= e.value <= hi:
                raise ScenarioError(f"{where}: value {e.value} of {e.indicator} is outside its bounds {lo:g}..{hi:g}")
            if ind.levels and e.value not in ind.levels:
                raise ScenarioError(
                    f"{where}: value {e.value} of {e.indicator} is not one of its levels {sorted(ind.levels)}"
                )
        return self

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str, catalog: Mapping[str, Indicator] | None = None) -> Scenario:
        """Parse and (with ``catalog``) check a scenario; :class:`ScenarioError` names the problem."""
        try:
            data = load_json(text)
        except UntrustedInputError as e:
            raise ScenarioError(f"scenario is {e}" if str(e).startswith("not ") else f"scenario: {e}") from None
        try:
            sc = cls.model_validate(data)
        except ValidationError as e:
            err = e.errors()[0]
            loc = ".".join(str(p) for p in err["loc"]) or "scenario"
            raise ScenarioError(f"scenario field {loc}: {err['msg']}") from None
        return sc.check(catalog) if catalog is not None else sc


def load_example_scenarios(catalog: Mapping[str, Indicator] | None = None) -> dict[str, Scenario]:
    """The shipped example scenarios (``scoring/scenarios/*.json``), name -> Scenario, sorted by file name."""
    out = {}
    for p in sorted(SCENARIO_DIR.glob("*.json")):
        try:
            sc = Scenario.from_json(p.read_text(encoding="utf-8"), catalog)
        except ScenarioError as e:
            raise ScenarioError(f"{p.name}: {e}") from None
        if sc.citation is None:
            raise ScenarioError(f"{p.name}: a shipped scenario needs a citation (source and url)")
        out[sc.name] = sc
    return out


def apply_scenario(panel: pd.DataFrame, scenario: Scenario, catalog: Mapping[str, Indicator]) -> pd.DataFrame:
    """A copy of ``panel`` with the scenario's edits applied (the input is never mutated).

    An existing (iso3, year, indicator) row gets the new value; a missing one is added.
    Edited rows get status ``estimated``, source id ``scenario`` and a note naming the scenario.
    """
    scenario.check(catalog)
    out = panel.copy()
    key = out["iso3"].astype(str) + "|" + out["year"].astype(int).astype(str) + "|" + out["indicator"].astype(str)
    new_rows = []
    for e in scenario.edits:
        m = (key == f"{e.iso3}|{e.year}|{e.indicator}").to_numpy()
        note = f"scenario: {scenario.name}"
        if m.any():
            out.loc[m, "value"] = float(e.value)
            for col, v in (("status", SCENARIO_STATUS), ("source_ids", SCENARIO_SOURCE), ("note", note)):
                if col in out.columns:
                    out.loc[m, col] = v
        else:
            row = {"iso3": e.iso3, "year": e.year, "indicator": e.indicator, "value": float(e.value)}
            row |= {"status": SCENARIO_STATUS, "source_ids": SCENARIO_SOURCE, "note": note}
            new_rows.append({k: v for k, v in row.items() if k in out.columns})
    if new_rows:
        out = pd.concat([out, pd.DataFrame(new_rows)], ignore_index=True)
    return out


def compare_scenario(
    panel: pd.DataFrame,
    catalog: Mapping[str, Indicator],
    scenario: Scenario,
    spec: ScoringSpec,
    before: Model | None = None,
) -> pd.DataFrame:
    """Scores and ranks before and after the scenario for the spec's years (all years if None).

    Columns: iso3, country, year, score_before, score_after, score_change, rank_before,
    rank_after, rank_change (negative = moves toward rank 1, closer to Moscow). Pass
    ``before`` (a Model of ``panel``) to reuse its cached normalisation.
    """
    m0 = before if before is not None else Model.from_panel(panel, catalog)
    m1 = Model.from_panel(apply_scenario(panel, scenario, catalog), catalog, m0.countries, m0.years)
    r0, r1 = m0.score(spec), m1.score(spec)
    t0, t1 = r0.table, r1.table
    rank0 = t0["rank"].astype("Float64")
    rank1 = t1["rank"].astype("Float64")
    return pd.DataFrame(
        {
            "iso3": t0["iso3"],
            "country": t0["country"],
            "year": t0["year"],
            "score_before": t0["score"],
            "score_after": t1["score"],
            "score_change": t1["score"] - t0["score"],
            "rank_before": t0["rank"],
            "rank_after": t1["rank"],
            "rank_change": (rank1 - rank0).astype("Int64"),
        }
    ).reset_index(drop=True)


def changed(comparison: pd.DataFrame, tol: float = 1e-9) -> pd.DataFrame:
    """Rows of a :func:`compare_scenario` table whose score or rank changed."""
    ds = comparison["score_change"].to_numpy(dtype=float)
    mask = (np.abs(np.nan_to_num(ds)) > tol) | (
        np.isnan(ds) != np.isnan(comparison["score_before"].to_numpy(dtype=float))
    )
    mask |= comparison["rank_change"].fillna(0).to_numpy() != 0
    return comparison[mask].reset_index(drop=True)
