"""IMF International Trade in Goods (IMTS, the successor of DOTS) through ``sdmx1``.

Writes the long layout the builders read (``imf_imts_russia_reporter/imts_russia_reporter_fsu_long.csv``):
``partner_iso3, COUNTERPART_COUNTRY, year, flow, value_musd, INDICATOR, SCALE``, one row per counterpart,
year and flow with a value, sorted by partner, year and flow. Query keys: ``source`` (sdmx1 source id,
``IMF_DATA``), ``flow`` (dataflow), ``key`` (``COUNTRY.INDICATOR.COUNTERPART_COUNTRY.FREQUENCY``; ``panel``
in the counterpart part stands for the 14), ``startPeriod``. The IMF's World aggregate ``G001`` is written
as ``WLD``; ``COUNTERPART_COUNTRY`` and ``INDICATOR`` hold the IMF's codes (a data message carries no names).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import sdmx

from indicators.producers import Fetched, expand_codes

COLUMNS = ["partner_iso3", "COUNTERPART_COUNTRY", "year", "flow", "value_musd", "INDICATOR", "SCALE"]
#: IMTS indicator -> the flow name of the layout (Russia is the reporter: the mirror side of the 14).
FLOWS = {"XG_FOB_USD": "RUS_exports_to_partner_FOB", "MG_CIF_USD": "RUS_imports_from_partner_CIF"}
WORLD = {"G001": "WLD"}
SCALES = {"6": "Millions", 6: "Millions"}


def series_key(query: dict[str, str]) -> str:
    """The query's key with ``panel`` expanded in each part."""
    return ".".join("+".join(expand_codes(part)) for part in query["key"].split("."))


def fetch(query: dict[str, str]) -> Fetched:
    """Download the series and write one row per counterpart, year and flow with a value."""
    client = sdmx.Client(query["source"])
    params = {"startPeriod": query["startPeriod"]} if "startPeriod" in query else {}
    key = series_key(query)
    req = client.get(resource_type="data", resource_id=query["flow"], key=key, params=params, dry_run=True)
    msg = client.data(query["flow"], key=key, params=params)
    data = sdmx.to_pandas(msg.data[0], attributes="o").reset_index()
    rows = []
    for r in data.itertuples(index=False):
        if pd.isna(r.value) or r.INDICATOR not in FLOWS:
            continue
        partner = str(r.COUNTERPART_COUNTRY)
        scale = SCALES.get(getattr(r, "UNIT_MULT", 6), "")
        if scale != "Millions":
            raise ValueError(f"IMTS {partner} {r.TIME_PERIOD}: unit multiplier {getattr(r, 'UNIT_MULT', '')!r}")
        rows.append(
            (WORLD.get(partner, partner), partner, int(r.TIME_PERIOD), FLOWS[r.INDICATOR], r.value, r.INDICATOR)
        )
    rows.sort(key=lambda x: (x[0], x[2], x[3]))
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS)
    for p, code, year, flow, value, ind in rows:
        w.writerow([p, code, year, flow, repr(float(value)), ind, "Millions"])
    prepared = getattr(msg.header, "prepared", None)
    release = prepared.isoformat() if hasattr(prepared, "isoformat") else str(prepared or "")
    return Fetched(out.getvalue().encode("utf-8"), req.url, release)


def check(path: Path, query: dict[str, str]) -> None:
    """Both flows for the World and for at least one of the requested counterparts, all values numeric."""
    t = pd.read_csv(path)
    if list(t.columns) != COLUMNS:
        raise ValueError(f"{path.name}: columns {list(t.columns)} are not {COLUMNS}")
    if not pd.api.types.is_numeric_dtype(t["value_musd"]) or t["value_musd"].isna().any():
        raise ValueError(f"{path.name}: non-numeric or empty values")
    for flow in FLOWS.values():
        if t[(t["partner_iso3"] == "WLD") & (t["flow"] == flow)].empty:
            raise ValueError(f"{path.name}: no World row for {flow}")
