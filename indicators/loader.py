"""Load and validate the shipped tables in ``data/``.

Every problem is reported as a :class:`DataError` naming the file, the row (1-based,
counting the header as row 1, as a spreadsheet shows it) and what is wrong.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import ValidationError

from indicators import structure
from indicators.countries import ALL_COUNTRIES, YEARS
from indicators.schema import (
    EVENT_COLUMNS,
    PANEL_COLUMNS,
    PULL_COLUMNS,
    SOURCE_COLUMNS,
    STATUSES,
    Indicator,
    Pole,
    PullMeasure,
    Source,
)
from indicators.structure import DATA_DIR
from indicators.tiers import value_tier_problem

MANIFEST = "MANIFEST.sha256"
TABLES = ("catalog.json", "panel.csv", "sources.csv", "events.csv", "poles.json", "pulls.csv")


class DataError(ValueError):
    """A shipped or uploaded table failed validation."""


def _err(path: Path | str, row: int | None, problem: str) -> DataError:
    where = f"{Path(path).name}" + (f", row {row}" if row is not None else "")
    return DataError(f"{where}: {problem}")


def parse_catalog(
    records: list[dict], path: Path | str = "catalog.json", structure_dir: Path | str | None = None
) -> dict[str, Indicator]:
    """Validated indicators, id -> Indicator. Every indicator must be declared in the structure of
    ``structure_dir`` (default: the data folder) with the same name, pillar and direction; a folder without
    a structure table (a test fixture) is not checked against one."""
    out: dict[str, Indicator] = {}
    sdir = Path(structure_dir or DATA_DIR)
    declared = structure.indicators(sdir) if (sdir / structure.STRUCTURE).exists() else None
    for i, rec in enumerate(records):
        try:
            ind = Indicator.model_validate(rec)
        except ValidationError as e:
            first = e.errors()[0]
            loc = ".".join(str(p) for p in first["loc"])
            raise _err(path, None, f"indicator #{i + 1} ({rec.get('id', '?')}): {loc}: {first['msg']}") from None
        if ind.id in out:
            raise _err(path, None, f"indicator id {ind.id!r} appears twice")
        if declared is not None and ind.id not in declared:
            raise _err(path, None, f"indicator {ind.id!r} is not declared in {structure.STRUCTURE}; add a row for it")
        fields = structure.indicator_fields(ind.id, sdir) if declared is not None else {}
        differ = [k for k, v in fields.items() if getattr(ind, k) != v]
        if differ:
            raise _err(path, None, f"indicator {ind.id!r}: {differ} differ from {structure.STRUCTURE}; rebuild")
        out[ind.id] = ind
    return out


def parse_sources(df: pd.DataFrame, path: Path | str = "sources.csv", require_tier: bool = True) -> dict[str, Source]:
    missing = [c for c in SOURCE_COLUMNS if c not in df.columns]
    if missing:
        raise _err(path, None, f"missing columns {missing}")
    out: dict[str, Source] = {}
    for i, rec in enumerate(df[SOURCE_COLUMNS].to_dict("records")):
        try:
            clean = {k: ("" if v is None or v != v else v) for k, v in rec.items()}
            clean["tier"] = clean["tier"] or None
            clean["archive_url"] = clean["archive_url"] or None
            src = Source.model_validate(clean)
        except ValidationError as e:
            first = e.errors()[0]
            raise _err(path, i + 2, f"{'.'.join(map(str, first['loc']))}: {first['msg']}") from None
        if src.source_id in out:
            raise _err(path, i + 2, f"source_id {src.source_id!r} appears twice")
        if require_tier and src.tier is None:
            raise _err(path, i + 2, f"source {src.source_id!r} has no tier")
        out[src.source_id] = src
    return out


def _long_table(df: pd.DataFrame, columns: list[str], path, years: tuple[int, ...], ids: dict):
    """The checks every long table shares: its columns, known country codes, the ids in ``ids``
    (column -> (what it is, known values)), years in the panel, numeric values. Returns the table
    with proper dtypes and ``fail(mask, problem)``, which raises a DataError naming the first bad row."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise _err(path, None, f"missing columns {missing}")
    df = df[columns].copy().reset_index(drop=True)
    df["note"] = df["note"].fillna("").astype(str)
    df["source_ids"] = df["source_ids"].fillna("").astype(str)
    rownum = np.arange(len(df)) + 2

    def fail(mask, problem):
        if mask.any():
            i = int(np.flatnonzero(np.asarray(mask))[0])
            raise _err(path, int(rownum[i]), problem(df.iloc[i]))

    fail(~df["iso3"].isin(list(ALL_COUNTRIES)), lambda r: f"unknown country code {r['iso3']!r}")
    for col, (what, known) in ids.items():
        fail(~df[col].isin(list(known)), lambda r, col=col, what=what: f"unknown {what} {r[col]!r}")
    year = pd.to_numeric(df["year"], errors="coerce")
    fail(~year.isin(years), lambda r: f"year {r['year']!r} is outside the panel {years[0]}-{years[-1]}")
    df["year"] = year.astype(int)
    value = pd.to_numeric(df["value"], errors="coerce")
    fail(value.isna(), lambda r: f"value {r['value']!r} is not a number (missing values are left out, not written)")
    df["value"] = value.astype(float)
    return df, fail


