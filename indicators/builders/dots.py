"""IMF Direction of Trade Statistics (DOTS): the per-country workbooks in ``imf_dots_2022/``.

:func:`read_dots` is the one reader of these workbooks; the trade builder and any builder that
needs trade with another partner (China, the EU, the US, Turkey ...) use it.

The workbooks are the IMF portal's standard reports (sheets ``Exports, FOB`` and
``Imports, CIF``; row 4 names the reporter, row 7 holds the years, column B the partners;
million US dollars). They are read with the standard library (``zipfile`` + ElementTree), so
the build needs no Excel package. Partner names are mapped to ISO3 codes by the data table
``indicators/hand/dots_partners.csv`` (columns name, iso3, kind); a partner name missing from
that table is an error, so a new vintage cannot drop a partner silently.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pandas as pd

from indicators.countries import PANEL_COUNTRIES

FOLDER = "imf_dots_2022"
PARTNERS_PATH = Path(__file__).resolve().parent.parent / "hand" / "dots_partners.csv"
#: Workbook (``originals/DOTS_<n>.xlsx``) of each reporter, as listed in the PROVENANCE.md: a code table,
#: ``indicators/hand/dots_workbooks.csv``. A panel state without a workbook has no DOTS figures.
WORKBOOKS: dict[str, int] = {
    r.iso3: int(r.workbook)
    for r in pd.read_csv(Path(__file__).resolve().parent.parent / "hand" / "dots_workbooks.csv", dtype=str).itertuples()
}
#: Sheet title -> flow.
FLOWS = {"Exports, FOB": "exports", "Imports, CIF": "imports"}
COLUMNS = ["iso3", "year", "partner", "flow", "usd", "imf_estimate"]

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CELL = re.compile(r"^([A-Z]+)(\d+)$")
_VALUE = re.compile(r"^\s*([-+]?[0-9.,]+(?:[eE][-+]?\d+)?)\s*([A-Za-z]*)\s*$")


def workbook_path(raw: Path, iso3: str) -> Path:
    """Path of the DOTS workbook of one reporter."""
    return raw / FOLDER / "originals" / f"DOTS_{WORKBOOKS[iso3]}.xlsx"


def xlsx_sheets(path: Path) -> dict[str, dict[tuple[int, str], str]]:
    """Every sheet of an .xlsx file as ``{title: {(row, column letters): text}}`` (shared strings resolved).

    Numbers keep the text written in the file (e.g. ``'2638.8041680000001'``); empty cells are absent.
    """
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        sst = []
        if "xl/sharedStrings.xml" in names:
            root = ET.fromstring(z.read("xl/sharedStrings.xml"))
            sst = ["".join(t.text or "" for t in si.iter(f"{_NS}t")) for si in root.findall(f"{_NS}si")]
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        target = {r.get("Id"): r.get("Target") for r in rels}
        out = {}
        for sheet in ET.fromstring(z.read("xl/workbook.xml")).iter(f"{_NS}sheet"):
            part = "xl/" + target[sheet.get(_REL)].removeprefix("/xl/")
            cells = {}
            for c in ET.fromstring(z.read(part)).iter(f"{_NS}c"):
                v = c.find(f"{_NS}v")
                if v is None or v.text is None:
                    continue
                col, row = _CELL.match(c.get("r")).groups()
                cells[(int(row), col)] = sst[int(v.text)] if c.get("t") == "s" else v.text
            out[sheet.get("name")] = cells
    return out


def parse_value(text: str) -> tuple[float, bool]:
    """A DOTS cell as (million USD, IMF estimate?): ``'6,014.91 e'`` -> (6014.91, True)."""
    m = _VALUE.match(text)
    if not m:
        raise ValueError(f"unreadable DOTS cell {text!r}")
    return float(m.group(1).replace(",", "")), m.group(2).lower() == "e"


def partner_codes(path: Path | None = None) -> dict[str, str]:
    """Workbook partner name -> ISO3 ('' for aggregates, unallocated rows and headers that are dropped)."""
    t = pd.read_csv(path or PARTNERS_PATH, dtype=str, keep_default_na=False)
    return dict(zip(t["name"], t["iso3"], strict=True))


def read_dots(raw: Path) -> pd.DataFrame:
    """Goods trade of each of the 14 states with every partner, as reported to the IMF (DOTS, reporter side).

    Reads ``<raw>/imf_dots_2022/originals/DOTS_<n>.xlsx`` for the 14 reporters (not the Russia
    and World workbooks) and returns a long frame, one row per reporter, year, partner and flow:

    - ``iso3``: the reporter (one of the 14 panel states);
    - ``year``: int, the years of each workbook (1989 at the earliest, 2020 at the latest);
    - ``partner``: ISO3 code of the partner country; ``'WLD'`` for World; ``'EUU'`` for the
      IMF's "European Union" aggregate as printed in the workbook (composition of the Feb-2022
      vintage, i.e. EU27). Former states keep their ISO 3166-3 code (SUN, CSK, DDR, YUG, SCG,
      ANT, YMD). Other aggregates, "not specified" rows and the three former entities without a
      code (Belgium-Luxembourg, Malaysia West, Yemen Arab Rep.) are dropped;
    - ``flow``: ``'exports'`` (FOB) or ``'imports'`` (CIF);
    - ``usd``: US dollars as published (the workbook's million-USD figure times 1e6);
    - ``imf_estimate``: True where the cell carries the IMF's ``e`` (estimate) suffix.

    Empty cells give no row (no trade reported is not zero). Note (PROVENANCE.md): figures for
    Turkmenistan, and Uzbekistan 2012-2015, are IMF estimates from partner data although not
    flagged ``e``. Sorted by iso3, flow, partner, year.
    """
    codes = partner_codes()
    rows = []
    for iso3 in (c for c in PANEL_COUNTRIES if c in WORKBOOKS):
        path = workbook_path(raw, iso3)
        for title, cells in xlsx_sheets(path).items():
            flow = FLOWS[title]
            if codes.get(cells.get((4, "B"), "")) != iso3:
                raise ValueError(f"{path.name}: reporter {cells.get((4, 'B'))!r} is not {iso3}")
            years = {col: int(v) for (r, col), v in cells.items() if r == 7 and col != "B" and v.strip().isdigit()}
            seen: dict[str, dict[int, str]] = {}
            for (r, _col), name in sorted((k, v) for k, v in cells.items() if k[1] == "B" and k[0] > 7):
                if name not in codes:
                    raise ValueError(f"{path.name}: partner {name!r} not in {PARTNERS_PATH.name}")
                partner = codes[name]
                if not partner:
                    continue
                line = {year: cells[(r, col)] for col, year in years.items() if cells.get((r, col), "").strip()}
                if partner in seen:
                    # The report prints some partners twice (Australia: first line and under its region);
                    # a repeat is skipped only when every cell is the same.
                    if seen[partner] != line:
                        raise ValueError(f"{path.name} {title}: partner {name!r} listed twice with different values")
                    continue
                seen[partner] = line
                for year, text in sorted(line.items()):
                    musd, est = parse_value(text)
                    rows.append((iso3, year, partner, flow, musd * 1e6, est))
    df = pd.DataFrame(rows, columns=COLUMNS)
    return df.sort_values(["iso3", "flow", "partner", "year"], ignore_index=True)
