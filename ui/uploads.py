"""Reading user uploads safely: indicator values, their metadata, scoring specs and scenarios.

Everything here is pure (no streamlit). Every refusal is an :class:`UploadError` whose
message names the file, the row (as a spreadsheet shows it: the header is row 1), the
column (header name and spreadsheet letter) and the problem::

    values.csv, row 4, column value (C): 'abc' is not a number
    values.csv, row 1: missing column(s) value; a long table has the columns iso3, year, value ...
    values.csv: the file is 1.2 MB; the limit is 1.0 MB
    meta.json, field source.url: Input should be a valid URL, relative URL without a base

User text is never echoed raw: it is truncated to 40 characters and made inert by the project's one
escaper, :func:`scoring.untrusted.md` (``&lt;script&gt;``; backticks, ``$``, ``[``, ``]``, ``*``, ``~``,
``|``, ``#`` and backslashes become numeric references; bare addresses get an invisible word joiner),
so a message is inert both as HTML and as Markdown in ``st.error``.

Bounds (issue 21): at most :data:`MAX_BYTES`, :data:`MAX_COLUMNS` columns (counted on the header before
anything else is read), :data:`MAX_ROWS` rows and :data:`PARSE_SECONDS` of reading per file; every
number within ±``scoring.untrusted.MAX_ABS_NUMBER``; JSON at most ``MAX_JSON_DEPTH`` levels deep;
:data:`MAX_USER_INDICATORS` uploaded indicators per session. Every step is linear in the input.

Values (:func:`parse_values`)
    * long: columns ``iso3, year, value`` and optionally ``status, note`` (any order, any case);
      wide: ``iso3`` plus one column per year (``2013`` ... ``2025``), an empty cell = missing.
      In the long form every row needs a value: a missing value is a missing row.
    * delimiter: comma, semicolon or tab, sniffed from the header row (the one that splits it
      into columns including ``iso3``); in semicolon files a decimal comma (``3,5``) is read
      as 3.5. Encoding: UTF-8 with or without BOM; at most 1 MB (:data:`MAX_BYTES`).
    * countries: an ISO3 code (any case) or a country name of :mod:`indicators.countries`;
      an unknown one gets the closest valid code suggested. Russia is refused (never scored).
    * refused cells: spreadsheet formulas (a cell starting with ``= + - @``, tab or CR that is
      not a plain number, also behind leading white space such as a non-breaking space or a newline,
      or an invisible character: :func:`scoring.export.formula_start`; ``-3.5`` is a number) and
      HTML/script (``<tag``, ``javascript:``, encoded ``&lt;``) anywhere, header included.

Metadata (:func:`parse_metadata`): a dict from the page's form or JSON text/bytes
(YAML is not accepted: PyYAML is not installed in the project's environment)::

    {"name": "Russian TV share", "direction": 1, "unit": "% of viewers",
     "scale": "percent",            # optional: percent | ratio | index; default from the unit
     "pillar": "<a pillar id>",      # optional, default DEFAULT_PILLAR
     "bounds": [0, 100],             # optional, see below
     "definition": "...",            # optional, >= 40 characters if given
     "source": {"producer": "...", "title": "...", "url": "https://...", "figure_year": "2023",
                "accessed": "2025-01-31", "licence": "", "quote": ""}}   # accessed: default today

    * bounds: declared, or else the min and max of the values; for ``percent`` widened to
      include 0-100. Constant values without declared bounds are refused (no scale).
    * default pillar ``diplomacy``: it is (with security) the largest pillar, so an indicator
      whose user did not say where it belongs gets the smallest effective weight (1/25 under
      equal weights, vs 1/10 in energy or western_ties) and dilutes the shipped indicators of
      its pillar least (each 1/4 -> 1/5 of the pillar, vs 1 -> 1/2 in a one-indicator pillar).
    * marking: id ``user_<slug of the name>``, source id ``user-<slug>``, name suffix
      ``" (your data)"``, note ``"your data: ..."`` on every row, licence "supplied by the user".

Both are validated with the shipped models (:class:`~indicators.schema.Indicator`,
:class:`~indicators.schema.Source`, :func:`indicators.loader.validate_panel`).

How the page should call this
-----------------------------
::

    panel, catalog, sources = indicators.shipped()          # never modified
    try:
        values = uploads.parse_values(f.name, f.getvalue())   # f from st.file_uploader
        meta = form_dict  # or meta_file.getvalue() with name=meta_file.name
        ind, src = uploads.parse_metadata(meta, values, name="the form")
        s_panel, s_catalog, s_sources = uploads.merge_user_indicator(
            ss.get("user_panel", panel), ss.get("user_catalog", catalog),
            ss.get("user_sources", sources), ind, src, values)
    except uploads.UploadError as e:
        st.error(str(e))              # safe: user text in the message is escaped
    else:
        ss["user_panel"], ss["user_catalog"], ss["user_sources"] = s_panel, s_catalog, s_sources
        st.caption(uploads.describe_values(values))
        # build the session model from ss["user_*"]: scoring.Model.from_panel(s_panel, s_catalog);
        # give the new indicator a weight slider (key w_<ind.id>, default 1).

    spec = uploads.parse_spec_upload(f.name, f.getvalue(), catalog)          # -> ScoringSpec
    scen = uploads.parse_scenario_upload(f.name, f.getvalue(), catalog)      # -> Scenario
    st.markdown(uploads.help_markdown())   # the help text of the "Your data" view
    st.download_button("Metadata template", uploads.metadata_template(), "metadata.json")

Keep the session's objects in ``st.session_state`` only (one user's data never reaches
another session or the shipped tables). Re-uploading an indicator with the same name
replaces the earlier upload.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import hashlib
import io
import json
import re
import time
import unicodedata
from collections.abc import Mapping
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from indicators import structure
from indicators.countries import PANEL_COUNTRIES, REFERENCE_COUNTRIES, YEARS, iso3_from_name
from indicators.loader import DataError, validate_panel
from indicators.schema import PANEL_COLUMNS, PILLARS, STATUSES, Indicator, Pillar, Source
from scoring.export import formula_start
from scoring.scenarios import Scenario, ScenarioError
from scoring.spec import ScoringSpec, SpecError
from scoring.untrusted import MAX_ABS_NUMBER, UntrustedInputError, check_number, load_json, md

MAX_BYTES = 1_000_000
#: Columns a values file may have (a wide table needs iso3 + 13 years); a longer header is refused at once.
MAX_COLUMNS = 40
#: Rows a values file may have (the panel has 14 x 13 values; blank lines count).
MAX_ROWS = 5_000
#: Seconds of reading one upload may take before it is stopped with a message (the limit per session:
#: each upload is read in its own session's script run, so the others stay responsive).
PARSE_SECONDS = 2.0
#: Indicators one session may add (each adds a column to every score its session computes).
MAX_USER_INDICATORS = 5
#: Delimiters tried on the header row, with the name a message uses.
DELIMITERS: dict[str, str] = {",": "comma", ";": "semicolon", "\t": "tab"}
#: Columns of the long frame :func:`parse_values` returns.
VALUE_COLUMNS = ["iso3", "year", "value", "status", "note"]
REQUIRED_LONG = ("iso3", "year", "value")
USER_ID_PREFIX = "user_"
USER_SOURCE_PREFIX = "user-"
USER_SUFFIX = " (your data)"
USER_NOTE = "your data"
USER_LICENCE = "supplied by the user"
#: Pillar of an uploaded indicator whose metadata names none (reason in the module docstring).
#: The largest declared pillar (most indicators; on a tie the later one in display order).
DEFAULT_PILLAR = max(reversed(PILLARS), key=lambda p: sum(n.parent == p for n in structure.indicators().values()))
#: Scales an upload may declare (binary/ordinal need level labels and are not offered).
USER_SCALES = ("percent", "ratio", "index")
#: User text quoted in a message is cut to this many characters.
QUOTE_LIMIT = 40
NOTE_LIMIT = 500

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
_YEAR = re.compile(r"\d{4}")
_MARKUP = re.compile(
    r"<[a-z/!?]|(?:javascript|vbscript|livescript)\s*:|data\s*:\s*text/html|&(?:lt|gt|quot|amp|#\d+|#x[0-9a-f]+);",
    re.IGNORECASE,
)


class UploadError(ValueError):
    """An uploaded file could not be used; the message says what to fix."""


# ----------------------------------------------------------------------------- safe messages
def _esc(text: object, limit: int = QUOTE_LIMIT, quotes: bool = True) -> str:
    """User text made inert (:func:`scoring.untrusted.md`: HTML, Markdown and maths characters as
    references, non-printables as ``\\xNN``), cut to ``limit`` characters (+ "…"); ``quotes=False`` keeps
    ``'`` and ``"``."""
    return md(text, limit, quotes=quotes, line_start=False)


