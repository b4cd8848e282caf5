"""The declared structure of the index: the only place pillars, indicators and countries are declared.

Three hand-edited tables in ``data/`` (like COINr's ``iMeta``), read here and nowhere else:

- ``structure.csv``: the tree index -> pillar -> indicator, one row per node with ``level``
  (``index``, ``pillar``, ``indicator``), ``id``, ``parent``, ``name``, ``description``,
  ``direction`` (+1: a higher value means closer to Moscow), default ``weight`` and ``colour``.
  Row order is display order.
- ``countries.csv``: one row per state: ``iso3``, ``iso2``, ``name``, ``role`` (``panel``: scored;
  ``reference``: only a reference point, e.g. Russia), ``colour`` (a panel state's, in every view; a
  reference state has none), ``capital`` with its
  coordinates, and the other spellings the raw sources use (``aliases``, ``;``-separated).
- ``presets.csv``: the named weightings (``preset``, ``rationale``, ``pillar_weights``: empty for
  the default weights, ``by_count``, or ``pillar:weight;...``).

Unlike the built tables these are inputs, so they are not in ``MANIFEST.sha256``; they are
validated here instead. The folder is ``data/`` unless ``ALIGN_DATA_DIR`` names another one
(a copy with a new country or indicator, as the guides in ``docs/`` do): every default table,
the structure included, is then read from there.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

#: Environment variable naming another data folder (default: the project's ``data/``).
DATA_ENV = "ALIGN_DATA_DIR"
DATA_DIR = Path(os.environ.get(DATA_ENV) or Path(__file__).resolve().parent.parent / "data")

STRUCTURE = "structure.csv"
COUNTRIES = "countries.csv"
PRESETS = "presets.csv"
#: The declared tables (hand-edited inputs, checked here).
DECLARED = (STRUCTURE, COUNTRIES, PRESETS)
STRUCTURE_COLUMNS = ["level", "id", "parent", "name", "description", "direction", "weight", "colour"]
COUNTRY_COLUMNS = ["iso3", "iso2", "name", "role", "colour", "capital", "capital_lon", "capital_lat", "aliases"]
PRESET_COLUMNS = ["preset", "rationale", "pillar_weights"]
LEVELS = ("index", "pillar", "indicator")
ROLES = ("panel", "reference")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class StructureError(ValueError):
    """A declared table is malformed (the message names the file and row)."""


@dataclass(frozen=True)
class Node:
    """One node of the tree (the index, a pillar or an indicator)."""

    level: str
    id: str
    parent: str
    name: str
    description: str
    direction: int
    weight: float
    colour: str


@dataclass(frozen=True)
class Country:
    iso3: str
    iso2: str
    name: str
    role: str
    colour: str
    capital: str
    capital_lon: float
    capital_lat: float
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class PresetRow:
    preset: str
    rationale: str
    pillar_weights: dict[str, float] | str


def _read(path: Path, columns: list[str]) -> pd.DataFrame:
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise StructureError(f"{path.name}: not found in {path.parent}") from None
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise StructureError(f"{path.name}: missing columns {missing}")
    return df[columns]


def _fail(path: Path, i: int, problem: str) -> StructureError:
    return StructureError(f"{path.name}, row {i + 2}: {problem}")


def _number(path: Path, i: int, col: str, v: str) -> float:
    try:
        return float(v)
    except ValueError:
        raise _fail(path, i, f"{col} {v!r} is not a number") from None


def parse_structure(path: Path) -> tuple[Node, ...]:
    """The tree's nodes in display order; every problem names its row."""
    nodes: list[Node] = []
    seen: dict[str, str] = {}
    for i, r in enumerate(_read(path, STRUCTURE_COLUMNS).to_dict("records")):
        if r["level"] not in LEVELS:
            raise _fail(path, i, f"level {r['level']!r} is not one of {list(LEVELS)}")
        if not _ID.match(r["id"]):
            raise _fail(path, i, f"id {r['id']!r} must be lower case letters, digits and _")
        if r["id"] in seen:
            raise _fail(path, i, f"id {r['id']!r} appears twice")
        want_parent = {"index": None, "pillar": "index", "indicator": "pillar"}[r["level"]]
        if want_parent is None and r["parent"]:
            raise _fail(path, i, "the index has no parent")
        if want_parent is not None and seen.get(r["parent"]) != want_parent:
            raise _fail(path, i, f"parent {r['parent']!r} is not a {want_parent} declared above this row")
        if r["direction"] not in ("1", "-1"):
            raise _fail(path, i, f"direction {r['direction']!r} must be 1 or -1")
        weight = _number(path, i, "weight", r["weight"])
        if weight < 0:
            raise _fail(path, i, f"weight {weight} is negative")
        if not _COLOUR.match(r["colour"]):
            raise _fail(path, i, f"colour {r['colour']!r} is not #RRGGBB")
        if len(r["name"]) < 2 or len(r["description"]) < 10:
            raise _fail(path, i, "every node needs a name and a description")
        seen[r["id"]] = r["level"]
        nodes.append(Node(**{**r, "direction": int(r["direction"]), "weight": weight}))
    if [n.level for n in nodes].count("index") != 1:
        raise StructureError(f"{path.name}: exactly one row must be the index")
    for p in (n for n in nodes if n.level == "pillar"):
        if not any(n.parent == p.id for n in nodes):
            raise StructureError(f"{path.name}: pillar {p.id!r} has no indicator")
    return tuple(nodes)


