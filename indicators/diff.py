"""What changed between two versions of the data: values, and the scores and ranks that follow.

Usage::

    python -m indicators.diff OLD NEW                 # two data folders (e.g. a saved copy of data/ and data/)
    python -m indicators.diff OLD NEW --tolerance 0.1 # revisions smaller than 0.1 (indicator units) not listed

Both folders must hold a complete, valid set of tables (``panel.csv``, ``catalog.json`` ... and
``MANIFEST.sha256``). The report, in plain text on stdout:

1. the data version of each folder (first 12 hex digits of the SHA-256 of ``MANIFEST.sha256``) and the
   indicators added to or removed from the catalogue;
2. per indicator (catalogue order) and state: values **added** (a state-year that had none),
   **removed**, **revised** (``|new - old| > tolerance``, default :data:`TOLERANCE`, in the indicator's
   unit) and **status** changes of an unrevised value (e.g. estimated -> observed);
3. the **scores and ranks** at the default preset (every default of ``ScoringSpec``, every year) that
   changed: score moved by more than :data:`SCORE_TOLERANCE` points, or rank changed, or a score appeared
   or disappeared; sorted by year then new rank.

Exit status 0 with a report (also when nothing changed), 2 when a folder is missing or invalid.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from indicators.loader import DataError, data_version, load_catalog, load_panel

#: Revisions up to this absolute size (in the indicator's unit) are not listed: below the page's one decimal.
TOLERANCE = 0.01
#: Score moves up to this many points are not listed unless the rank changed (the page shows one decimal).
SCORE_TOLERANCE = 0.05
KEY = ["indicator", "iso3", "year"]


def value_changes(old: pd.DataFrame, new: pd.DataFrame, tolerance: float = TOLERANCE) -> pd.DataFrame:
    """One row per added, removed, revised or status-changed value.

    Columns: indicator, iso3, year, change (added / removed / revised / status), old, new, old_status,
    new_status. Revised: both present and ``|new - old| > tolerance``; status: both present, within the
    tolerance, status differs. Sorted by indicator, iso3, year.
    """
    cols = KEY + ["value", "status"]
    m = old[cols].merge(new[cols], on=KEY, how="outer", suffixes=("_old", "_new"), indicator=True)
    change = np.select(
        [
            m["_merge"] == "right_only",
            m["_merge"] == "left_only",
            (m["value_new"] - m["value_old"]).abs() > tolerance,
            m["status_old"] != m["status_new"],
        ],
        ["added", "removed", "revised", "status"],
        default="",
    )
    m = m.assign(change=change)[lambda d: d["change"] != ""]
    out = m.rename(
        columns={"value_old": "old", "value_new": "new", "status_old": "old_status", "status_new": "new_status"}
    )
    cols = KEY + ["change", "old", "new", "old_status", "new_status"]
    return out[cols].sort_values(KEY).reset_index(drop=True)


def default_scores(data_dir: Path) -> pd.DataFrame:
    """iso3, country, year, score, rank of every state and year at the default preset."""
    from scoring.model import Model
    from scoring.spec import ScoringSpec

    model = Model.from_panel(load_panel(data_dir), load_catalog(data_dir))
    return model.score(ScoringSpec(years=None)).table[["iso3", "country", "year", "score", "rank"]]


def score_changes(old: pd.DataFrame, new: pd.DataFrame, tolerance: float = SCORE_TOLERANCE) -> pd.DataFrame:
    """The (state, year) rows whose default score moved by more than ``tolerance``, or whose rank changed.

    Columns: iso3, country, year, score_old, score_new, rank_old, rank_new (NaN / <NA> where unscored).
    """
    m = old.merge(new, on=["iso3", "year"], how="outer", suffixes=("_old", "_new"))
    m["country"] = m["country_new"].fillna(m["country_old"])
    s0, s1 = m["score_old"], m["score_new"]
    moved = (s1 - s0).abs() > tolerance
    appeared = s0.isna() != s1.isna()
    r0, r1 = m["rank_old"].astype("Int64"), m["rank_new"].astype("Int64")
    reranked = (r0.fillna(-1) != r1.fillna(-1)).astype(bool)
    out = m[moved | appeared | reranked]
    out = out.sort_values(["year", "rank_new", "iso3"], na_position="last")
    return out[["iso3", "country", "year", "score_old", "score_new", "rank_old", "rank_new"]].reset_index(drop=True)


def _num(v: float) -> str:
    return "-" if pd.isna(v) else f"{v:.4g}" if abs(v) >= 1000 else f"{v:.2f}".rstrip("0").rstrip(".")


def _value_line(r) -> str:
    where = f"{r.iso3} {r.year}"
    if r.change == "added":
        return f"  added    {where}  {_num(r.new)} ({r.new_status})"
    if r.change == "removed":
        return f"  removed  {where}  was {_num(r.old)} ({r.old_status})"
    status = "" if r.old_status == r.new_status else f"; {r.old_status} -> {r.new_status}"
    if r.change == "revised":
        return f"  revised  {where}  {_num(r.old)} -> {_num(r.new)} ({r.new - r.old:+.2f}{status})"
    return f"  status   {where}  {_num(r.new)}: {r.old_status} -> {r.new_status}"


def _rank(v) -> str:
    return "-" if pd.isna(v) else str(int(v))


def report(old_dir: Path, new_dir: Path, tolerance: float = TOLERANCE) -> str:
    """The readable report described in the module docstring."""
    cat_old, cat_new = load_catalog(old_dir), load_catalog(new_dir)
    changes = value_changes(load_panel(old_dir), load_panel(new_dir), tolerance)
    scores = score_changes(default_scores(old_dir), default_scores(new_dir))
    counts = changes["change"].value_counts()
    lines = [
        f"Data change: {old_dir} (version {data_version(old_dir)}) -> {new_dir} (version {data_version(new_dir)})",
    ]
    for label, ids in (("added", cat_new.keys() - cat_old.keys()), ("removed", cat_old.keys() - cat_new.keys())):
        if ids:
            lines.append(f"Indicators {label}: {', '.join(sorted(ids))}")
    summary = ", ".join(f"{counts.get(k, 0)} {k}" for k in ("added", "removed", "revised"))
    lines += [
        f"Values: {summary} (beyond {tolerance:g} in the indicator's unit), {counts.get('status', 0)} status changes",
        "",
    ]
    order = {k: i for i, k in enumerate([*cat_new, *[k for k in cat_old if k not in cat_new]])}
    for ind, part in sorted(changes.groupby("indicator"), key=lambda kv: order.get(kv[0], len(order))):
        meta = cat_new.get(ind) or cat_old[ind]
        lines.append(f"{ind}: {meta.name} ({meta.unit}), {len(part)} changes")
        lines += [_value_line(r) for r in part.itertuples()]
        lines.append("")
    if changes.empty:
        lines += ["No value changed.", ""]
    lines.append(
        f"Scores and ranks at the default preset: {len(scores)} state-years changed "
        f"(score moved by more than {SCORE_TOLERANCE:g} points or rank changed)"
    )
    if not scores.empty:
        lines.append(f"  {'year':<5} {'state':<14} {'score old -> new':<24} rank old -> new")
        for r in scores.itertuples():
            delta = "" if pd.isna(r.score_old) or pd.isna(r.score_new) else f" ({r.score_new - r.score_old:+.1f})"
            move = f"{_num(r.score_old)} -> {_num(r.score_new)}{delta}"
            lines.append(f"  {r.year:<5} {r.country:<14} {move:<24} {_rank(r.rank_old)} -> {_rank(r.rank_new)}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m indicators.diff", description=__doc__.split("\n\n")[0])
    ap.add_argument("old", type=Path, help="data folder of the earlier version")
    ap.add_argument("new", type=Path, help="data folder of the later version")
    ap.add_argument("--tolerance", type=float, default=TOLERANCE, help=f"revision threshold (default {TOLERANCE})")
    a = ap.parse_args(argv)
    for d in (a.old, a.new):
        if not (d / "panel.csv").is_file():
            print(f"error: {d} holds no panel.csv", file=sys.stderr)
            return 2
    try:
        text = report(a.old, a.new, a.tolerance)
    except DataError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
