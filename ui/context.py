"""What every view of the page needs, computed once per rerun by ``dashboard.py``.

A :class:`ViewContext` bundles the (possibly user-extended) data, the model, the
parsed page state and the scores for the chosen spec, plus the small table helpers
that several views share. It holds no Streamlit calls, so it can be built in tests.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

import scoring
from indicators.countries import PANEL_COUNTRIES
from indicators.schema import PILLARS
from ui.state import PageConfig, UIState

#: Superscript marks for values that are not observed (tables and labels).
STATUS_MARK = {"observed": "", "estimated": "ᵉ", "imputed": "ⁱ", "carried_forward": "ᶜ"}
LEGEND = (
    "† inputs estimated, imputed or carried forward · ° inputs missing (the missing-data policy decides what "
    "happens) · in tables: ᵉ estimated · ⁱ imputed · ᶜ carried forward"
)


@dataclass(frozen=True)
class ViewContext:
    panel: pd.DataFrame
    catalog: dict
    sources: dict
    events: pd.DataFrame
    model: scoring.Model
    model_key: str  # part of every cache key, so one session's upload never feeds another's results
    examples: dict
    page: PageConfig
    state: UIState
    spec: scoring.ScoringSpec
    result: scoring.ScoreResult

    @property
    def year(self) -> int:
        return self.state.year

    @property
    def year_spec(self) -> scoring.ScoringSpec:
        return self.spec.replace(years=(self.year,))

    @property
    def year_table(self) -> pd.DataFrame:
        return self.result.for_year(self.year)

    def country_flags(self, y: int) -> dict[str, str]:
        """iso3 -> how many weighted inputs are not observed (†) or missing (°) in year ``y``."""
        used = [k for k, w in self.result.weights.items() if w > 0]
        p = self.panel[(self.panel["year"] == y) & self.panel["indicator"].isin(used)]
        flags = {}
        for iso in PANEL_COUNTRIES:
            rows = p[p["iso3"] == iso]
            parts = []
            if n := int((rows["status"] != "observed").sum()):
                parts.append(f"{n}†")
            if m := len(used) - len(rows):
                parts.append(f"{m}°")
            flags[iso] = " ".join(parts)
        return flags

    def contribution_parts(self, by: str) -> list[tuple[str, str, str, str]]:
        """(column, label, pillar, hover) for each bar segment when splitting by pillar or by indicator."""
        if by == "pillar":
            return [
                (f"__pillar_{p}", p.replace("_", " "), p, PILLARS[p])
                for p in PILLARS
                if any(i.pillar == p for i in self.catalog.values())
            ]
        return [
            (f"contrib_{i.id}", i.name, i.pillar, f"{'↑' if i.direction == 1 else '↓'} {i.unit}")
            for i in self.catalog.values()
        ]

    def with_pillar_contribs(self, t: pd.DataFrame) -> pd.DataFrame:
        """``t`` with one ``__pillar_<p>`` column per pillar: the sum of its indicators' contributions."""
        t = t.copy()
        for p in PILLARS:
            cols = [f"contrib_{i.id}" for i in self.catalog.values() if i.pillar == p and f"contrib_{i.id}" in t]
            t[f"__pillar_{p}"] = t[cols].sum(axis=1, min_count=1) if cols else 0.0
        return t

    def source_links(self, ids: str) -> str:
        return " ".join(str(self.sources[i].url) for i in ids.split(";") if i in self.sources)

    def raw_value_table(self, isos: list[str], y: int) -> pd.DataFrame:
        """Indicator × country table of raw values with unit, status and source for the compare view."""
        p = self.panel[(self.panel["year"] == y) & self.panel["iso3"].isin(isos)].set_index(["indicator", "iso3"])
        rows = []
        for ind in self.catalog.values():
            row = {"indicator": ind.name, "unit": ind.unit, "points": "↑ to Moscow" if ind.direction == 1 else "↓ away"}
            for iso in isos:
                if (ind.id, iso) in p.index:
                    r = p.loc[(ind.id, iso)]
                    label = ind.level_label(r["value"])
                    v = f"{r['value']:g}" + (f" ({label})" if label else "")
                    row[PANEL_COUNTRIES[iso]] = v + STATUS_MARK[r["status"]]
                    row[f"source: {iso}"] = self.source_links(r["source_ids"]).split(" ")[0]
                else:
                    row[PANEL_COUNTRIES[iso]] = "missing"
                    row[f"source: {iso}"] = None
            rows.append(row)
        return pd.DataFrame(rows)