def parse_countries(path: Path) -> tuple[Country, ...]:
    out: list[Country] = []
    for i, r in enumerate(_read(path, COUNTRY_COLUMNS).to_dict("records")):
        if not re.fullmatch(r"[A-Z]{3}", r["iso3"]) or not re.fullmatch(r"[A-Z]{2}", r["iso2"]):
            raise _fail(path, i, f"codes {r['iso3']!r}/{r['iso2']!r} are not ISO 3166-1 alpha-3/alpha-2")
        if any(c.iso3 == r["iso3"] or c.iso2 == r["iso2"] for c in out):
            raise _fail(path, i, f"{r['iso3']} appears twice")
        if r["role"] not in ROLES:
            raise _fail(path, i, f"role {r['role']!r} is not one of {list(ROLES)}")
        if not _COLOUR.match(r["colour"]) and (r["role"] == "panel" or r["colour"]):
            raise _fail(path, i, f"colour {r['colour']!r} is not #RRGGBB (a panel state needs one)")
        if len(r["name"]) < 2 or len(r["capital"]) < 2:
            raise _fail(path, i, "every country needs a name and a capital")
        lon, lat = (_number(path, i, c, r[c]) for c in ("capital_lon", "capital_lat"))
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise _fail(path, i, f"capital coordinates ({lon}, {lat}) are out of range")
        aliases = tuple(a.strip() for a in r["aliases"].split(";") if a.strip())
        out.append(Country(**{**r, "capital_lon": lon, "capital_lat": lat, "aliases": aliases}))
    if not any(c.role == "panel" for c in out):
        raise StructureError(f"{path.name}: no panel country")
    return tuple(out)


def parse_presets(path: Path, pillars: tuple[str, ...]) -> tuple[PresetRow, ...]:
    out: list[PresetRow] = []
    for i, r in enumerate(_read(path, PRESET_COLUMNS).to_dict("records")):
        spec = r["pillar_weights"].strip()
        if spec == "by_count":
            pw: dict[str, float] | str = spec
        else:
            pw = {}
            for part in filter(None, spec.split(";")):
                k, _, v = part.partition(":")
                if k not in pillars:
                    raise _fail(path, i, f"unknown pillar {k!r}; declared pillars: {', '.join(pillars)}")
                pw[k] = _number(path, i, "pillar weight", v)
        if len(r["rationale"]) < 20:
            raise _fail(path, i, "every preset needs its rationale")
        out.append(PresetRow(r["preset"], r["rationale"], pw))
    return tuple(out)


@lru_cache(maxsize=8)
def load_structure(data_dir: Path | str | None = None) -> tuple[Node, ...]:
    return parse_structure(Path(data_dir or DATA_DIR) / STRUCTURE)


@lru_cache(maxsize=8)
def load_countries(data_dir: Path | str | None = None) -> tuple[Country, ...]:
    return parse_countries(Path(data_dir or DATA_DIR) / COUNTRIES)


@lru_cache(maxsize=8)
def load_presets(data_dir: Path | str | None = None) -> tuple[PresetRow, ...]:
    return parse_presets(Path(data_dir or DATA_DIR) / PRESETS, tuple(pillars(data_dir)))


def pillars(data_dir: Path | str | None = None) -> dict[str, Node]:
    """Pillar id -> node, in display order."""
    return {n.id: n for n in load_structure(data_dir) if n.level == "pillar"}


def indicators(data_dir: Path | str | None = None) -> dict[str, Node]:
    """Indicator id -> node, in display order."""
    return {n.id: n for n in load_structure(data_dir) if n.level == "indicator"}


def pillar_name(pillar_id: str) -> str:
    """A pillar's name as readers see it (declared), or its id made readable (an undeclared id)."""
    node = pillars().get(pillar_id)
    return node.name if node else pillar_id.replace("_", " ").capitalize()


def index_node(data_dir: Path | str | None = None) -> Node:
    return next(n for n in load_structure(data_dir) if n.level == "index")


def indicator_fields(indicator_id: str, data_dir: Path | str | None = None) -> dict:
    """What the structure declares about an indicator, as ``Indicator`` fields (name, pillar, direction).

    A builder passes these to ``Indicator(...)`` so the catalogue never restates them.
    """
    node = indicators(data_dir).get(indicator_id)
    if node is None:
        raise StructureError(f"indicator {indicator_id!r} is not declared in {STRUCTURE}; add a row for it")
    return {"name": node.name, "pillar": node.parent, "direction": node.direction}