def quote(text: object, limit: int = QUOTE_LIMIT) -> str:
    """``'text'`` safe to show in HTML or Markdown (see :func:`_esc`)."""
    return f"'{_esc(text, limit)}'"


def _letter(j: int) -> str:
    """Spreadsheet column letter of a 0-based index: 0 -> A, 26 -> AA."""
    s = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        s = chr(65 + r) + s
    return s


def _where(fname: str, row: int | None = None, column: str | None = None) -> str:
    return fname + (f", row {row}" if row is not None else "") + (f", column {column}" if column else "")


def _has_markup(s: str) -> bool:
    return bool(_MARKUP.search(s))


def _is_number(s: str, decimal_comma: bool = False) -> bool:
    s = s.strip()
    return bool(_NUMBER.fullmatch(s) or (decimal_comma and _DECIMAL_COMMA.fullmatch(s)))


def _is_formula(cell: str, decimal_comma: bool = False) -> bool:
    """A cell a spreadsheet would run (:func:`scoring.export.formula_start`, leading white space and invisible
    characters skipped), unless it is a plain number such as ``-3.5``."""
    return formula_start(cell) and (cell[:1] in ("\t", "\r") or not _is_number(cell, decimal_comma))


def _cell_problem(cell: str, decimal_comma: bool = False) -> str | None:
    """Why a cell (or text field) is refused outright, or None."""
    if _has_markup(cell):
        return f"{quote(cell)} contains HTML or script; only plain text is accepted"
    if _is_formula(cell, decimal_comma):
        return (
            f"{quote(cell)} looks like a spreadsheet formula (it starts with {_esc(cell.strip()[:1] or 'white space')}); "
            "type the plain value instead"
        )
    return None


