"""The declared structure (``data/structure.csv``, ``countries.csv``, ``presets.csv``) is the only place
pillars, indicators and countries are declared, and everything reads it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from indicators import structure
from indicators.countries import PANEL_COUNTRIES
from indicators.schema import PILLARS

ROOT = Path(__file__).resolve().parent.parent
#: Files that spell out a raw source file's own column layout (the UN Digital Library extracts' countries, in
#: the order of their columns): a property of that file, not the panel's list of states.
SOURCE_LAYOUTS = {"indicators/producers/undl.py"}
#: The structure tables' loader and the thin accessors over it may name what the tables declare.
ALLOWED = {"indicators/structure.py", "indicators/countries.py"}
CODE_SUFFIXES = (".py", ".js", ".css", ".html")


def _code_files():
    for p in sorted(ROOT.rglob("*")):
        rel = p.relative_to(ROOT)
        if rel.parts[0] in (".venv", ".git", "tests", "data") or "__pycache__" in rel.parts:
            continue
        if p.suffix in CODE_SUFFIXES and rel.as_posix() not in ALLOWED:
            yield rel.as_posix(), p.read_text(encoding="utf-8", errors="ignore")


def test_shipped_catalogue_and_panel_follow_the_structure(shipped):
    panel, catalog, _ = shipped
    declared = structure.indicators()
    assert set(catalog) == set(declared)
    for k, ind in catalog.items():
        assert (ind.name, ind.pillar, ind.direction) == (declared[k].name, declared[k].parent, declared[k].direction)
    assert set(panel["iso3"]) <= set(PANEL_COUNTRIES) | {"RUS"}
    assert list(PILLARS) == [n.id for n in structure.load_structure() if n.level == "pillar"]


def test_no_list_of_the_panel_states_in_code():
    """No span of code names most of the panel's states (a list of them): they come from countries.csv."""
    codes = "|".join(PANEL_COUNTRIES)
    found = []
    for rel, text in _code_files():
        hits = [(m.start(), m.group()) for m in re.finditer(rf"\b({codes})\b", text)]
        if rel in SOURCE_LAYOUTS:
            continue
        for i, (start, _) in enumerate(hits):
            window = {c for s, c in hits[i:] if s - start <= 400}
            if len(window) >= 10:
                found.append(rel)
                break
    assert not found, f"lists of the panel's ISO codes outside the structure tables: {found}"


def test_no_pillar_id_in_code():
    """A pillar id appears as a string in no code file: views, model and builders read the structure."""
    ids = "|".join(PILLARS)
    found = [
        (rel, m.group())
        for rel, text in _code_files()
        for m in re.finditer(rf"[\"']({ids})[\"']", text)
        # the energy builder's source-id prefix and event kind are not the pillar
        if not (rel == "indicators/builders/energy.py" and m.group() == '"energy"')
        and rel != "indicators/builders/__init__.py"  # builder module names (energy.py, rupture.py), not pillars
        # the World Bank API calls a country an "economy" (a query key, not the pillar)
        and not (rel.startswith("indicators/producers/") and m.group().strip("'\"") == "economy")
    ]
    assert not found, found


def test_no_literal_panel_size_in_user_text():
    """The number of states in what readers see (page, CLIs, bundle) is counted from the table, not a literal."""
    n = str(len(PANEL_COUNTRIES))
    pat = re.compile(rf"(of|the|all|among) {n} (states|countries|non-Russian)", re.I)
    shown = ("ui/", "dashboard.py", "scoring/bundle.py", "scoring/cli.py", "indicators/__main__.py")
    found = [(rel, m.group()) for rel, text in _code_files() if rel.startswith(shown) for m in pat.finditer(text)]
    assert not found, found


@pytest.mark.parametrize(
    "table, row, problem",
    [
        (structure.STRUCTURE, "indicator,x_y,nowhere,Name,A description here,1,1,#000000", "parent"),
        (structure.STRUCTURE, "indicator,x_y,security,Name,A description here,2,1,#000000", "direction"),
        (structure.STRUCTURE, "indicator,x_y,security,Name,A description here,1,-1,#000000", "negative"),
        (structure.STRUCTURE, "indicator,x_y,security,Name,A description here,1,1,red", "colour"),
        (structure.STRUCTURE, "indicator,csto_membership,security,N,A description here,1,1,#000000", "twice"),
        (structure.COUNTRIES, "ARM,AM,Armenia,panel,#000000,Yerevan,44,40,", "twice"),
        (structure.COUNTRIES, "XKX,XK,Toy,member,#000000,Toyville,1,1,", "role"),
        (structure.COUNTRIES, "XKX,XK,Toy,panel,#000000,Toyville,1,95,", "out of range"),
        (structure.PRESETS, "toy,A rationale long enough to pass,nowhere:2", "unknown pillar"),
    ],
)
def test_a_malformed_declared_row_is_refused_naming_it(tmp_path, table, row, problem):
    for name in structure.DECLARED:
        (tmp_path / name).write_text((structure.DATA_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / table
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, row]) + "\n", encoding="utf-8")
    with pytest.raises(structure.StructureError, match=problem) as e:
        structure.load_structure.cache_clear()
        structure.load_presets(tmp_path) if table == structure.PRESETS else (
            structure.load_countries(tmp_path) if table == structure.COUNTRIES else structure.load_structure(tmp_path)
        )
    assert f"row {len(lines) + 1}" in str(e.value)
