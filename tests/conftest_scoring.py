"""Synthetic panels and catalogues for the scoring tests (no dependency on data/).

Import from the scoring tests: ``from tests.conftest_scoring import ...``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd

from indicators.countries import PANEL_COUNTRIES, YEARS
from indicators.schema import PANEL_COLUMNS, SOURCE_COLUMNS, Indicator

_DEF = "A synthetic indicator used only by the scoring tests; it measures nothing real at all."
_RULE = "Synthetic values drawn by the test fixture."


def make_indicator(
    id: str,
    pillar: str = "security",
    direction: int = 1,
    scale: str = "percent",
    bounds: tuple[float, float] = (0.0, 100.0),
    goalposts: tuple[float, float] | None = None,
    levels: dict[int, str] | None = None,
) -> Indicator:
    return Indicator(
        id=id,
        name=id.replace("_", " ").title(),
        pillar=pillar,
        unit="%" if scale == "percent" else "level",
        direction=direction,
        scale=scale,
        levels=levels,
        bounds=bounds,
        goalposts=goalposts,
        definition=_DEF,
        coding_rule=_RULE,
        source_ids=("synthetic",),
    )


def synthetic_catalog() -> dict[str, Indicator]:
    """12 indicators over the 5 pillars, like the real catalogue: every scale, both directions, some goalposts."""
    inds = [
        make_indicator("csto_membership", "security", 1, "ordinal", (0, 2), levels={0: "no", 1: "frozen", 2: "active"}),
        make_indicator("russian_base", "security", 1, "binary", (0, 1), levels={0: "no", 1: "yes"}),
        make_indicator("arms_share", "security", 1, "percent"),
        make_indicator("eaeu_membership", "economy", 1, "binary", (0, 1), levels={0: "no", 1: "yes"}),
        make_indicator("trade_share", "economy", 1, "percent", goalposts=(0.0, 60.0)),
        make_indicator("remittances", "economy", 1, "percent", bounds=(0.0, 60.0)),
        make_indicator("pipeline_dependence", "energy", 1, "percent"),
        make_indicator("gas_share", "energy", 1, "percent"),
        make_indicator("unga_agreement", "diplomacy", 1, "index", bounds=(0.0, 1.0)),
        make_indicator("eu_agreement", "western_ties", -1, "ordinal", (0, 3), levels={0: "a", 1: "b", 2: "c", 3: "d"}),
        make_indicator("nato_partnership", "western_ties", -1, "binary", (0, 1), levels={0: "no", 1: "yes"}),
        make_indicator("us_aid", "western_ties", -1, "ratio", bounds=(0.0, 50.0)),
    ]
    return {i.id: i for i in inds}


def synthetic_panel(
    catalog: dict[str, Indicator] | None = None,
    seed: int = 1,
    missing: float = 0.15,
    countries: tuple[str, ...] = tuple(PANEL_COUNTRIES),
    years: tuple[int, ...] = YEARS,
    with_rus: bool = True,
) -> pd.DataFrame:
    """A long panel with random values inside each indicator's bounds and a share of missing cells."""
    catalog = catalog or synthetic_catalog()
    rng = np.random.default_rng(seed)
    rows = []
    for ind in catalog.values():
        lo, hi = ind.bounds
        for c in (*countries, *(("RUS",) if with_rus else ())):
            base = rng.uniform(lo, hi)
            for y in years:
                if rng.random() < missing:
                    continue
                if ind.levels:
                    v = float(rng.choice(sorted(ind.levels)))
                else:
                    v = float(np.clip(base + rng.normal(0, (hi - lo) / 10), lo, hi))
                rows.append(
                    {
                        "iso3": c,
                        "year": y,
                        "indicator": ind.id,
                        "value": round(v, 4),
                        "status": "observed",
                        "source_ids": "synthetic",
                        "note": "",
                    }
                )
    return pd.DataFrame(rows, columns=PANEL_COLUMNS)


def write_data_dir(path: Path, catalog: dict[str, Indicator] | None = None, panel: pd.DataFrame | None = None) -> Path:
    """Write catalog.json, panel.csv, sources.csv, events.csv and a MANIFEST like the shipped data/."""
    catalog = catalog or synthetic_catalog()
    panel = panel if panel is not None else synthetic_panel(catalog)
    path.mkdir(parents=True, exist_ok=True)
    (path / "catalog.json").write_text(json.dumps([i.model_dump(mode="json") for i in catalog.values()], indent=1))
    panel.to_csv(path / "panel.csv", index=False)
    src = pd.DataFrame(
        [
            {
                "source_id": "synthetic",
                "producer": "Test fixture",
                "title": "Synthetic data",
                "url": "https://example.org/synthetic",
                "figure_year": "2013-2025",
                "accessed": "2025-01-01",
                "licence": "",
                "quote": "",
                "tier": "official",
            }
        ],
        columns=SOURCE_COLUMNS,
    )
    src.to_csv(path / "sources.csv", index=False)
    (path / "events.csv").write_text("iso3,date,indicator,kind,description,source_id\n")
    lines = [
        f"{hashlib.sha256((path / n).read_bytes()).hexdigest()}  {n}"
        for n in ("catalog.json", "panel.csv", "sources.csv", "events.csv")
    ]
    (path / "MANIFEST.sha256").write_text("\n".join(lines) + "\n")
    return path
