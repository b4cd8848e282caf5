"""``python -m indicators``: print the coverage table (indicator x year).

Each cell is the share of the panel states with an *observed* value; a second table
counts every value (observed, estimated, imputed, carried forward). ``--check`` only
validates the shipped tables (checksums, schema) and exits 0/1. ``--tiers`` prints the
number of values per source tier (a value counts under the best tier among its sources).
"""

from __future__ import annotations

import sys

import pandas as pd

from indicators.args import OneLineParser, UsageError, fail
from indicators.countries import PANEL_COUNTRIES, YEARS
from indicators.loader import DataError, load_catalog, load_events, load_panel, load_sources
from indicators.schema import TIERS
from indicators.tiers import best_tier


def tier_counts(panel: pd.DataFrame, sources: dict) -> pd.Series:
    """Number of values per tier: each value under the best (most trustworthy) tier among its sources."""
    best = panel["source_ids"].map(lambda ids: best_tier([sources[x].tier for x in ids.split(";")]))
    return best.value_counts().reindex(list(TIERS), fill_value=0)


def coverage_table(panel: pd.DataFrame, catalog: dict, observed_only: bool = True) -> pd.DataFrame:
    """Share (0-1) of the panel states with a value, per indicator (rows, catalogue order) and year."""
    p = panel[panel["iso3"].isin(list(PANEL_COUNTRIES))]
    if observed_only:
        p = p[p["status"] == "observed"]
    counts = p.groupby(["indicator", "year"]).size().unstack("year")
    counts = counts.reindex(index=list(catalog), columns=list(YEARS)).fillna(0)
    return counts / len(PANEL_COUNTRIES)


def main(argv: list[str] | None = None) -> int:
    ap = OneLineParser(prog="python -m indicators", description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="validate the shipped tables and exit")
    ap.add_argument("--tiers", action="store_true", help="print the number of values per source tier and exit")
    try:
        a = ap.parse_args(argv)
    except UsageError as e:
        return fail(e)
    try:
        panel, catalog = load_panel(), load_catalog()
        events = load_events()
    except DataError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    if a.tiers:
        counts = tier_counts(panel, load_sources())
        only_ip = panel["note"].str.contains("[interested-party sources only]", regex=False).sum()
        print("Values per source tier (best tier among each value's sources):")
        for t, n in counts.items():
            print(f"  {t:<17} {n:>5}")
        print(f"  {'total':<17} {int(counts.sum()):>5}   ({only_ip} rest only on interested-party sources, flagged)")
        return 0
    if a.check:
        print(f"data OK: {len(catalog)} indicators, {len(panel)} values, {len(events)} events")
        return 0
    pd.set_option("display.width", 200)
    for title, obs in (("observed values", True), ("all values (incl. estimated/imputed/carried forward)", False)):
        t = (coverage_table(panel, catalog, obs) * 100).round().astype(int)
        t.columns = [str(c)[2:] for c in t.columns]
        print(f"\nCoverage, % of the {len(PANEL_COUNTRIES)} states with {title}:\n")
        print(t.to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
