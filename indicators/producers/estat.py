"""Eurostat Comext (EU trade since 1988 by HS2-4-6 and CN8, ``DS-045409``) through the ``eurostat`` package.

Writes the long layout the builders read (``eurostat_comext_baltic_russia/
baltic_trade_with_russia_and_neighbours_monthly.csv``): ``reporter, partner, flow, period, value_eur,
product, source``, with Eurostat's labels for reporter, partner and flow (``IMPORT``/``EXPORT``), one row
per reporter, partner, flow and month of the answer, ``:`` where Eurostat gives no value, ``source`` = the
dataset code. Query keys: ``code`` and one key per dimension to filter (``reporter``, ``partner``,
``product``, ``flow``, ``indicators``, ``freq``; values ``+``-separated), ``startPeriod``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import eurostat
import pandas as pd

from indicators.producers import Fetched

COLUMNS = ["reporter", "partner", "flow", "period", "value_eur", "product", "source"]
LABELLED = ("reporter", "partner", "flow")


def fetch(query: dict[str, str]) -> Fetched:
    """Download the filtered dataset and its labels; one row per series and month."""
    code = query["code"]
    filters = {k: v.split("+") for k, v in query.items() if k not in ("code", "startPeriod")}
    if "startPeriod" in query:
        filters["startPeriod"] = query["startPeriod"]
    data = eurostat.get_data_df(code, filter_pars=filters)
    if data is None or data.empty:
        raise ValueError(f"{code}: no data for {query}")
    labels = {dim: eurostat.get_dic(code, dim, frmt="dict") for dim in LABELLED}
    key = [c for c in data.columns if "\\" in c or c in filters or c == "freq"]
    dims = [c.split("\\")[0] for c in key]
    periods = sorted(c for c in data.columns if c not in key)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS)
    data = data.rename(columns=dict(zip(key, dims, strict=True)))
    for r in data.to_dict("records"):
        names = [labels[d][r[d]] for d in LABELLED]
        for p in periods:
            v = r[p]
            text = ":" if v is None or pd.isna(v) else (str(int(v)) if float(v).is_integer() else repr(float(v)))
            w.writerow([*names, p, text, r["product"], code])
    url = f"{eurostat.eurostat.__Uri__.BASE_URL['COMEXT']}data/{code}"
    return Fetched(out.getvalue().encode("utf-8"), url)


def check(path: Path, query: dict[str, str]) -> None:
    """Every requested reporter, partner and flow present, every value a number or ``:``."""
    t = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(t.columns) != COLUMNS:
        raise ValueError(f"{path.name}: columns {list(t.columns)} are not {COLUMNS}")
    bad = t.loc[(t["value_eur"] != ":") & pd.to_numeric(t["value_eur"], errors="coerce").isna(), "value_eur"]
    if not bad.empty:
        raise ValueError(f"{path.name}: values {sorted(set(bad))[:5]} are neither numbers nor ':'")
    for dim in LABELLED:
        if t[dim].nunique() < len(query[dim].split("+")):
            raise ValueError(f"{path.name}: {dim}: {t[dim].nunique()} of {len(query[dim].split('+'))} present")
