"""What every view of the page needs, computed once per rerun by ``dashboard.py``.

A :class:`ViewContext` bundles the (possibly user-extended) data, the model, the
parsed page state and the scores for the chosen spec, plus the small table helpers
that several views share. It holds no Streamlit calls, so it can be built in tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

import scoring
from indicators.countries import PANEL_COUNTRIES
from indicators.tiers import best_tier
from scoring.spec import FILLING_POLICIES
from ui.state import PageConfig, UIState

#: Superscript marks for values that are not observed (tables and labels).
STATUS_MARK = {"observed": "", "estimated": "ᵉ", "imputed": "ⁱ", "carried_forward": "ᶜ"}
#: Mark for a value resting only on interested-party sources (README "Source tiers").
IP_MARK = "‡"
LEGEND = (
    "† inputs missing from the data and imputed by the missing-data model (or carried forward, as the "
    "policy says) · ° inputs missing and left out · * inputs estimated, interpolated or carried forward when "
    "the data were built · in tables: ᵉ estimated · ⁱ interpolated between sourced years · ᶜ carried forward · "
    "‡ rests only on interested-party sources (state media or a government with a stake: that government's "
    "own statement)"
)


def format_value(ind, v: float) -> str:
    """A raw value as readers read it: levels by their label, other values to one decimal, with the unit."""
    label = ind.level_label(v)
    if label:
        return f"{v:.0f} ({label})"
    return f"{v:,.1f} {ind.unit}"


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

    @cached_property  # views read these several times per run: computed once
    def year_spec(self) -> scoring.ScoringSpec:
        return self.spec.replace(years=(self.year,))

    @cached_property
    def version(self) -> str:
        """The data version shown in source lines (the shipped tables' tag, marked when an upload joins)."""
        from indicators.loader import data_version

        return data_version() + ("" if self.model_key == "shipped" else " + your upload")

    @cached_property
    def chart_subtitle(self) -> str:
        """The subtitle drawn into exported chart images: the year and the weights (as the live ranking's)."""
        from indicators.schema import PILLARS

        pil = ", ".join(
            f"{p.replace('_', ' ').capitalize()} {self.state.pillar_weights.get(p, 1.0):g}" for p in PILLARS
        )
        moved = [(k, w) for k, w in self.state.weights.items() if w != 1.0 and k in self.catalog]
        ind = ", ".join(f"{self.catalog[k].name} {w:g}" for k, w in moved) if moved else "all 1"
        return f"Year {self.year}. Pillar weights: {pil}. Indicator weights: {ind}."

    @cached_property
    def year_table(self) -> pd.DataFrame:
        return self.result.for_year(self.year)

    def finding(self) -> str:
        """One sentence stating what the year's ranking shows (the charts' text alternative)."""
        t = self.year_table.dropna(subset=["score"])
        if t.empty:
            return f"No state has enough data for a score in {self.year}."
        top, bottom = t.iloc[0], t.iloc[-1]
        return (
            f"In {self.year}, {top['country']} is closest to Moscow ({top['score']:.1f} of 100) and "
            f"{bottom['country']} farthest ({bottom['score']:.1f}); {len(t)} of {len(PANEL_COUNTRIES)} states have a score."
        )

    def source_links(self, ids: str) -> str:
        return " ".join(str(self.sources[i].url) for i in ids.split(";") if i in self.sources)

    def value_tier(self, ids: str) -> str:
        """Best tier among the sources of one value (``source_ids`` as in the panel)."""
        return best_tier([getattr(self.sources.get(i), "tier", None) for i in ids.split(";")]) or "your upload"

    def interested_only(self, ids: str) -> bool:
        """True if every source of the value is ``interested-party``."""
        tiers = [getattr(self.sources.get(i), "tier", None) for i in ids.split(";")]
        return bool(tiers) and all(t == "interested-party" for t in tiers)

    def raw_value_table(self, isos: list[str], y: int) -> pd.DataFrame:
        """Indicator × country table of raw values with unit, status and source for the compare view."""
        p = self.panel[(self.panel["year"] == y) & self.panel["iso3"].isin(isos)].set_index(["indicator", "iso3"])
        rows = []
        for ind in self.catalog.values():
            row = {"indicator": ind.name, "unit": ind.unit, "points": "↑ to Moscow" if ind.direction == 1 else "↓ away"}
            for iso in isos:
                if (ind.id, iso) in p.index:
                    r = p.loc[(ind.id, iso)]
                    ip = IP_MARK if self.interested_only(r["source_ids"]) else ""
                    row[PANEL_COUNTRIES[iso]] = format_value(ind, r["value"]) + STATUS_MARK[r["status"]] + ip
                    row[f"source: {iso}"] = self.source_links(r["source_ids"]).split(" ")[0]
                else:  # no value in the data: the filling policies impute it for the score (†)
                    filled = self.spec.missing in FILLING_POLICIES
                    row[PANEL_COUNTRIES[iso]] = "missing, imputed by the model †" if filled else "missing"
                    row[f"source: {iso}"] = None
            rows.append(row)
        return pd.DataFrame(rows)
