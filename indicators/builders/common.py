"""Shared pieces of the indicator builders: the output record and source helpers.

A builder is a pure function ``build(raw: Path) -> BuilderOutput`` that reads one or
more folders under the raw directory and returns long rows, the sources they cite
and (optionally) dated events for the timeline.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from indicators.countries import iso3_from_name
from indicators.schema import EVENT_COLUMNS, PANEL_COLUMNS, Indicator, Source

#: Date the compiled_cited pages were read (see its PROVENANCE.md).
COMPILED_ACCESSED = dt.date(2026, 11, 23)


@dataclass
class BuilderOutput:
    indicators: list[Indicator]
    rows: list[dict] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)

    def add(self, iso3: str, year: int, indicator: str, value: float, status: str, source_ids, note: str = ""):
        """Append one value. ``source_ids`` is a string or an iterable of source ids."""
        ids = [source_ids] if isinstance(source_ids, str) else sorted(set(source_ids))
        self.rows.append(
            {
                "iso3": iso3,
                "year": int(year),
                "indicator": indicator,
                "value": float(value),
                "status": status,
                "source_ids": ";".join(ids),
                "note": note,
            }
        )

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=PANEL_COLUMNS)

    def events_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.events, columns=EVENT_COLUMNS)


def url_source_id(prefix: str, url: str, extra: str = "") -> str:
    """A stable, short source id for a cited page: ``<prefix>-<10 hex of sha1(url|extra)>``."""
    digest = hashlib.sha1(f"{url}|{extra}".encode()).hexdigest()[:10]
    return f"{prefix}-{digest}"


def producer_from_title(title: str, url: str = "") -> str:
    """Best-effort producer from a compiled title such as 'Headline (Outlet, 2024-01-02)' or
    '[Outlet, date: description]'; failing that, the web site's host name."""
    t = str(title).strip()
    if t.endswith(")") and "(" in t:
        inner = t[t.rfind("(") + 1 : -1].split(",")[0].strip()
        if inner:
            return inner
    if t.startswith("["):
        head = re.split(r"[,:(]", t[1:], maxsplit=1)[0].strip()
        if head:
            return head
    host = urlsplit(str(url)).hostname or ""
    return host.removeprefix("www.") or "see title"


def _accessed(row: pd.Series):
    """The row's own access date (hand tables and corrections) or the compiled_cited date."""
    a = str(row.get("accessed", "") or "")
    return dt.date.fromisoformat(a) if a else COMPILED_ACCESSED


def compiled_source(row: pd.Series, prefix: str, figure_year) -> Source:
    """A Source for one row of ``compiled_cited/*.csv`` (URL, title, quote as compiled)."""
    url = str(row["source_url"]).strip()
    quote = str(row.get("quote", "") or "")
    return Source(
        source_id=url_source_id(prefix, url, quote),
        producer=producer_from_title(row["source_title"], url),
        title=str(row["source_title"]).strip(),
        url=url,
        figure_year=str(figure_year),
        accessed=_accessed(row),
        licence="quoted for citation; see the page",
        quote=quote,
    )


def country_iso3(name: str) -> str:
    iso = iso3_from_name(name)
    if iso is None:
        raise ValueError(f"unknown country name in raw data: {name!r}")
    return iso


CORRECTIONS = Path(__file__).resolve().parent.parent / "hand" / "corrections.csv"
#: compiled_cited files whose rows state a date (checked as dates) or a figure (``value``).
DATED_FILES = ("memberships_dated.csv", "western_structural_ties.csv", "western_engagement_events.csv")
FIGURE_FILES = ("trade_with_russia.csv", "energy_dependence.csv")
#: Columns whose text a correction's ``match`` is looked for in.
_MATCH_COLUMNS = ("status", "tie", "organisation", "event_type", "description", "measure", "facility")


def apply_corrections(df: pd.DataFrame, name: str, path: Path = CORRECTIONS) -> pd.DataFrame:
    """Apply ``indicators/hand/corrections.csv`` to one compiled table.

    A correction row names the file, country, date and a text found in the row (status, tie,
    description ...); it gives a new date and, optionally, a replacing source (title, URL,
    quote). The reason goes into the row's notes. A correction that matches no row is an error.
    """
    cor = pd.read_csv(path, dtype=str, keep_default_na=False)
    cor = cor[cor["file"] == name]
    df = df.copy()
    text = df[[c for c in _MATCH_COLUMNS if c in df.columns]].agg(" ".join, axis=1)
    for c in cor.itertuples():
        m = (df["country"] == c.country) & (df["date"] == c.date) & text.str.contains(c.match, regex=False)
        if not m.any():
            raise ValueError(f"corrections.csv: no row of {name} matches {c.country} {c.date} {c.match!r}")
        df.loc[m, "date"] = c.new_date
        if c.source_url:
            if "accessed" not in df.columns:
                df["accessed"] = ""
            df.loc[m, ["source_title", "source_url", "quote", "accessed"]] = [
                c.source_title,
                c.source_url,
                c.quote,
                c.accessed,
            ]
        df.loc[m, "notes"] = (df.loc[m, "notes"] + f"; corrected: {c.reason}").str.lstrip("; ")
    return df


def quote_supports_row(row: pd.Series, name: str) -> bool:
    """The row's quote (with the page's dateline) states the date or figure the row claims."""
    from indicators.quotes import date_supported, figure_in_quote

    if name in DATED_FILES:
        return date_supported(row["date"], row["quote"], row["source_title"], row["source_url"])
    if name in FIGURE_FILES:
        return figure_in_quote(row["value"], row["quote"])
    return True


def read_compiled(raw: Path, name: str) -> pd.DataFrame:
    """Read one ``compiled_cited`` table with an ``iso3`` column added.

    Corrections (``indicators/hand/corrections.csv``) are applied, and rows whose quote does not
    state the date or figure they claim are left out (the quote test; README "Source tiers").
    """
    df = pd.read_csv(raw / "compiled_cited" / name, dtype=str, keep_default_na=False)
    df = apply_corrections(df, name)
    df = df[[quote_supports_row(r, name) for _, r in df.iterrows()]].reset_index(drop=True)
    df["iso3"] = df["country"].map(country_iso3)
    return df


_MONTHS = {m: i + 1 for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())}


def partial_months(notes: str) -> int | None:
    """Months covered by a PARTIAL YEAR row, parsed from its note; None if not partial or unparseable.

    ``Jan-Aug`` -> 8, ``H1`` -> 6, ``Q1`` -> 3, ``single month`` -> 1. A partial row whose
    length cannot be read returns 0 (so it never passes the minimum-months test).
    """
    if "PARTIAL YEAR" not in notes:
        return None
    m = re.search(r"PARTIAL YEAR[^;]*", notes)
    text = m.group(0) if m else notes
    span = re.search(r"\bJan[-\u2013](\w{3})", text)
    if span and span.group(1) in _MONTHS:
        return _MONTHS[span.group(1)]
    if re.search(r"\bH1\b", text):
        return 6
    if re.search(r"\bQ1\b", text):
        return 3
    if "single month" in text:
        return 1
    return 0
