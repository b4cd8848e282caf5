"""The one CSV writer for scores, shared by the CLI and the dashboard download."""

from __future__ import annotations

import math
import unicodedata

import pandas as pd

from scoring.model import ScoreResult

#: Decimals written for scores, sub-scores, contributions and coverage.
DECIMALS = 4
#: A text cell starting with one of these is prefixed with ' so spreadsheets do not run it as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_start(s: str) -> bool:
    """Whether a spreadsheet could read ``s`` as a formula: it starts with one of FORMULA_START once leading
    white space (a non-breaking space or newline too) and invisible format characters (zero-width space,
    BOM, direction marks) are skipped. A leading tab or CR counts by itself."""
    if s.startswith(("\t", "\r")):
        return True
    i = 0
    while i < len(s) and (s[i].isspace() or unicodedata.category(s[i]) == "Cf"):
        i += 1
    return s.startswith(FORMULA_START, i)


def safe_text(value: object) -> str:
    """Text for a CSV cell, neutralised against spreadsheet formula injection (leading ``'``)."""
    s = "" if value is None else str(value)
    return "'" + s if formula_start(s) else s


def _num(v: object, decimals: int = DECIMALS) -> str:
    """Plain decimal (never scientific notation); empty for missing."""
    if v is None or v is pd.NA:
        return ""
    f = float(v)
    if math.isnan(f):
        return ""
    out = f"{f:.{decimals}f}"
    return "0." + "0" * decimals if out.startswith("-") and float(out) == 0 else out


def scores_csv(result: ScoreResult) -> str:
    """CSV text of ``result.table``: iso3, country, year, score, rank, coverage, coverage_observed,
    pillar_*, contrib_*, then ``missing_indicators``: the weighted indicators without a value for that
    score (ids joined by ``;``, empty when none is missing), so a move caused by data entering or leaving
    can be told apart.

    Rows sorted by year then ISO3; numbers as plain decimals with 4 decimals, ranks and
    years as integers, missing values as empty cells; text cells neutralised against
    formula injection; ``\\n`` line endings. The same bytes whatever calls it.
    """
    df = result.table.assign(missing_indicators=result.missing_indicators().ravel())
    text_cols = ("iso3", "country", "missing_indicators")
    int_cols = ("year", "rank")
    lines = [",".join(_quote(safe_text(c)) for c in df.columns)]
    cols = list(df.columns)
    values = [df[c].tolist() for c in cols]
    for row in zip(*values, strict=True):
        cells = []
        for c, v in zip(cols, row, strict=True):
            if c in text_cols:
                cells.append(_quote(safe_text(v)))
            elif c in int_cols:
                cells.append("" if v is None or v is pd.NA else str(int(v)))
            else:
                cells.append(_num(v))
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"


def _quote(s: str) -> str:
    if any(ch in s for ch in ',"\n\r'):
        return '"' + s.replace('"', '""') + '"'
    return s
