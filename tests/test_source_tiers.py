"""Source tiers: the host table, tiering at build time, and the loader's refusal rules."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from indicators import DataError, load_panel
from indicators.build import apply_tier_rules, tier_sources
from indicators.loader import DATA_DIR
from indicators.schema import INTERESTED_PARTY_MARK, TIERS, Source
from indicators.tiers import TIER_TABLE, UnknownHostError, best_tier, tier_of, tier_table, value_tier_problem

TABLE = {"europa.eu": ("official", "x"), "eeas.europa.eu": ("press", "y"), "tass.com": ("interested-party", "z")}


def test_longest_matching_suffix_wins_and_www_is_ignored():
    assert tier_of("https://ec.europa.eu/eurostat", TABLE) == "official"
    assert tier_of("https://www.eeas.europa.eu/node/1", TABLE) == "press"
    assert tier_of("http://tass.com/world/1", TABLE) == "interested-party"


def test_suffix_matches_whole_labels_only():
    with pytest.raises(UnknownHostError, match="notass.com"):
        tier_of("https://notass.com/a", TABLE)


def test_unknown_host_is_a_build_error_naming_every_host():
    src = {
        "a": Source(
            source_id="a",
            producer="Pr",
            title="Ti",
            url="https://unknown-one.example/x",
            figure_year="2020",
            accessed="2026-01-01",
        ),
        "b": Source(
            source_id="b",
            producer="Pr",
            title="Ti",
            url="https://unknown-two.example/y",
            figure_year="2020",
            accessed="2026-01-01",
        ),
    }
    with pytest.raises(UnknownHostError, match=r"unknown-one\.example.*unknown-two\.example"):
        tier_sources(src)


def test_tier_table_is_valid_data():
    df = pd.read_csv(TIER_TABLE, dtype=str, keep_default_na=False)
    assert list(df.columns) == ["host_suffix", "tier", "reason"]
    assert set(df["tier"]) <= set(TIERS) and (df["reason"].str.len() > 10).all()
    assert not df["host_suffix"].duplicated().any()
    # the official hosts the bulk-data branches cite are classified
    for host in (
        "imf.org",
        "sipri.org",
        "worldbank.org",
        "ec.europa.eu",
        "digitallibrary.un.org",
        "armstat.am",
        "stat.gov.kz",
        "stat.kg",
        "stat.uz",
        "geostat.ge",
        "customs.gov.ru",
        "cba.am",
        "iea.org",
        "trademap.org",
        "wits.worldbank.org",
        "comtrade.un.org",
        "knomad.org",
    ):
        assert tier_of(f"https://{host}/x") == "official", host
    for host, tier in (
        ("blogen.wiki", "unusable"),
        ("en.wikipedia.org", "unusable"),
        ("tass.com", "interested-party"),
        ("news-pravda.com", "unusable"),
        ("rt.com", "interested-party"),
        ("urdupoint.com", "unusable"),
    ):
        assert tier_of(f"https://{host}/x") == tier, host
    assert tier_table()  # cached, non-empty


def test_value_rule():
    assert value_tier_problem(["unusable", "unusable"], "") is not None
    assert value_tier_problem(["unusable", "press"], "") is None
    assert "interested-party" in value_tier_problem(["interested-party"], "note")
    assert value_tier_problem(["interested-party"], f"note {INTERESTED_PARTY_MARK}") is None
    assert value_tier_problem([None], "") is None  # an upload's own sources are not judged
    assert best_tier(["press", "interested-party", "official"]) == "official"


def _srcs(**tiers):
    return {
        k: Source(
            source_id=k,
            producer="Pr",
            title="Ti",
            url="https://x.org/",
            figure_year="2020",
            accessed="2026-01-01",
            tier=t,
        )
        for k, t in tiers.items()
    }


def test_build_drops_unusable_citations_and_marks_interested_party_values():
    s = _srcs(u="unusable", i="interested-party", p="press")
    panel = pd.DataFrame(
        {
            "iso3": ["ARM"] * 3,
            "year": [2020, 2021, 2022],
            "indicator": ["x"] * 3,
            "value": [1.0] * 3,
            "status": ["observed"] * 3,
            "source_ids": ["u", "u;i", "u;p"],
            "note": ["", "n", ""],
        }
    )
    out = apply_tier_rules(panel, s)
    assert list(out["year"]) == [2021, 2022]  # the unusable-only value is gone (missing)
    assert list(out["source_ids"]) == ["i", "p"]
    assert out["note"].iloc[0] == f"n {INTERESTED_PARTY_MARK}" and INTERESTED_PARTY_MARK not in out["note"].iloc[1]


@pytest.fixture
def data_copy(tmp_path) -> Path:
    d = tmp_path / "data"
    shutil.copytree(DATA_DIR, d)
    return d


def _single_source_row(d: Path) -> tuple[int, str]:
    panel = pd.read_csv(d / "panel.csv", dtype=str, keep_default_na=False)
    i = int(panel.index[~panel["source_ids"].str.contains(";")][0])
    return i, panel.at[i, "source_ids"]


def _set_tier(d: Path, source_id: str, tier: str) -> None:
    src = pd.read_csv(d / "sources.csv", dtype=str, keep_default_na=False)
    src.loc[src["source_id"] == source_id, "tier"] = tier
    src.to_csv(d / "sources.csv", index=False, lineterminator="\n")


def test_loader_refuses_a_value_resting_only_on_unusable_sources(data_copy):
    i, sid = _single_source_row(data_copy)
    _set_tier(data_copy, sid, "unusable")
    with pytest.raises(DataError, match=rf"panel.csv, row {i + 2}: .* rests only on unusable sources"):
        load_panel(data_copy, verify=False)


def test_loader_refuses_an_unmarked_interested_party_value(data_copy):
    i, sid = _single_source_row(data_copy)
    panel = pd.read_csv(data_copy / "panel.csv", dtype=str, keep_default_na=False)
    assert INTERESTED_PARTY_MARK not in panel.at[i, "note"]
    _set_tier(data_copy, sid, "interested-party")
    with pytest.raises(DataError, match=rf"row {i + 2}: .* rests only on interested-party sources"):
        load_panel(data_copy, verify=False)


def test_loader_refuses_a_source_without_a_valid_tier(data_copy):
    src = pd.read_csv(data_copy / "sources.csv", dtype=str, keep_default_na=False)
    src.loc[0, "tier"] = "blog"
    src.to_csv(data_copy / "sources.csv", index=False, lineterminator="\n")
    with pytest.raises(DataError, match="sources.csv, row 2: tier"):
        load_panel(data_copy, verify=False)
    src.loc[0, "tier"] = ""
    src.to_csv(data_copy / "sources.csv", index=False, lineterminator="\n")
    with pytest.raises(DataError, match="has no tier"):
        load_panel(data_copy, verify=False)


def test_shipped_panel_passes_and_no_source_is_unusable(shipped):
    panel, _, sources = shipped
    assert all(s.tier in TIERS for s in sources.values())
    # unusable sources are dropped from citations at build time, so none is cited at all
    cited = {x for ids in panel["source_ids"] for x in ids.split(";")}
    assert not [k for k in cited if sources[k].tier == "unusable"]
    ip_only = panel["source_ids"].map(lambda ids: all(sources[x].tier == "interested-party" for x in ids.split(";")))
    assert panel.loc[ip_only, "note"].str.contains(INTERESTED_PARTY_MARK, regex=False).all()
    assert ip_only.any()  # the rule is exercised by the shipped data (e.g. TASS on Uzbekistan's CSTO exit)