# ----------------------------------------------------------------------------- decoding
def _decode(name: str, data: bytes, max_bytes: int = MAX_BYTES, table: bool = True) -> str:
    """UTF-8 text of an upload (BOM dropped); UploadError for empty, too large or undecodable data (for a
    ``table`` the message names the row and column of the bad byte, else its position)."""
    fname = _esc(name or "upload", 60)
    if not data:
        raise UploadError(f"{fname}: the file is empty")
    if len(data) > max_bytes:
        raise UploadError(f"{fname}: the file is {len(data) / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.1f} MB")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise UploadError(f"{fname}: the file is UTF-16 text; save it as 'CSV UTF-8' and try again")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        if table:
            raise UploadError(_undecodable(fname, data, e.start)) from None
        raise UploadError(
            f"{fname}: byte 0x{data[e.start]:02x} at position {e.start} is not UTF-8 text; save the file as UTF-8"
        ) from None


def _undecodable(fname: str, data: bytes, pos: int) -> str:
    """Message for a non-UTF-8 byte at ``pos``, with its row and (best guess) column."""
    row = data[:pos].count(b"\n") + 1
    line_start = data.rfind(b"\n", 0, pos) + 1
    header = data.split(b"\n", 1)[0].decode("utf-8-sig", "replace")
    delim = _sniff(header) or ","
    cells = next(csv.reader([header], delimiter=delim), [])
    j = data[line_start:pos].decode("utf-8", "replace").count(delim)
    col = _col_label(cells, j)
    return (
        f"{_where(fname, row, col)}: byte 0x{data[pos]:02x} is not UTF-8 text (the file is probably in a "
        "Windows or Latin-1 encoding); save it as 'CSV UTF-8' and try again"
    )


def read_text(file, max_bytes: int = MAX_BYTES) -> str:
    """Decode an uploaded file (any object with ``.name`` and ``.getvalue()``) as UTF-8 text.

    Refuses empty files, files over ``max_bytes`` and files that are not UTF-8.
    """
    return _decode(getattr(file, "name", "upload"), file.getvalue(), max_bytes)


# ----------------------------------------------------------------------------- values
def _sniff(header_line: str) -> str | None:
    """The delimiter that splits the header into the most columns, one of them ``iso3``."""
    best: tuple[int, str] | None = None
    for d in DELIMITERS:
        try:
            cells = [c.strip().lower() for c in next(csv.reader([header_line], delimiter=d), [])]
        except csv.Error:  # e.g. a field beyond the csv module's size limit: not this delimiter
            continue
        if "iso3" in cells and len(cells) > 1 and (best is None or len(cells) > best[0]):
            best = (len(cells), d)
    return best[1] if best else None


def _col_label(header: list[str], j: int) -> str:
    h = header[j].strip() if j < len(header) else ""
    return f"{_esc(h)} ({_letter(j)})" if h else _letter(j)


def _country(s: str) -> tuple[str | None, str]:
    """(ISO3, "") for a panel country code or name, else (None, problem)."""
    s = s.strip()
    if not s:
        return None, "the country is empty"
    if s.upper() in PANEL_COUNTRIES:
        return s.upper(), ""
    code = iso3_from_name(s)
    if code in PANEL_COUNTRIES:
        return code, ""
    if s.upper() in REFERENCE_COUNTRIES or code in REFERENCE_COUNTRIES:
        return None, "Russia is only a reference point and is never scored; leave its rows out"
    keys = {c.lower(): c for c in PANEL_COUNTRIES} | {n.lower(): c for c, n in PANEL_COUNTRIES.items()}
    close = difflib.get_close_matches(s.lower(), list(keys), n=1, cutoff=0.5)
    hint = f"did you mean {keys[close[0]]} ({PANEL_COUNTRIES[keys[close[0]]]})? " if close else ""
    return None, f"unknown country {quote(s)}; {hint}Use an ISO3 code or name of: {', '.join(PANEL_COUNTRIES)}"


def _number(s: str, decimal_comma: bool) -> float | None:
    s = s.strip()
    if _NUMBER.fullmatch(s):
        return float(s)
    if decimal_comma and _DECIMAL_COMMA.fullmatch(s):
        return float(s.replace(",", "."))
    return None


def _value_problem(s: str, decimal_comma: bool, blank_hint: str) -> str:
    hint = ""
    if "%" in s:
        hint = " (leave out the % sign)"
    elif "," in s and not decimal_comma:
        hint = " (use a dot as the decimal separator and no thousands separators)"
    return f"value {quote(s)} is not a number{hint}; {blank_hint}"


def _year(s: str) -> tuple[int | None, str]:
    s = s.strip()
    if not _YEAR.fullmatch(s):
        return None, f"year {quote(s)} is not a four-digit year" if s else "the year is empty"
    y = int(s)
    if y not in YEARS:
        return None, f"year {y} is outside the panel {YEARS[0]}-{YEARS[-1]}"
    return y, ""


