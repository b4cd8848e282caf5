"""World Bank (World Development Indicators) through ``wbgapi``.

Writes one of the two layouts the builders read, by the query's ``layout``:

- ``wide`` (``wdi_2022_05/wdi_15countries_wide.csv``, the bulk-download layout): one row per economy and
  series, ``Country Name, Country Code, Indicator Name, Indicator Code`` then one column per year of the
  release (empty where the release has no value);
- ``long`` (``wdi_2026_07/wdi_2026_07_15countries_long.csv``): ``indicator_code, indicator_name,
  country_name, iso3, year, value, source_file``, one row per series, economy and year with a value
  (``source_file`` = the API query).

Other query keys: ``db`` (2 = WDI), ``series`` (``;``-separated codes), ``economy`` (``+``-separated
ISO3, ``panel`` = the 14), ``time`` (``all``), and ``release`` to pin a file to one WDI release: the API
serves only the current release, so when it serves another one the file is kept (:class:`Pinned`) rather
than overwritten with figures of a different vintage. The release date is the database's ``lastupdated``
(World Bank API ``sources/<db>``; empty when the answer does not state it).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import wbgapi as wb

from indicators.producers import Fetched, Pinned, expand_codes

HEAD = ["Country Name", "Country Code", "Indicator Name", "Indicator Code"]
LONG = ["indicator_code", "indicator_name", "country_name", "iso3", "year", "value", "source_file"]
DATA_URL = "sources/{source}/series/{series}/country/{economy}/time/{time}"


def fetch(query: dict[str, str]) -> Fetched:
    """Download the series for the economies and write them in the wide bulk layout (years ascending)."""
    db = int(query["db"])
    series = query["series"].split(";")
    economies = expand_codes(query["economy"])
    release = wb.source.get(db).get("lastupdated", "")
    if query.get("release", release) != release:
        raise Pinned(f"pinned to WDI release {query['release']}; the API serves {release or 'an undated release'}")
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
    url = f"{wb.endpoint}/{wb.lang}/" + DATA_URL.format(
        source=db, series=";".join(series), economy=";".join(economies), time=query["time"]
    )
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    if query["layout"] == "wide":
        w.writerow(HEAD + [str(y) for y in years])
    elif query["layout"] == "long":
        w.writerow(LONG)
    else:
        raise ValueError(f"unknown layout {query['layout']!r}")
    for code in series:
        for iso3 in economies:
            line = cells.get((iso3, code))
            if line is None:
                continue
            if query["layout"] == "wide":
                values = ["" if line.get(y) is None else repr(float(line[y])) for y in years]
                w.writerow([names[iso3], iso3, names[code], code, *values])
                continue
            for y in years:
                if line.get(y) is not None:
                    w.writerow([code, names[code], names[iso3], iso3, y, repr(float(line[y])), url])
    return Fetched(out.getvalue().encode("utf-8"), url, release)


def check(path: Path, query: dict[str, str]) -> None:
    """Every requested series for every requested economy, with at least one value each."""
    t = pd.read_csv(path, dtype=str, keep_default_na=False)
    wide = query["layout"] == "wide"
    missing = [c for c in (HEAD if wide else LONG) if c not in t.columns]
    if missing:
        raise ValueError(f"{path.name}: columns {missing} missing")
    if wide:
        years = [c for c in t.columns if c.isdigit()]
        long = t.melt(id_vars=["Indicator Code", "Country Code"], value_vars=years, value_name="value")
        t = long.rename(columns={"Indicator Code": "indicator_code", "Country Code": "iso3"})
    have = set(zip(t.loc[t["value"] != "", "indicator_code"], t.loc[t["value"] != "", "iso3"], strict=True))
    for code in query["series"].split(";"):
        for iso3 in expand_codes(query["economy"]):
            if (code, iso3) not in have:
                raise ValueError(f"{path.name}: no value for {code} {iso3}")
