"""Tests of ``indicators.builders.dots.read_dots`` (IMF DOTS per-country workbooks).

Figures are checked against cells read by hand from the workbooks and against the producer's
own extraction (``imf_dots_2022/dots_fsu_russia_world_long.csv``, written by the folder's
``extract.py`` with openpyxl, i.e. by code independent of ``read_dots``).
"""

from __future__ import annotations

import shutil
import zipfile

import pandas as pd
import pytest

from indicators.builders import dots


@pytest.fixture(scope="module")
def frame(raw_dir):
    if not (raw_dir / dots.FOLDER).is_dir():
        pytest.skip("imf_dots_2022 not in the raw folder")
    return dots.read_dots(raw_dir)


@pytest.mark.parametrize(
    "text, expected",
    [("6,014.91 e", (6014.91, True)), ("2536.9934560000002", (2536.9934560000002, False)), ("2E-005", (2e-5, False))],
)
def test_parse_value(text, expected):
    assert dots.parse_value(text) == expected


def test_parse_value_rejects_text():
    with pytest.raises(ValueError):
        dots.parse_value("n.a.")


def test_columns_and_domains(frame):
    assert list(frame.columns) == dots.COLUMNS
    assert set(frame["iso3"]) == set(dots.WORKBOOKS)
    assert set(frame["flow"]) == {"exports", "imports"}
    assert frame["year"].between(1989, 2020).all()
    assert not frame.duplicated(["iso3", "year", "partner", "flow"]).any()
    # every partner, not only Russia and World
    for partner in ("WLD", "RUS", "CHN", "TUR", "USA", "DEU", "EUU"):
        assert (frame["partner"] == partner).any(), partner
    assert frame["partner"].nunique() > 150


def test_cells_read_by_hand(frame):
    # DOTS_9.xlsx (Armenia), sheet "Exports, FOB": row 9 is "World", column AE is 2020;
    # the cell holds 2536.9934560000002 (million USD).
    # DOTS_103.xlsx (Kazakhstan), sheet "Imports, CIF": row 8 "Australia", column AD (2019) = 64.939536.
    def one(iso3, partner, flow, year):
        sel = frame[(frame.iso3 == iso3) & (frame.partner == partner) & (frame.flow == flow) & (frame.year == year)]
        assert len(sel) == 1
        return sel["usd"].iloc[0]

    assert one("ARM", "WLD", "exports", 2020) == pytest.approx(2536.9934560000002e6)
    assert one("KAZ", "AUS", "imports", 2019) == pytest.approx(64.939536e6)


def test_agrees_with_producer_extract(frame, raw_dir):
    t = pd.read_csv(raw_dir / dots.FOLDER / "dots_fsu_russia_world_long.csv")
    t = t[t["reporter_iso3"].isin(list(dots.WORKBOOKS)) & t["partner_iso3"].isin(["WLD", "RUS"])]
    t = t.assign(flow=t["flow"].map({"Exports, FOB": "exports", "Imports, CIF": "imports"}))
    f = frame[frame["partner"].isin(["WLD", "RUS"])]
    m = t.merge(
        f, left_on=["reporter_iso3", "year", "partner_iso3", "flow"], right_on=["iso3", "year", "partner", "flow"]
    )
    assert len(m) == len(t) == len(f) > 1500
    assert (m["value_musd"] * 1e6 - m["usd"]).abs().max() < 1e-3
    assert (m["flag"].fillna("") == "e").tolist() == m["imf_estimate"].tolist()


def test_unknown_partner_is_an_error(tmp_path, raw_dir, monkeypatch):
    table = pd.read_csv(dots.PARTNERS_PATH, dtype=str, keep_default_na=False)
    short = tmp_path / "partners.csv"
    table[table["name"] != "Turkey"].to_csv(short, index=False)
    monkeypatch.setattr(dots, "PARTNERS_PATH", short)
    with pytest.raises(ValueError, match="Turkey"):
        dots.read_dots(raw_dir)


def test_reporter_must_match_workbook(tmp_path, raw_dir):
    # A workbook copied under another reporter's number is refused.
    fake = tmp_path / dots.FOLDER / "originals"
    fake.mkdir(parents=True)
    for iso3 in dots.WORKBOOKS:
        shutil.copy(dots.workbook_path(raw_dir, iso3), fake)
    shutil.copy(dots.workbook_path(raw_dir, "ARM"), fake / f"DOTS_{dots.WORKBOOKS['AZE']}.xlsx")
    assert zipfile.is_zipfile(fake / "DOTS_13.xlsx")
    with pytest.raises(ValueError, match="is not AZE"):
        dots.read_dots(tmp_path)