def _statuses_and_sources(df: pd.DataFrame, fail, sources: dict, key: tuple[str, ...]) -> None:
    """A known status and at least one source, every one of them known (``key`` names the row)."""
    fail(~df["status"].isin(STATUSES), lambda r: f"status {r['status']!r} is not one of {list(STATUSES)}")
    fail(df["source_ids"].str.strip() == "", lambda r: " ".join(str(r[k]) for k in key) + " has no source")
    unknown = df["source_ids"].map(lambda s: any(x not in sources for x in s.split(";")))
    fail(unknown, lambda r: f"source id(s) {r['source_ids']!r} not found in sources.csv")


def validate_panel(
    df: pd.DataFrame,
    catalog: dict[str, Indicator],
    sources: dict[str, Source],
    path: Path | str = "panel.csv",
    years: tuple[int, ...] = YEARS,
) -> pd.DataFrame:
    """Check the long table and return it with proper dtypes.

    Fails on: missing columns, unknown country codes, unknown indicator ids, years
    outside the panel, non-numeric values, values outside the indicator's bounds or
    not one of its levels, unknown statuses, values without a source or citing an
    unknown source, values resting only on ``unusable`` sources or only on
    ``interested-party`` sources without saying so in the note (:mod:`indicators.tiers`),
    and duplicate (iso3, year, indicator) rows.
    """
    df, fail = _long_table(df, PANEL_COLUMNS, path, years, {"indicator": ("indicator id", catalog)})
    lo = df["indicator"].map({k: v.bounds[0] for k, v in catalog.items()})
    hi = df["indicator"].map({k: v.bounds[1] for k, v in catalog.items()})
    fail(
        (df["value"] < lo) | (df["value"] > hi),
        lambda r: f"value {r['value']} of {r['indicator']} is outside its scale {catalog[r['indicator']].bounds}",
    )
    for ind_id, ind in catalog.items():
        if ind.levels:
            m = (df["indicator"] == ind_id) & ~df["value"].isin(list(ind.levels))
            fail(
                m,
                lambda r: (
                    f"value {r['value']} of {r['indicator']} is not one of its levels {sorted(catalog[r['indicator']].levels)}"
                ),
            )
    _statuses_and_sources(df, fail, sources, ("indicator", "iso3", "year"))
    tier_problem = [
        value_tier_problem([sources[x].tier for x in ids.split(";")], note)
        for ids, note in zip(df["source_ids"], df["note"], strict=True)
    ]
    fail(
        pd.Series([p is not None for p in tier_problem], index=df.index),
        lambda r: f"{r['indicator']} {r['iso3']} {r['year']} {tier_problem[int(r.name)]}",
    )
    dup = df.duplicated(["iso3", "year", "indicator"], keep="first")
    fail(dup, lambda r: f"duplicate row for {r['iso3']} {r['year']} {r['indicator']}")
    return df.reset_index(drop=True)


def validate_events(df: pd.DataFrame, sources: dict[str, Source], path: Path | str = "events.csv") -> pd.DataFrame:
    missing = [c for c in EVENT_COLUMNS if c not in df.columns]
    if missing:
        raise _err(path, None, f"missing columns {missing}")
    df = df[EVENT_COLUMNS].fillna("").copy()
    for i, r in enumerate(df.to_dict("records")):
        if r["iso3"] not in ALL_COUNTRIES:
            raise _err(path, i + 2, f"unknown country code {r['iso3']!r}")
        if r["source_id"] not in sources:
            raise _err(path, i + 2, f"source id {r['source_id']!r} not found in sources.csv")
    return df


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def data_version(data_dir: Path = DATA_DIR) -> str:
    """Short version tag of the tables in ``data_dir``: the first 12 hex digits of the SHA-256 of
    ``MANIFEST.sha256`` (which lists every table's checksum), so any change to any table changes it."""
    return file_sha256(data_dir / MANIFEST)[:12]


def verify_manifest(data_dir: Path) -> None:
    """Compare every shipped table against ``MANIFEST.sha256``; raise DataError on a mismatch."""
    man = data_dir / MANIFEST
    if not man.exists():
        raise _err(man, None, "manifest is missing; rebuild with `python -m indicators.build`")
    for line in man.read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        p = data_dir / name
        if not p.exists():
            raise _err(p, None, "listed in the manifest but missing")
        if file_sha256(p) != digest:
            raise _err(p, None, "checksum differs from MANIFEST.sha256: the shipped data was modified")


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as e:
        raise _err(path, None, f"cannot be read as CSV: {e}") from None


