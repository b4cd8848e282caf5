"""``python -m indicators.diff``: the values and the default scores that changed between two data folders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from indicators import diff
from indicators.loader import DATA_DIR, MANIFEST, TABLES, file_sha256, load_catalog, load_panel
from scoring.model import Model
from scoring.spec import ScoringSpec


def _rewrite(folder: Path, panel: pd.DataFrame) -> None:
    panel.to_csv(folder / "panel.csv", index=False, lineterminator="\n")
    lines = [f"{file_sha256(folder / t)}  {t}" for t in TABLES if (folder / t).exists()]
    (folder / MANIFEST).write_text("\n".join(lines) + "\n")


def _row(p: pd.DataFrame, indicator: str, status: str = "observed", n: int = 0):
    """The n-th value of an indicator with that status strictly inside the indicator's range."""
    vals = p.loc[p["indicator"] == indicator, "value"].astype(float)
    inside = p[(p["indicator"] == indicator) & (p["status"] == status)]
    inside = inside[(inside["value"].astype(float) > vals.min()) & (inside["value"].astype(float) < vals.max())]
    return inside.index[n]


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    """OLD = the shipped data with four edits; NEW = the shipped data."""
    old = tmp_path_factory.mktemp("old") / "data"
    shutil.copytree(DATA_DIR, old)
    p = pd.read_csv(old / "panel.csv", dtype=str, keep_default_na=False)
    edits = {}
    revised = _row(p, "trade_share_russia", n=3)
    p.loc[revised, "value"] = f"{float(p.loc[revised, 'value']) - 2.5:.4f}"
    edits["revised"] = p.loc[revised]
    tiny = _row(p, "trade_share_russia", n=7)
    p.loc[tiny, "value"] = f"{float(p.loc[tiny, 'value']) + 0.005:.4f}"
    edits["tiny"] = p.loc[tiny]
    status = _row(p, "trade_share_russia", n=5)
    p.loc[status, "status"] = "estimated"
    edits["status"] = p.loc[status]
    removed = _row(p, "arms_imports_russia", n=1)
    edits["added"] = p.loc[removed]  # absent from OLD -> added in NEW
    have = set(zip(p["indicator"], p["iso3"], p["year"], strict=True))
    ind = p.loc[removed, "indicator"]
    gap = next((i, y) for i in sorted(set(p["iso3"])) for y in sorted(set(p["year"])) if (ind, i, y) not in have)
    extra = p.loc[[removed]].assign(iso3=gap[0], year=gap[1])  # a state-year NEW does not have -> removed
    p = pd.concat([p.drop(index=removed), extra])
    edits["removed"] = extra.iloc[0]
    _rewrite(old, p)
    return old, DATA_DIR, edits


def test_value_changes_lists_added_removed_revised_and_status(versions):
    old, new, e = versions
    ch = diff.value_changes(load_panel(old), load_panel(new))
    got = {(r.indicator, r.iso3, int(r.year)): r.change for r in ch.itertuples()}
    want = {(e[k]["indicator"], e[k]["iso3"], int(e[k]["year"])): k for k in ("added", "removed", "revised", "status")}
    assert got == want  # the 0.005 revision is within the tolerance
    r = ch[ch["change"] == "revised"].iloc[0]
    assert r["new"] - r["old"] == pytest.approx(2.5, abs=1e-4)


def test_identical_folders_report_no_change(tmp_path):
    text = diff.report(DATA_DIR, DATA_DIR)
    assert "Values: 0 added, 0 removed, 0 revised" in text and "No value changed." in text
    assert "0 state-years changed" in text


def test_report_names_each_change_and_the_scores_that_follow(versions, capsys):
    old, new, e = versions
    assert diff.main([str(old), str(new)]) == 0
    text = capsys.readouterr().out
    cat = load_catalog(new)
    for kind in ("added", "removed", "revised", "status"):
        r = e[kind]
        assert f"{kind:<8} {r['iso3']} {r['year']}" in text, kind
        assert f"{r['indicator']}: {cat[r['indicator']].name}" in text
    assert f"{e['tiny']['iso3']} {e['tiny']['year']}" not in text.split("Scores and ranks")[0]
    # Every state-year whose default score moved appears, with the score the model gives each version.
    spec = ScoringSpec(years=None)
    s_old = Model.from_panel(load_panel(old), load_catalog(old)).score(spec).table
    s_new = Model.from_panel(load_panel(new), load_catalog(new)).score(spec).table
    m = s_old.merge(s_new, on=["iso3", "year"], suffixes=("_o", "_n"))
    moved = m[(m["score_n"] - m["score_o"]).abs() > diff.SCORE_TOLERANCE]
    assert len(moved) > 0
    section = text.split("Scores and ranks")[1]
    for r in moved.itertuples():
        assert f"{r.year:<5} {r.country_n:<14}" in section
        assert f"-> {diff._num(r.score_n)}" in section


def test_missing_folder_is_refused(tmp_path, capsys):
    assert diff.main([str(tmp_path / "nowhere"), str(DATA_DIR)]) == 2
    assert "holds no panel.csv" in capsys.readouterr().err
