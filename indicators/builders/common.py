"""Shared pieces of the indicator builders: the output record, source helpers and the rules
every builder applies the same way.

A builder is a pure function ``build(raw: Path) -> BuilderOutput`` that reads one or
more folders under the raw directory and returns long rows, the sources they cite
and (optionally) dated events for the timeline.

One rule per concept (issue 16). Each concept is coded once, here; what differs between
indicators is a parameter declared as data in ``indicators/hand/rules.csv`` (:func:`rule_for`):

* **status** of a value: :func:`sourced_status` (observed vs estimated, from a fixed list of
  reasons, :data:`ESTIMATE_REASONS`); :func:`fill_gaps` gives ``imputed`` / ``carried_forward``.
* **partial years**: :func:`partial_months` reads the length of a PARTIAL YEAR row and
  :func:`partial_ok` decides whether it may stand for its year (``min_partial_months``).
* **gap filling**: :func:`fill_gaps` (``max_gap_years``, ``max_carry_years``, dated breaks).
* **dates**: :func:`parse_date`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

import pandas as pd

from indicators.countries import YEARS, iso3_from_name
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


def _text(v) -> str:
    """A cell as stripped text; None and NaN (a column missing from one of two concatenated tables) are ''."""
    return "" if v is None or v != v else str(v).strip()


def compiled_source(row: pd.Series, prefix: str, figure_year) -> Source:
    """A Source for one row of ``compiled_cited/*.csv`` (URL, title, quote as compiled)."""
    url = str(row["source_url"]).strip()
    quote = str(row.get("quote", "") or "")
    return Source(
        source_id=url_source_id(prefix, url, quote),
        producer=producer_from_title(row["source_title"], url),
        title=str(row["source_title"]).strip(),
        url=url,
        archive_url=_text(row.get("archive_url")) or None,
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
            for col in ("accessed", "archive_url"):
                if col not in df.columns:
                    df[col] = ""
            df.loc[m, ["source_title", "source_url", "quote", "accessed", "archive_url"]] = [
                c.source_title,
                c.source_url,
                c.quote,
                c.accessed,
                c.archive_url,
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
    """Months covered by a PARTIAL YEAR row, parsed from its note.

    Returns None if the note does not say PARTIAL YEAR (a full-year row), the number of months if
    it can be read (``Jan-Aug`` -> 8, ``H1`` -> 6, ``Q1`` -> 3, ``single month`` -> 1), and 0 for a
    partial row whose length cannot be read (so it never passes :func:`partial_ok`).
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


def parse_date(s: str) -> dt.date:
    """'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' -> the first day of that period.

    A year-only date is read as 1 January (it is in force by 31 December of that year).
    """
    parts = [int(p) for p in str(s).strip().split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


# ----------------------------------------------------------------------------- per-indicator rules (data)

#: The table of per-indicator parameters (one row per indicator that fills gaps or uses partial years).
RULES_CSV = Path(__file__).resolve().parent.parent / "hand" / "rules.csv"


@dataclass(frozen=True)
class Rule:
    """The parameters of the shared rules for one indicator (one row of ``indicators/hand/rules.csv``).

    * ``max_gap_years`` -- the most *missing* years between two sourced years that :func:`fill_gaps`
      bridges by linear interpolation (2015 and 2019 sourced -> 3 missing years). 0 = never interpolate.
    * ``max_carry_years`` -- how far :func:`fill_gaps` copies the nearest sourced value forward or back
      into a year it cannot interpolate. 0 = never carry.
    * ``min_partial_months`` -- the fewest months a PARTIAL YEAR figure must cover to stand for its
      year (:func:`partial_ok`); it is then always ``estimated`` (reason ``partial_year``).
    * ``note`` -- why these values (shown nowhere else; keep it short).
    """

    indicator: str
    max_gap_years: int
    max_carry_years: int
    min_partial_months: int
    note: str = ""


def load_rules(path: Path = RULES_CSV) -> dict[str, Rule]:
    """All rows of the rules table, by indicator id. Raises ValueError on a malformed table."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    need = ["indicator", "max_gap_years", "max_carry_years", "min_partial_months"]
    if missing := [c for c in need if c not in df.columns]:
        raise ValueError(f"{path.name}: missing columns {missing}")
    if df["indicator"].duplicated().any():
        raise ValueError(f"{path.name}: an indicator appears twice")
    out = {}
    for r in df.itertuples(index=False):
        try:
            nums = [int(getattr(r, c)) for c in need[1:]]
        except ValueError:
            raise ValueError(f"{path.name}: {r.indicator}: parameters must be whole numbers") from None
        if min(nums) < 0 or nums[2] > 12:
            raise ValueError(f"{path.name}: {r.indicator}: parameters must be >= 0 and months <= 12")
        out[r.indicator] = Rule(r.indicator, *nums, note=getattr(r, "note", ""))
    return out


@cache
def _rules() -> dict[str, Rule]:
    return load_rules()


def rule_for(indicator: str) -> Rule:
    """The :class:`Rule` of ``indicator`` from ``indicators/hand/rules.csv``; KeyError if it has none."""
    rules = _rules()
    if indicator not in rules:
        raise KeyError(f"no row for {indicator!r} in {RULES_CSV.name}; add one")
    return rules[indicator]


def partial_ok(months: int | None, rule: Rule) -> bool:
    """The one partial-year rule: may a figure covering ``months`` months stand for its year?

    ``months`` is :func:`partial_months`' answer: None (a full year) is always usable; a partial
    figure is usable if it covers at least ``rule.min_partial_months`` months (an unreadable length,
    0, never is). A usable partial figure is ``estimated`` (reason ``partial_year``), and a full-year
    figure for the same cell always beats it.
    """
    return months is None or (months > 0 and months >= rule.min_partial_months)


# ----------------------------------------------------------------------------- status policy

OBSERVED = "observed"
ESTIMATED = "estimated"
IMPUTED = "imputed"
CARRIED = "carried_forward"

#: Why a *sourced* value is ``estimated`` rather than ``observed``. A value with none of these reasons
#: is ``observed``: a full-year figure for that year, as published by one producer (or arithmetic on
#: figures of one producer's one dataset for the same year, e.g. Russia's volume over the total).
ESTIMATE_REASONS: dict[str, str] = {
    "partial_year": "covers part of the year only (see partial_ok)",
    "year_inferred": "the year is inferred from the page, not stated",
    "bound": "a lower or upper bound, coded at the bound",
    "approximate": "an approximate figure ('about', 'some', a range midpoint)",
    "mirror": "reported by Russia (partner side), not by the country",
    "cross_source": "computed from figures of two producers or datasets (e.g. a WDI total x a bilateral-matrix share)",
    "modelled": "the producer's own model estimate (e.g. the KNOMAD bilateral remittance matrices)",
    "held": "a component held from another year",
    "assumption": "rests on an assumption: a plan, a late-year snapshot, or unlisted suppliers ignored",
    "proxy": "a proxy for the concept (e.g. physical entry flows for contractual origin)",
    "low_quality": "from an outlet flagged as low quality",
}


def sourced_status(reasons: Iterable[str] = ()) -> str:
    """The one status policy for a sourced value: ``observed`` with no reason, else ``estimated``.

    ``reasons`` are keys of :data:`ESTIMATE_REASONS` (ValueError for any other). Filled values get
    their status from :func:`fill_gaps` (``imputed``, ``carried_forward``), never from here.
    """
    reasons = set(reasons)
    if unknown := reasons - set(ESTIMATE_REASONS):
        raise ValueError(f"unknown status reason(s) {sorted(unknown)}; use {sorted(ESTIMATE_REASONS)}")
    return ESTIMATED if reasons else OBSERVED


#: Qualifiers written in a compiled row's ``notes`` and the status reason each implies.
NOTE_REASONS: tuple[tuple[str, str], ...] = (
    (r"PARTIAL YEAR", "partial_year"),
    (r"YEAR INFERRED", "year_inferred"),
    (r"(?i)\b(lower|upper) bound\b", "bound"),
    (r"(?i)\bapproximate\b", "approximate"),
)


def reasons_from_notes(notes: str) -> set[str]:
    """Status reasons read from a compiled row's note (see :data:`NOTE_REASONS`)."""
    return {reason for pat, reason in NOTE_REASONS if re.search(pat, str(notes))}


# ----------------------------------------------------------------------------- gap filling


class Fill(NamedTuple):
    """A filled year: its value, status (``imputed`` or ``carried_forward``) and the sourced years used
    (``to_year`` is the later anchor of an interpolation, None for a carried value)."""

    value: float
    status: str
    from_year: int
    to_year: int | None

    def describe(self, year: int, fmt: str = "{:.4g}", anchors: Mapping[int, float] | None = None) -> str:
        """A note: 'linear interpolation between 2015 (40) and 2018 (70)' or 'carried forward from 2020 (93), 1 year(s)'."""

        def v(y: int) -> str:
            return fmt.format(anchors[y]) if anchors is not None else "?"

        if self.status == IMPUTED:
            return f"linear interpolation between {self.from_year} ({v(self.from_year)}) and {self.to_year} ({v(self.to_year)})"
        way = "forward" if self.from_year < year else "back"
        return f"carried {way} from {self.from_year} ({v(self.from_year)}), {abs(year - self.from_year)} year(s)"


def fill_gaps(
    anchors: Mapping[int, float], rule: Rule, years: Iterable[int] = YEARS, breaks: Iterable[int] = ()
) -> dict[int, Fill]:
    """The one gap-filling rule. Values for the ``years`` that have no sourced value in ``anchors``.

    ``anchors``: year -> sourced value (observed or estimated; may lie outside ``years``). Filled values
    never anchor further filling. ``breaks``: years the series changed regime (a dated cut-off, a new
    supply route, an embargo); a break year is never filled and no fill uses an anchor on the other side
    of a break. For each year, in order:

    1. interpolation ``v0 + (v1 - v0) * (y - y0) / (y1 - y0)`` between the nearest anchors before (y0) and
       after (y1) when at most ``rule.max_gap_years`` years lie strictly between them -> ``imputed``;
    2. else the nearest anchor at most ``rule.max_carry_years`` away (the earlier one wins a tie) ->
       ``carried_forward`` (also when carried back);
    3. else the year stays missing.
    """
    breaks = sorted(set(breaks))
    out: dict[int, Fill] = {}
    for y in years:
        if y in anchors or y in breaks:
            continue
        lo = max([b for b in breaks if b < y], default=None)
        hi = min([b for b in breaks if b > y], default=None)
        inside = [a for a in anchors if (lo is None or a > lo) and (hi is None or a < hi)]
        prev = max([a for a in inside if a < y], default=None)
        nxt = min([a for a in inside if a > y], default=None)
        if prev is not None and nxt is not None and nxt - prev - 1 <= rule.max_gap_years:
            v = anchors[prev] + (anchors[nxt] - anchors[prev]) * (y - prev) / (nxt - prev)
            out[y] = Fill(v, IMPUTED, prev, nxt)
            continue
        near = [(y - prev, prev)] if prev is not None and y - prev <= rule.max_carry_years else []
        near += [(nxt - y, nxt)] if nxt is not None and nxt - y <= rule.max_carry_years else []
        if near:
            _, src = min(near)
            out[y] = Fill(float(anchors[src]), CARRIED, src, None)
    return out