def load_catalog(data_dir: Path | str | None = None) -> dict[str, Indicator]:
    """The validated indicator catalogue, id -> Indicator, in catalogue order."""
    path = Path(data_dir or DATA_DIR) / "catalog.json"
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise _err(path, None, f"cannot be read as JSON: {e}") from None
    return parse_catalog(records, path, path.parent)


def load_sources(data_dir: Path | str | None = None) -> dict[str, Source]:
    path = Path(data_dir or DATA_DIR) / "sources.csv"
    return parse_sources(_read_csv(path), path)


def load_panel(data_dir: Path | str | None = None, verify: bool = True) -> pd.DataFrame:
    """The long value table (iso3, year, indicator, value, status, source_ids, note), validated.

    With ``verify`` the files are first checked against the checksum manifest.
    """
    d = Path(data_dir or DATA_DIR)
    if verify:
        verify_manifest(d)
    catalog = load_catalog(d)
    sources = load_sources(d)
    return validate_panel(_read_csv(d / "panel.csv"), catalog, sources, d / "panel.csv")


def load_events(data_dir: Path | str | None = None) -> pd.DataFrame:
    d = Path(data_dir or DATA_DIR)
    return validate_events(_read_csv(d / "events.csv"), load_sources(d), d / "events.csv")


def parse_poles(record: dict, path: Path | str = "poles.json") -> tuple[dict[str, Pole], dict[str, PullMeasure]]:
    """The poles catalogue: ({pole id: Pole}, {measure id: PullMeasure}), in file order."""
    if not isinstance(record, dict) or set(record) != {"poles", "measures"}:
        raise _err(path, None, "must be an object with exactly the keys 'poles' and 'measures'")
    out = []
    for key, model in (("poles", Pole), ("measures", PullMeasure)):
        items: dict = {}
        for i, rec in enumerate(record[key]):
            try:
                obj = model.model_validate(rec)
            except ValidationError as e:
                first = e.errors()[0]
                loc = ".".join(str(p) for p in first["loc"])
                raise _err(path, None, f"{key} #{i + 1} ({rec.get('id', '?')}): {loc}: {first['msg']}") from None
            if obj.id in items:
                raise _err(path, None, f"{key} id {obj.id!r} appears twice")
            items[obj.id] = obj
        out.append(items)
    return out[0], out[1]


def validate_pulls(
    df: pd.DataFrame,
    poles: dict[str, Pole],
    measures: dict[str, PullMeasure],
    sources: dict[str, Source],
    path: Path | str = "pulls.csv",
    years: tuple[int, ...] = YEARS,
) -> pd.DataFrame:
    """Check the pulls table like the panel: known country, year, measure and pole; a number in
    0-100; a known status; at least one known source; one row per (iso3, year, measure, pole)."""
    df, fail = _long_table(df, PULL_COLUMNS, path, years, {"measure": ("measure", measures), "pole": ("pole", poles)})
    fail(~df["value"].between(0.0, 100.0), lambda r: f"value {r['value']} of {r['measure']} is outside 0-100")
    _statuses_and_sources(df, fail, sources, ("measure", "pole", "iso3", "year"))
    dup = df.duplicated(["iso3", "year", "measure", "pole"], keep="first")
    fail(dup, lambda r: f"duplicate row for {r['iso3']} {r['year']} {r['measure']} {r['pole']}")
    return df.reset_index(drop=True)


def load_poles(data_dir: Path | str | None = None) -> tuple[dict[str, Pole], dict[str, PullMeasure]]:
    """The poles catalogue (``data/poles.json``): poles and pull measures."""
    path = Path(data_dir or DATA_DIR) / "poles.json"
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise _err(path, None, f"cannot be read as JSON: {e}") from None
    return parse_poles(record, path)


def load_pulls(data_dir: Path | str | None = None, verify: bool = True) -> pd.DataFrame:
    """The pulls table (iso3, year, measure, pole, value, status, source_ids, note), validated."""
    d = Path(data_dir or DATA_DIR)
    if verify:
        verify_manifest(d)
    poles, measures = load_poles(d)
    return validate_pulls(_read_csv(d / "pulls.csv"), poles, measures, load_sources(d), d / "pulls.csv")


@lru_cache(maxsize=1)
def shipped() -> tuple[pd.DataFrame, dict[str, Indicator], dict[str, Source]]:
    """Panel, catalogue and sources of the shipped data, read once per process."""
    return load_panel(), load_catalog(), load_sources()
