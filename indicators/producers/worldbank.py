"""World Bank (World Development Indicators) through ``wbgapi``.

Writes the bulk-download layout the builders read (``wdi_*/wdi_15countries_wide.csv``): one row per
economy and series, columns ``Country Name, Country Code, Indicator Name, Indicator Code`` then one column
per year of the release (empty where the release has no value). Query keys: ``db`` (2 = WDI), ``series``
(``;``-separated codes), ``economy`` (``+``-separated ISO3, ``panel`` = the 14), ``time`` (``all``).
The release date is the database's ``lastupdated`` (World Bank API ``sources/<db>``).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import wbgapi as wb

from indicators.producers import Fetched, expand_codes

HEAD = ["Country Name", "Country Code", "Indicator Name", "Indicator Code"]
DATA_URL = "sources/{source}/series/{series}/country/{economy}/time/{time}"


def fetch(query: dict[str, str]) -> Fetched:
    """Download the series for the economies and write them in the wide bulk layout (years ascending)."""
    db = int(query["db"])
    series = query["series"].split(";")
    economies = expand_codes(query["economy"])
    release = wb.source.get(db)["lastupdated"]
    cells: dict[tuple[str, str], dict[int, float | None]] = {}
    names: dict[str, str] = {}
    rows = wb.refetch(
        DATA_URL,
        ["series", "economy"],
        source=db,
        series=";".join(series),
        economy=";".join(economies),
        time=query["time"],
    )
    for row in rows:
        var = {v["concept"].lower(): v for v in row["variable"]}
        key = (var["country"]["id"], var["series"]["id"])
        names[var["country"]["id"]] = var["country"]["value"]
        names[var["series"]["id"]] = var["series"]["value"]
        cells.setdefault(key, {})[int(var["time"]["value"])] = row["value"]
    years = sorted({y for line in cells.values() for y in line})
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(HEAD + [str(y) for y in years])
    for code in series:
        for iso3 in economies:
            line = cells.get((iso3, code))
            if line is None:
                continue
            values = ["" if line.get(y) is None else repr(float(line[y])) for y in years]
            w.writerow([names[iso3], iso3, names[code], code, *values])
    url = f"{wb.endpoint}/{wb.lang}/" + DATA_URL.format(
        source=db, series=";".join(series), economy=";".join(economies), time=query["time"]
    )
    return Fetched(out.getvalue().encode("utf-8"), url, release)


def check(path: Path, query: dict[str, str]) -> None:
    """Every requested series for every requested economy, with at least one value each."""
    t = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in HEAD if c not in t.columns]
    if missing:
        raise ValueError(f"{path.name}: columns {missing} missing")
    years = [c for c in t.columns if c.isdigit()]
    for code in query["series"].split(";"):
        for iso3 in expand_codes(query["economy"]):
            line = t[(t["Indicator Code"] == code) & (t["Country Code"] == iso3)]
            if line.empty or not (line[years] != "").any(axis=None):
                raise ValueError(f"{path.name}: no value for {code} {iso3}")
