"""The shipped tables: metadata, sources, plausibility, rebuild, and loader errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from indicators import DataError, load_catalog, load_panel
from indicators.build import run_all, write_tables
from indicators.countries import PANEL_COUNTRIES, YEARS
from indicators.loader import DATA_DIR, TABLES, verify_manifest

REQUIRED = [
    "csto_membership",
    "eaeu_membership",
    "trade_share_russia",
    "pipeline_dependence",
    "western_engagement",
    "unga_alignment",
]


def test_every_indicator_has_valid_metadata_and_cited_sources(shipped):
    panel, catalog, sources = shipped
    assert set(REQUIRED) <= set(catalog)
    for ind in catalog.values():
        assert ind.source_ids, f"{ind.id} cites no source"
        for s in ind.source_ids:
            assert s in sources, f"{ind.id} cites unknown source {s}"
    for ids in panel["source_ids"]:
        assert ids and all(i in sources for i in ids.split(";"))


def test_every_source_has_producer_title_url_year_and_access_date(shipped):
    _, _, sources = shipped
    for s in sources.values():
        assert s.producer and s.title and str(s.url).startswith("http") and s.figure_year and s.accessed


def test_panel_countries_years_and_ranges(shipped):
    panel, catalog, _ = shipped
    assert set(panel["iso3"]) <= set(PANEL_COUNTRIES) | {"RUS"}
    assert panel["year"].between(YEARS[0], YEARS[-1]).all()
    for ind_id, g in panel.groupby("indicator"):
        lo, hi = catalog[ind_id].bounds
        assert g["value"].between(lo, hi).all(), ind_id
    assert not panel.duplicated(["iso3", "year", "indicator"]).any()


#: States without any sourced trade share near 2024 (see README "Known gaps"). Listed so that a
#: regression, or a new source that closes a gap, makes this test (and the README) change.
# KGZ 2024 rested only on copies of other outlets (open.kg, vch.ru), which the tier rule drops.
# AZE, KAZ and UKR energy 2024 rested only on copies (UrduPoint/Sputnik, MENAFN), likewise dropped.
KNOWN_GAPS_2024 = {"trade_share_russia": {"TKM"}, "pipeline_dependence": {"AZE", "KAZ", "UKR"}}


def test_required_ids_cover_all_states_in_latest_complete_year(shipped):
    panel, _, _ = shipped
    p = panel[panel["iso3"].isin(list(PANEL_COUNTRIES))]
    for ind in REQUIRED:
        got = set(p[(p["indicator"] == ind) & (p["year"] == 2024)]["iso3"])
        assert set(PANEL_COUNTRIES) - got == KNOWN_GAPS_2024.get(ind, set()), ind


def test_panel_reaches_2013_for_at_least_three_required_ids(shipped):
    panel, _, _ = shipped
    full2013 = [
        i
        for i in REQUIRED
        if set(panel[(panel["indicator"] == i) & (panel["year"] == 2013)]["iso3"]) >= set(PANEL_COUNTRIES)
    ]
    # Three since the source-tier rule: western_engagement has no usable dated tie or event for
    # some states in 2013 (their Partnership for Peace dates rest on wiki copies).
    assert len(full2013) >= 3, full2013


@pytest.mark.parametrize(
    "iso3, year, indicator, expected",
    [
        ("ARM", 2023, "csto_membership", 2),  # active member
        ("ARM", 2024, "csto_membership", 1),  # froze participation, Feb 2024
        ("UZB", 2013, "csto_membership", 0),  # left in Dec 2012
        ("GEO", 2013, "csto_membership", 0),  # left in 1999
        ("KAZ", 2013, "eaeu_membership", 2),  # Eurasian Customs Union since 2010
        ("ARM", 2014, "eaeu_membership", 0),  # joined 2 Jan 2015
        ("ARM", 2015, "eaeu_membership", 2),
        ("KGZ", 2015, "eaeu_membership", 2),  # joined Aug 2015
        ("MDA", 2017, "eaeu_membership", 0),  # observer from 14 May 2018 (EEC), not the 2017 request
        ("MDA", 2018, "eaeu_membership", 1),
        ("UZB", 2020, "eaeu_membership", 1),  # observer 11 Dec 2020
        ("UKR", 2013, "cis_membership", 2),
        ("UKR", 2018, "cis_membership", 0),  # left statutory bodies May 2018
        ("MDA", 2023, "cis_membership", 1),  # began leaving, Feb 2023
        ("TKM", 2020, "cis_membership", 1),  # associate since 2005
        ("UKR", 2013, "russian_base_by_agreement", 1),
        ("UKR", 2014, "russian_base_by_agreement", 0),  # basing agreements ended 31 Mar 2014
        ("EST", 2013, "nato_alignment", 3),
        ("MDA", 2013, "nato_alignment", 2),  # IPAP 2006
        ("ARM", 2013, "csto_membership", 2),
        ("BLR", 2013, "csto_membership", 2),
        ("AZE", 2021, "russian_base_by_agreement", 1),  # Karabakh peacekeepers, 2020-2024
        ("AZE", 2024, "russian_base_by_agreement", 0),
    ],
)
def test_hand_checked_codings(shipped, iso3, year, indicator, expected):
    panel, _, _ = shipped
    row = panel[(panel["iso3"] == iso3) & (panel["year"] == year) & (panel["indicator"] == indicator)]
    assert len(row) == 1, f"no value for {iso3} {year} {indicator}"
    assert row["value"].iloc[0] == expected


def test_manifest_matches_shipped_files():
    verify_manifest(DATA_DIR)


def test_build_reproduces_committed_tables(raw_dir, tmp_path):
    write_tables(tmp_path, *run_all(raw_dir))
    for t in TABLES + ("MANIFEST.sha256",):
        assert (tmp_path / t).read_bytes() == (DATA_DIR / t).read_bytes(), (
            f"data/{t} differs from a fresh build: run `make data` and commit the result"
        )


# ---------------------------------------------------------------- loader errors
@pytest.fixture
def data_copy(tmp_path) -> Path:
    d = tmp_path / "data"
    shutil.copytree(DATA_DIR, d)
    return d


def _edit_panel(d: Path, fn) -> None:
    df = pd.read_csv(d / "panel.csv", dtype=str, keep_default_na=False)
    fn(df)
    df.to_csv(d / "panel.csv", index=False, lineterminator="\n")


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda df: df.loc.__setitem__((0, "iso3"), "XXX"), "panel.csv, row 2: unknown country code 'XXX'"),
        (
            lambda df: df.loc.__setitem__((0, "indicator"), "made_up"),
            "panel.csv, row 2: unknown indicator id 'made_up'",
        ),
        (
            lambda df: df.loc.__setitem__((1, "year"), "1999"),
            "panel.csv, row 3: year '1999' is outside the panel 2013-2025",
        ),
        (lambda df: df.loc.__setitem__((0, "value"), "lots"), "panel.csv, row 2: value 'lots' is not a number"),
        (lambda df: df.loc.__setitem__((0, "value"), "99"), "panel.csv, row 2: value 99.0 of"),
        (lambda df: df.loc.__setitem__((0, "source_ids"), ""), "panel.csv, row 2:"),
        (lambda df: df.loc.__setitem__((0, "source_ids"), "nope-123"), "not found in sources.csv"),
        (lambda df: df.loc.__setitem__((0, "status"), "guessed"), "status 'guessed' is not one of"),
        (lambda df: df.loc.__setitem__(1, df.loc[0]), "panel.csv, row 3: duplicate row"),
    ],
)
def test_loader_names_file_row_and_problem(data_copy, mutate, message):
    _edit_panel(data_copy, mutate)
    with pytest.raises(DataError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_panel(data_copy, verify=False)


def test_loader_refuses_modified_files_via_manifest(data_copy):
    _edit_panel(data_copy, lambda df: df.loc.__setitem__((0, "note"), "tampered"))
    with pytest.raises(DataError, match="checksum differs"):
        load_panel(data_copy)


def test_catalog_errors_name_the_indicator(data_copy):
    cat = json.loads((data_copy / "catalog.json").read_text())
    cat[0]["direction"] = 2
    (data_copy / "catalog.json").write_text(json.dumps(cat))
    with pytest.raises(DataError, match=rf"catalog.json: indicator #1 \({cat[0]['id']}\): direction"):
        load_catalog(data_copy)


def test_readme_documents_every_indicator(shipped):
    _, catalog, _ = shipped
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    for ind_id in catalog:
        assert f"`{ind_id}`" in readme, f"README's indicator table lacks {ind_id}"


def test_events_are_validated_and_returned_in_the_schema_columns(shipped):
    from indicators.loader import validate_events

    _, _, sources = shipped
    sid = next(iter(sources))
    row = {"iso3": "ARM", "date": "2024-02-22", "indicator": "csto_membership", "kind": "membership"}
    ok = pd.DataFrame([row | {"description": "frozen", "source_id": sid, "extra": 1}])
    out = validate_events(ok, sources)
    assert list(out.columns) == ["iso3", "date", "indicator", "kind", "description", "source_id"]
    assert out.iloc[0].to_dict() == row | {"description": "frozen", "source_id": sid}
    bad = pd.concat([ok, ok.assign(source_id="nope-1")], ignore_index=True)
    with pytest.raises(DataError, match=r"events.csv, row 3: source id 'nope-1' not found in sources.csv"):
        validate_events(bad, sources)
    with pytest.raises(DataError, match=r"events.csv, row 2: unknown country code 'XYZ'"):
        validate_events(ok.assign(iso3="XYZ"), sources)
    with pytest.raises(DataError, match=r"missing columns \['kind'\]"):
        validate_events(ok.drop(columns="kind"), sources)


def test_load_events_reads_the_folder_it_is_given(data_copy):
    from indicators.loader import load_events

    shipped_events = load_events()
    first = (data_copy / "events.csv").read_text().splitlines()[:2]
    (data_copy / "events.csv").write_text("\n".join(first) + "\n")
    assert len(load_events(data_copy)) == 1 < len(shipped_events)