def _in_time(fname: str, deadline: float, row: int) -> None:
    """UploadError once reading a file has used up its time budget (checked every 256 rows)."""
    if row % 256 == 0 and time.monotonic() > deadline:
        raise UploadError(
            f"{fname}: reading the file took longer than {PARSE_SECONDS:g} s and was stopped; "
            "upload a smaller table (one row per country and year)"
        )


def parse_values(name: str, data: bytes) -> pd.DataFrame:
    """Read an uploaded CSV of indicator values into a long frame.

    Returns columns ``iso3, year, value, status, note`` (sorted by iso3, year; status
    ``observed`` unless given; note ``""`` unless given), with ``attrs`` ``file``,
    ``delimiter`` (comma/semicolon/tab) and ``layout`` (long/wide). See the module
    docstring for the accepted forms; anything else raises :class:`UploadError`.
    """
    fname = _esc(name or "upload", 60)
    text = _decode(name, data)
    if not text.strip():
        raise UploadError(f"{fname}: the file is empty (only blank lines)")
    first = text.splitlines()[0]
    delim = _sniff(first)
    if delim is None:
        raise UploadError(
            f"{_where(fname, 1)}: no iso3 column found in the header {quote(first, 60)}; the first row must name "
            "the columns (iso3, year, value; or iso3 then one column per year), separated by commas, "
            "semicolons or tabs"
        )
    dname = DELIMITERS[delim]
    dec_comma = delim == ";"
    n_cols = len(next(csv.reader([first], delimiter=delim)))
    if n_cols > MAX_COLUMNS:
        raise UploadError(
            f"{_where(fname, 1)}: the header has {n_cols:,} columns; at most {MAX_COLUMNS} are read (a wide table "
            f"needs iso3 and one column per year, a long table at most {len(VALUE_COLUMNS)})"
        )
    deadline = time.monotonic() + PARSE_SECONDS
    try:
        records = []
        for r, rec in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delim), start=1):
            if r > MAX_ROWS:
                raise UploadError(f"{fname}: more than {MAX_ROWS:,} rows; a panel has at most {len(YEARS) * 14} values")
            records.append(rec)
    except csv.Error as e:
        raise UploadError(f"{fname}: cannot be read as {dname}-separated text ({_esc(e, 80)})") from None

    header = records[0]
    # 1. cells that are refused whatever they mean: formulas and markup, header included
    for r, cells in enumerate(records, start=1):
        if len(cells) > MAX_COLUMNS:
            raise UploadError(f"{_where(fname, r)}: the row has {len(cells):,} cells; at most {MAX_COLUMNS} are read")
        _in_time(fname, deadline, r)
        for j, cell in enumerate(cells):
            problem = _cell_problem(cell, dec_comma)
            if problem:
                col = _letter(j) if r == 1 else _col_label(header, j)
                raise UploadError(f"{_where(fname, r, col)}: {problem}")

    # 2. the header: long or wide
    cols = [h.strip().lower() for h in header]
    while cols and not cols[-1]:  # trailing delimiters
        cols.pop()
    first_at: dict[str, int] = {}
    for j, c in enumerate(cols):  # one pass: a set of names seen, not a scan of the columns before each
        if c in first_at:
            raise UploadError(f"{_where(fname, 1, _col_label(header, j))}: column {quote(c)} appears twice")
        first_at[c] = j
    long = "value" in cols or "year" in cols
    if long:
        allowed = set(VALUE_COLUMNS)
        for j, c in enumerate(cols):
            if c not in allowed:
                what = f"unexpected column {quote(header[j])}" if c else "a column without a name"
                raise UploadError(
                    f"{_where(fname, 1, _col_label(header, j))}: {what}; a long table has the columns "
                    "iso3, year, value and optionally status, note"
                )
        missing = [c for c in REQUIRED_LONG if c not in cols]
        if missing:
            raise UploadError(
                f"{_where(fname, 1)}: missing column(s) {', '.join(missing)}; a long table has the columns "
                "iso3, year, value and optionally status, note"
            )
        need = max(cols.index(c) for c in REQUIRED_LONG) + 1
    else:
        year_cols: dict[int, int] = {}
        for j, c in enumerate(cols):
            if c == "iso3":
                continue
            if not _YEAR.fullmatch(c):
                what = f"unexpected column {quote(header[j])}" if c else "a column without a name"
                raise UploadError(
                    f"{_where(fname, 1, _col_label(header, j))}: {what}; a wide table has iso3 and one column per "
                    f"year ({YEARS[0]} ... {YEARS[-1]}), a long table the columns iso3, year, value"
                )
            y, problem = _year(c)
            if y is None:
                raise UploadError(f"{_where(fname, 1, _col_label(header, j))}: {problem}")
            year_cols[j] = y
        if not year_cols:
            raise UploadError(
                f"{_where(fname, 1)}: no year columns; a wide table has iso3 and one column per year "
                f"({YEARS[0]} ... {YEARS[-1]}), a long table the columns iso3, year, value"
            )
        need = len(cols)
    ci = cols.index("iso3")

    # 3. the rows
    out: list[dict[str, Any]] = []
    seen: dict[tuple[str, int], int] = {}

    def add(r: int, j_year: int, j_value: int, iso3: str, year: int, value: float, status: str, note: str) -> None:
        try:
            check_number(value)
        except UntrustedInputError:
            raise UploadError(
                f"{_where(fname, r, _col_label(header, j_value))}: the value {value:g} is not a finite number within "
                f"±{MAX_ABS_NUMBER:g}"
            ) from None
        if (iso3, year) in seen:
            raise UploadError(
                f"{_where(fname, r, _col_label(header, j_year))}: {iso3} {year} already appears in row "
                f"{seen[iso3, year]}; give each country and year one value"
            )
        seen[iso3, year] = r
        out.append({"iso3": iso3, "year": year, "value": value, "status": status, "note": note})

    for r, cells in enumerate(records[1:], start=2):
        _in_time(fname, deadline, r)
        if not any(c.strip() for c in cells):
            continue
        extra = [j for j in range(len(cols), len(cells)) if cells[j].strip()]
        if extra or len(cells) < need:
            n = len(cells)
            col = _letter(extra[0]) if extra else None
            raise UploadError(
                f"{_where(fname, r, col)}: the row has {n} cell{'s' * (n != 1)} but the header has {len(cols)}; "
                f"this file is read as {dname}-separated: use the same delimiter in every row and put values "
                "that contain it in double quotes"
            )
        cells = cells + [""] * (len(cols) - len(cells))
        iso3, problem = _country(cells[ci])
        if iso3 is None:
            raise UploadError(f"{_where(fname, r, _col_label(header, ci))}: {problem}")
        if long:
            yj, vj = cols.index("year"), cols.index("value")
            year, problem = _year(cells[yj])
            if year is None:
                raise UploadError(f"{_where(fname, r, _col_label(header, yj))}: {problem}")
            raw = cells[vj].strip()
            blank = "leave out rows without a value (a missing value is a missing row)"
            if not raw:
                raise UploadError(f"{_where(fname, r, _col_label(header, vj))}: the value is empty; {blank}")
            value = _number(raw, dec_comma)
            if value is None:
                problem = _value_problem(raw, dec_comma, "write a plain number such as 12.5, or leave the row out")
                raise UploadError(f"{_where(fname, r, _col_label(header, vj))}: {problem}")
            status = "observed"
            if "status" in cols:
                sj = cols.index("status")
                s = cells[sj].strip().lower().replace(" ", "_")
                if s and s not in STATUSES:
                    raise UploadError(
                        f"{_where(fname, r, _col_label(header, sj))}: status {quote(cells[sj])} is not one of "
                        f"{', '.join(STATUSES)} (empty = observed)"
                    )
                status = s or "observed"
            note = ""
            if "note" in cols:
                nj = cols.index("note")
                note = cells[nj].strip()
                if len(note) > NOTE_LIMIT:
                    raise UploadError(
                        f"{_where(fname, r, _col_label(header, nj))}: the note has {len(note)} characters; "
                        f"the limit is {NOTE_LIMIT}"
                    )
            add(r, yj, vj, iso3, year, value, status, note)
        else:
            for j, year in year_cols.items():
                raw = cells[j].strip()
                if not raw:
                    continue
                value = _number(raw, dec_comma)
                if value is None:
                    problem = _value_problem(raw, dec_comma, "leave the cell empty for a missing value")
                    raise UploadError(f"{_where(fname, r, _col_label(header, j))}: {problem}")
                add(r, j, j, iso3, year, value, "observed", "")
    if not out:
        raise UploadError(f"{fname}: no values below the header (row 1)")
    df = pd.DataFrame(out, columns=VALUE_COLUMNS).sort_values(["iso3", "year"], ignore_index=True)
    df = df.astype({"iso3": "str", "year": "int64", "value": "float64", "status": "str", "note": "str"})
    df.attrs.update(file=str(name), delimiter=dname, layout="long" if long else "wide")
    return df


def describe_values(values: pd.DataFrame) -> str:
    """One line for the page: how the file was read and what it holds."""
    a = values.attrs
    how = f"read as a {a['layout']} table, {a['delimiter']}-separated: " if "layout" in a else ""
    return (
        f"{how}{len(values)} values for {values['iso3'].nunique()} countries, "
        f"{int(values['year'].min())}-{int(values['year'].max())}"
    )


# ----------------------------------------------------------------------------- metadata
class _UserSource(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    producer: str = Field(min_length=2, max_length=200)
    title: str = Field(min_length=2, max_length=300)
    url: str = Field(max_length=2000)
    figure_year: str = Field(min_length=4, max_length=20)
    accessed: dt.date | None = None
    licence: str = Field(default="", max_length=300)
    quote: str = Field(default="", max_length=1000)

    @field_validator("figure_year", mode="before")
    @classmethod
    def _year_text(cls, v):
        return str(v) if isinstance(v, int) and not isinstance(v, bool) else v


class _UserMetadata(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    name: str = Field(min_length=3, max_length=80)
    direction: Literal[1, -1]
    unit: str = Field(min_length=1, max_length=60)
    scale: Literal["percent", "ratio", "index"] | None = None
    pillar: Pillar = DEFAULT_PILLAR
    bounds: tuple[float, float] | None = None
    definition: str = Field(default="", max_length=2000)
    source: _UserSource

    @field_validator("direction", mode="before")
    @classmethod
    def _direction(cls, v):
        if isinstance(v, str) and v.strip() in ("1", "+1", "-1"):
            return int(v.strip())
        if isinstance(v, float) and v in (1.0, -1.0):
            return int(v)
        return v

    @field_validator("scale", mode="before")
    @classmethod
    def _scale(cls, v):
        return None if v == "" else v


_FIELD_HELP = {
    "direction": "direction must be +1 (a higher value means closer to Moscow) or -1 (farther)",
    "scale": f"scale must be one of {', '.join(USER_SCALES)}",
    "pillar": f"pillar must be one of {', '.join(PILLARS)}",
}


def _pydantic_message(fname: str, e: ValidationError, prefix: str = "") -> str:
    err = e.errors()[0]
    loc = prefix + ".".join(str(p) for p in err["loc"] if not isinstance(p, int))
    if err["type"] == "extra_forbidden":
        valid = _UserSource.model_fields if loc.startswith("source.") else _UserMetadata.model_fields
        return f"{fname}, field {_esc(loc)}: unknown field; valid fields: {', '.join(valid)}"
    if err["type"] == "missing":
        return f"{fname}, field {_esc(loc)}: required but missing"
    if loc in _FIELD_HELP:
        return f"{fname}, field {loc}: {_FIELD_HELP[loc]}, not {quote(err.get('input'))}"
    msg = str(err["msg"]).removeprefix("Value error, ")
    return f"{fname}, field {_esc(loc)}: {_esc(msg, 200, quotes=False)}"


def _scan_text(fname: str, obj: Any, path: str = "") -> None:
    """Refuse markup or formulas in any string (or key) of a JSON-like object."""
    if isinstance(obj, Mapping):
        for k, v in obj.items():
            p = f"{path}.{k}" if path else str(k)
            if isinstance(k, str) and (_has_markup(k) or _is_formula(k)):
                raise UploadError(f"{fname}: field name {quote(k)} contains HTML, script or a formula")
            _scan_text(fname, v, p)
    elif isinstance(obj, list | tuple):
        for i, v in enumerate(obj):
            _scan_text(fname, v, f"{path}[{i}]")
    elif isinstance(obj, str):
        problem = _cell_problem(obj)
        if problem:
            raise UploadError(f"{fname}, field {_esc(path)}: {problem}")


def _load_json(fname: str, text: str, what: str) -> Any:
    """JSON of an upload with :func:`scoring.untrusted.load_json`'s bounds (depth, finite numbers)."""
    try:
        return load_json(text)
    except UntrustedInputError as e:
        m = re.fullmatch(r"not valid JSON \((.*) at line (\d+) column (\d+)\)", str(e))
        if m:
            raise UploadError(
                f"{fname}, line {m[2]}: the {what} is not valid JSON ({_esc(m[1], 80)}, column {m[3]})"
            ) from None
        raise UploadError(
            f"{fname}: the {what} is {_esc(e, 120, quotes=False)}"
            if str(e).startswith("not ")
            else f"{fname}: {_esc(e, 120, quotes=False)}"
        ) from None


def user_slug(name: str) -> str:
    """ASCII slug of a name for ids: ``"Russian TV share, %"`` -> ``"russian_tv_share"``.

    A name with no latin letters or digits (e.g. Cyrillic only) gets ``h`` + 8 hex digits
    of its SHA-1, so the id is still stable for the same name.
    """
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"[^a-z0-9]+", "_", s).strip("_")[:40].strip("_")
    return s or "h" + hashlib.sha1(name.encode()).hexdigest()[:8]


def _default_scale(unit: str) -> str:
    u = unit.lower()
    if "%" in u or "percent" in u:
        return "percent"
    return "index" if "index" in u else "ratio"


def parse_metadata(
    fields: Mapping[str, Any] | str | bytes, values: pd.DataFrame, *, name: str = "metadata"
) -> tuple[Indicator, Source]:
    """Validate the metadata of an upload into the shipped ``Indicator`` and ``Source`` models.

    ``fields`` is the page's form as a dict, or JSON text/bytes of a metadata file
    (``name`` is the file name used in messages). ``values`` is :func:`parse_values`'
    frame (for the default bounds and the bounds check). Returns the marked
    indicator (id ``user_<slug>``, name + " (your data)") and its source (``user-<slug>``).
    """
    fname = _esc(name or "metadata", 60)
    if isinstance(fields, bytes):
        fields = _decode(name, fields, table=False)
    if isinstance(fields, str):
        fields = _load_json(fname, fields, "metadata")
    if not isinstance(fields, Mapping):
        raise UploadError(f"{fname}: the metadata must be a JSON object with fields such as name, direction, unit")
    _scan_text(fname, fields)
    try:
        m = _UserMetadata.model_validate(dict(fields))
    except ValidationError as e:
        raise UploadError(_pydantic_message(fname, e)) from None
    missing = [c for c in VALUE_COLUMNS if c not in getattr(values, "columns", ())]
    if missing or len(values) == 0:
        raise UploadError(f"{fname}: no values to describe; read the values with parse_values first")

    v = values["value"].astype(float)
    vmin, vmax = float(v.min()), float(v.max())
    scale = m.scale or _default_scale(m.unit)
    if m.bounds is not None:
        lo, hi = m.bounds
        try:
            check_number(lo), check_number(hi)
        except UntrustedInputError:
            raise UploadError(
                f"{fname}, field bounds: each bound must be a finite number within ±{MAX_ABS_NUMBER:g}"
            ) from None
        if not lo < hi:
            raise UploadError(f"{fname}, field bounds: lower bound {lo:g} must be below upper bound {hi:g}")
        out = values[(v < lo) | (v > hi)]
        if len(out):
            r = out.iloc[0]
            raise UploadError(
                f"{fname}, field bounds: value {r['value']:g} ({r['iso3']} {r['year']}) is outside the declared "
                f"bounds {lo:g} to {hi:g}"
            )
    else:
        lo, hi = (min(0.0, vmin), max(100.0, vmax)) if scale == "percent" else (vmin, vmax)
        if lo == hi:
            raise UploadError(
                f"{fname}, field bounds: every value is {vmin:g}, so no scale can be taken from the data; "
                "declare bounds [lower, upper]"
            )
    slug = user_slug(m.name)
    sid = f"{USER_SOURCE_PREFIX}{slug}"
    s = m.source
    try:
        source = Source.model_validate(
            {
                "source_id": sid,
                "producer": s.producer,
                "title": s.title,
                "url": s.url,
                "figure_year": s.figure_year,
                "accessed": s.accessed or dt.date.today(),
                "licence": s.licence or USER_LICENCE,
                "quote": s.quote,
            }
        )
    except ValidationError as e:
        raise UploadError(_pydantic_message(fname, e, "source.")) from None
    years = values["year"].astype(int)
    try:
        indicator = Indicator.model_validate(
            {
                "id": f"{USER_ID_PREFIX}{slug}",
                "name": m.name + USER_SUFFIX,
                "pillar": m.pillar,
                "unit": m.unit,
                "direction": m.direction,
                "scale": scale,
                "bounds": (lo, hi),
                "definition": m.definition
                or f"Uploaded in this session: {m.name} ({m.unit}), from {s.producer}, {s.title} ({s.figure_year}).",
                "coding_rule": "Values as uploaded by you; not checked against the source by this project.",
                "years_note": f"Your data: {len(values)} values, {years.min()}-{years.max()}, uploaded in this "
                "session; not part of the shipped data.",
                "source_ids": (sid,),
            }
        )
    except ValidationError as e:
        raise UploadError(_pydantic_message(fname, e)) from None
    return indicator, source


# ----------------------------------------------------------------------------- merging
def is_user_indicator(ind: Indicator) -> bool:
    """True for an indicator made by :func:`parse_metadata` (``user_`` id citing only ``user-`` sources)."""
    return ind.id.startswith(USER_ID_PREFIX) and all(s.startswith(USER_SOURCE_PREFIX) for s in ind.source_ids)


def merge_user_indicator(
    panel: pd.DataFrame,
    catalog: Mapping[str, Indicator],
    sources: Mapping[str, Source],
    indicator: Indicator,
    source: Source,
    values: pd.DataFrame,
) -> tuple[pd.DataFrame, dict[str, Indicator], dict[str, Source]]:
    """New (panel, catalog, sources) with the user indicator added; the inputs are never mutated.

    The merged panel goes through :func:`indicators.loader.validate_panel`. An id already
    used by a shipped indicator is refused; an earlier upload with the same id (a user
    indicator) is replaced, rows, metadata and source. Rows get source id
    ``source.source_id`` and the note ``"your data"`` (+ ": " + the uploaded note).
    """
    name = quote(indicator.name, 60)
    if not is_user_indicator(indicator) or indicator.source_ids != (source.source_id,):
        raise UploadError(
            f"{name}: only an indicator made by parse_metadata can be merged (id starting with "
            f"{USER_ID_PREFIX}, citing its own {USER_SOURCE_PREFIX} source)"
        )
    old = catalog.get(indicator.id)
    if old is not None and not is_user_indicator(old):
        raise UploadError(
            f"{name}: its id {indicator.id} is already used by the shipped indicator {quote(old.name, 60)}; "
            "rename your indicator"
        )
    if source.source_id in sources and not source.source_id.startswith(USER_SOURCE_PREFIX):
        raise UploadError(f"{name}: source id {source.source_id} is already used by a shipped source")
    others = [k for k, i in catalog.items() if is_user_indicator(i) and k != indicator.id]
    if len(others) >= MAX_USER_INDICATORS:
        raise UploadError(
            f"{name}: this session already holds {len(others)} indicators of yours, the limit; remove your data "
            "(or upload under an existing name to replace it)"
        )
    drop_sources = set(old.source_ids) if old is not None else set()
    new_catalog = {**catalog, indicator.id: indicator}
    new_sources = {k: v for k, v in sources.items() if k not in drop_sources} | {source.source_id: source}
    notes = values["note"].fillna("").astype(str)
    rows = pd.DataFrame(
        {
            "iso3": values["iso3"].astype(str).to_numpy(),
            "year": values["year"].astype(int).to_numpy(),
            "indicator": indicator.id,
            "value": values["value"].astype(float).to_numpy(),
            "status": values["status"].astype(str).to_numpy(),
            "source_ids": source.source_id,
            "note": [f"{USER_NOTE}: {n}" if n else USER_NOTE for n in notes],
        }
    )
    base = panel[panel["indicator"] != indicator.id] if old is not None else panel
    merged = pd.concat([base[PANEL_COLUMNS], rows[PANEL_COLUMNS]], ignore_index=True)
    try:
        merged = validate_panel(merged, new_catalog, new_sources, path="your data")
    except DataError as e:
        raise UploadError(f"{name} could not join the model: {_esc(e, 300, quotes=False)}") from None
    return merged, new_catalog, new_sources


# ----------------------------------------------------------------------------- specs and scenarios
def session_model_key(panel: pd.DataFrame, catalog: Mapping[str, Indicator]) -> str:
    """Cache key of a session's extended model: a hash of the panel AND the catalogue.

    The metadata (direction, pillar, bounds, ...) change the scores as much as the values do, so
    re-uploading the same values with another direction must give another key (the cached Monte
    Carlo bands and reachable ranks are looked up by it).
    """
    h = hashlib.sha256(panel.to_csv(index=False).encode())
    meta = [catalog[k].model_dump(mode="json") for k in sorted(catalog)]
    h.update(json.dumps(meta, sort_keys=True, ensure_ascii=False).encode())
    return "user-" + h.hexdigest()


def parse_spec_upload(name: str, data: bytes, catalog: Mapping[str, Indicator] | None = None) -> ScoringSpec:
    """A :class:`scoring.ScoringSpec` from an uploaded JSON file (``ScoringSpec.from_json``).

    With ``catalog``, indicator ids in ``indicator_weights`` must be in it (closest id suggested).
    """
    fname = _esc(name or "spec", 60)
    text = _decode(name, data, table=False)
    _scan_text(fname, _load_json(fname, text, "spec"))
    try:
        spec = ScoringSpec.from_json(text)
    except SpecError as e:
        raise UploadError(f"{fname}: {_esc(e, 300, quotes=False)}") from None
    if catalog is not None:
        for k in spec.indicator_weights:
            if k not in catalog:
                close = difflib.get_close_matches(k, list(catalog), n=1)
                hint = f"did you mean {close[0]}? " if close else ""
                raise UploadError(
                    f"{fname}, field indicator_weights: unknown indicator id {quote(k)}; {hint}"
                    f"valid ids: {', '.join(catalog)}"
                )
    return spec


def parse_scenario_upload(name: str, data: bytes, catalog: Mapping[str, Indicator]) -> Scenario:
    """A :class:`scoring.Scenario` from an uploaded JSON file (``Scenario.from_json``), checked against ``catalog``."""
    fname = _esc(name or "scenario", 60)
    text = _decode(name, data, table=False)
    _scan_text(fname, _load_json(fname, text, "scenario"))
    try:
        return Scenario.from_json(text, catalog)
    except ScenarioError as e:
        raise UploadError(f"{fname}: {_esc(e, 300, quotes=False)}") from None


# ----------------------------------------------------------------------------- page text
def metadata_template() -> str:
    """An example metadata JSON file for the page's download button."""
    return json.dumps(
        {
            "name": "Share of viewers watching Russian TV",
            "direction": 1,
            "unit": "% of adults",
            "scale": "percent",
            "pillar": DEFAULT_PILLAR,
            "bounds": [0, 100],
            "definition": "Share of adults who watch Russian state television at least weekly, from national surveys.",
            "source": {
                "producer": "Survey institute",
                "title": "Media use survey, wave 5",
                "url": "https://example.org/survey",
                "figure_year": "2023",
                "accessed": dt.date.today().isoformat(),
                "licence": "",
                "quote": "",
            },
        },
        indent=2,
    )


def help_markdown() -> str:
    """Instructions for the "Your data" view (Markdown, no user text)."""
    years = f"{YEARS[0]}–{YEARS[-1]}"
    return f"""
**Add your own indicator** for this session only; the shipped data are never changed.

1. **Values**: a CSV file (UTF-8; comma, semicolon or tab between columns; at most {MAX_BYTES // 1_000_000} MB), either
   * *long*: columns `iso3`, `year`, `value` and optionally `status` ({", ".join(STATUSES)}) and `note`,
     one row per country and year; leave out rows without a value; or
   * *wide*: `iso3` and one column per year ({years}); leave a cell empty where there is no value.

   Countries: ISO3 codes or names of the {len(PANEL_COUNTRIES)} states ({", ".join(PANEL_COUNTRIES)}). Numbers only (a decimal
   comma is fine in semicolon files); no formulas, no HTML.
2. **Metadata**: name, direction (+1 if a higher value means closer to Moscow, −1 if farther), unit,
   scale ({", ".join(USER_SCALES)}), pillar (default *{DEFAULT_PILLAR}*: the largest pillar, so an unplaced
   indicator weighs least), optional bounds (default: the range of your values, 0–100 for percentages),
   and the source: producer, title, URL, year of the figures. Fill in the form or upload a JSON file
   (see the template); YAML is not accepted.

Your indicator is marked "(your data)" everywhere and gets its own weight slider.
"""
