"""Russia's share of each state's merchandise trade (exports + imports), per calendar year.

Indicator: ``trade_share_russia``. The precedence rule is data: ``indicators/hand/trade_precedence.csv``
(one row per dataset, rank 1 preferred), applied by :func:`choose_all`.

Inputs, best first:

* the official bulk extracts in the raw folder, read by :mod:`indicators.builders.trade_bulk` into one
  long *flows* frame (national statistics offices, IMF DOTS via :func:`indicators.builders.dots.read_dots`,
  WITS/ITC for Ukraine, Eurostat Comext for the Baltic states, Russian customs and IMF IMTS mirrors);
  cells listed in ``indicators/hand/trade_exclusions.csv`` are dropped (:func:`apply_exclusions`);
* cited official totals (and trade with Russia) in ``indicators/hand/trade_totals.csv`` (:func:`load_totals`);
* pages: ``compiled_cited/trade_with_russia.csv`` and ``indicators/hand/trade_extra.csv``, each row one
  figure with a verbatim quote and qualifiers in ``notes`` (:func:`load_rows`, :func:`row_flags`,
  :func:`candidates`, ordered among themselves by :func:`rank_key`).

:func:`bulk_candidates` and :func:`page_candidates` give candidate shares; :func:`choose_all` picks one per
country-year by :func:`precedence_key`; :func:`note_for` names the dataset and every other candidate, with
the marker :data:`DISAGREE_MARKER` before those more than :data:`DISAGREE_POINTS` points away. Gaps are
filled by the shared rule (``common.fill_gaps`` with this indicator's row of ``indicators/hand/rules.csv``).
``indicators/hand/trade_embargo.csv`` lists complete bans on trade in goods with Russia; :func:`embargo_years`
codes the full calendar years under such a ban as 0 and gap filling stops at the ban.

:data:`CODING_RULE` states the same in one paragraph.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from pathlib import Path

import pandas as pd

from indicators.builders import trade_bulk
from indicators.builders.common import (
    BuilderOutput,
    compiled_source,
    country_iso3,
    fill_gaps,
    partial_months,
    partial_ok,
    read_compiled,
    rule_for,
    url_source_id,
)
from indicators.countries import PANEL_COUNTRIES, YEARS
from indicators.schema import Indicator, Source
from indicators.structure import indicator_fields

IND_ID = "trade_share_russia"
RAW_NAME = "trade_with_russia.csv"
HAND_PATH = Path(__file__).resolve().parent.parent / "hand" / "trade_extra.csv"
EMBARGO_PATH = HAND_PATH.with_name("trade_embargo.csv")
PREFIX_RAW = "trade"
PREFIX_HAND = "trade-hand"
PREFIX_EMBARGO = "trade-embargo"

#: Gap filling and the minimum length of a partial-year figure are the shared rules of
#: ``indicators/builders/common.py`` (:func:`common.fill_gaps`, :func:`common.partial_ok`) with this
#: indicator's parameters in ``indicators/hand/rules.csv``.
#: Export and import shares are combined only if they differ by at most this many points.
MAX_EXIM_SPREAD = 5.0

KIND_RANK = {"direct": 0, "computed": 1, "exim": 2}
KIND_LABEL = {
    "direct": "direct total share",
    "computed": "turnover with Russia / total turnover",
    "exim": "midpoint of export and import shares",
}

# Clauses of a note that describe *another* row (and so must not flag this one).
_OTHER_ROW = re.compile(r"^(CONFLICT\S*\s.*\bwith\b|compare\b|consistent with|near-agreement)", re.I)
_RUSSIAN_SIDE = re.compile(
    r"Russian[- ]side|Russian (Federal Customs|customs|FCS|Ambassador|MFA|trade (representative|mission)|"
    r"Economy Minister|Deputy PM|First Deputy PM)|\bPutin\b|Mishustin|(?<!pro-)Kremlin|Ushakov|Gryzlov|Lukashevich",
    re.I,
)
_LOW_QUALITY_NOTE = re.compile(r"pro-Kremlin|low[- ]reliability|low-quality|partisan outlet|grokipedia", re.I)
_LOW_QUALITY_URL = re.compile(r"news-pravda|news-front|sputnik|//(www\.)?rt\.com|dzen\.ru|grokipedia", re.I)
# Figures on another basis than merchandise trade: goods and services, or turnover without gas.
_OTHER_CONCEPT = re.compile(r"goods AND services|include services|exclud\w* Turkmen gas", re.I)

DEFINITION = (
    "Russia's share of the country's total merchandise trade (exports + imports), in percent, for the calendar "
    "year, from the country's own trade statistics (national office or IMF DOTS), failing that from official "
    "figures cited on pages or Russia's mirror figures over the country's own total. "
    "Goods only; services are excluded. A higher share means closer economic dependence on Russia."
)

CODING_RULE = (
    "Russia's share = 100 x (exports to + imports from Russia) / (exports + imports with the World), goods, one "
    "currency (USD or EUR, never mixed) and one period. One value per country-year, chosen by the precedence table "
    "indicators/hand/trade_precedence.csv (applied by code): a full-year figure beats a partial-year one; then (1) "
    "the country's own statistics office (Armstat, imports by country of origin; Kazakhstan's Bureau of National "
    "Statistics; Kyrgyzstan's statistics committee; the Statistics Agency of Uzbekistan); (2) IMF DOTS, reporter "
    "side; (3) the state's own figures served by WITS/UN Comtrade or ITC Trade Map (Ukraine); (4) a bilateral "
    "official figure (the state's own, cited on a page: indicators/hand/trade_totals.csv and the raw "
    "trade_with_russia_cited_2021_2025; or Eurostat Comext for the Baltic states) divided by a World total; (5) "
    "Russia's mirror figure (Russian customs to 2021, IMF IMTS 2016-2024) divided by a World total (estimated; the "
    "note says 'mirror' and, after 2020, how the mirror compared with the state's own figures while both existed); "
    "(6) a share quoted from a page (compiled_cited and indicators/hand/trade_extra.csv), ordered among "
    "pages by the page rules: direct share over turnover with Russia / total turnover over the midpoint of export "
    "and import shares (used only within 5 points of each other), partner-side over Russian-side, exact over "
    "bound, stated year over inferred, longer partial period first, low-quality outlets last; figures on another "
    "basis (goods and services, turnover without gas) are not used. The World total (denominator) is, in order: "
    "the total on the same cited page as the trade with Russia; the state's own statistics (tiers 1-3); the World "
    "Bank WDI total (TX/TM.VAL.MRCH.CD.WT, refresh of 2026-07-01; BoP concept without non-monetary gold, flagged "
    "for Uzbekistan and Tajikistan; World Bank estimates for Turkmenistan); a total cited on a page. Status: observed for a full-year figure of "
    "tiers 1-3 with no caveat, or of tier 4 when both figures come from one cited page, or of a clean full-year "
    "page figure; estimated otherwise - every mirror; every share combining two sources; IMF DOTS for Turkmenistan "
    "(all years) and Uzbekistan 2012-2015 (IMF estimates from partner data); Kyrgyz 2023 (preliminary imports); "
    "bounds, approximations, inferred years and partial years. Cells listed in indicators/hand/trade_exclusions.csv "
    "are not used (IMF IMTS for Uzbekistan 2023-2024 and Tajikistan 2023-2024: implausible against the states' "
    "own figures), flagged (WDI for Uzbekistan, Tajikistan, Turkmenistan) or demoted - ranked after every other "
    "candidate, partial years included (IMF IMTS for Moldova: Russia's figures include Transnistria, an upper bound; "
    "for Lithuania: Russia records imports by origin and misses Lithuania's re-exports, a lower bound). The note "
    "names the dataset of the value and every other candidate with its value; a candidate more than 3 points away "
    "is listed after the machine-readable marker 'disagree:'. Gaps: the shared rule (common.fill_gaps, "
    "indicators/hand/rules.csv: interpolation across at most 4 missing years, carrying at most 2 years; partial "
    "years need 6 months). Embargo: where the government has banned all trade in goods with Russia "
    "(indicators/hand/trade_embargo.csv), every full calendar year after the ban's start with no sourced figure "
    "is coded 0 (estimated); nothing is filled into or across the ban."
)

YEARS_NOTE = (
    "2013-2020: IMF DOTS (reporter side) for every state, replaced by the national statistics office where the "
    "raw extracts have one (Armenia all years, Kyrgyzstan, Uzbekistan, Kazakhstan from 2019); Turkmenistan is an "
    "IMF partner-based estimate. 2021-2024: national offices for Armenia, Kazakhstan (to 2023), Kyrgyzstan (to "
    "2023), Uzbekistan (to 2023; 2024 from cited official figures); WITS for Ukraine 2021-2022 (coded 0 under its "
    "embargo in 2023 and 2025; 2024 from the IMF mirror); elsewhere Russia's mirror (Russian customs 2021, IMF IMTS "
    "2021-2024) over the WDI World total or Geostat's (estimated): Azerbaijan, Belarus, Estonia, Georgia, Latvia, "
    "Kyrgyzstan 2024, Moldova 2022 and 2024, Lithuania 2023-2024, Tajikistan 2021-2022, Turkmenistan 2021; "
    "Tajikistan 2023 from its statistics agency's figures (relayed by TASS) over WDI; Lithuania 2021-2022 and "
    "Moldova 2021 and 2023 from cited pages. Turkmenistan has no value after 2021 beyond two carried years; 2025 is "
    "sourced only for Uzbekistan (a page)."
)


# --------------------------------------------------------------------------- rows


def own_clauses(notes: str) -> str:
    """The note without clauses that describe another row (``CONFLICT with ...``, ``compare ...``)."""
    parts = [p.strip() for p in str(notes).split(";")]
    return "; ".join(p for p in parts if p and not _OTHER_ROW.match(p))


def row_flags(notes: str, url: str) -> dict:
    """Qualifiers of one raw row, read from its note (own clauses only) and URL."""
    own = own_clauses(notes)
    months = partial_months(notes)
    return {
        "partial": months is not None,
        "months": 12 if months is None else months,
        "bound": bool(re.search(r"lower bound|upper bound", own, re.I)),
        "year_inferred": "YEAR INFERRED" in own,
        "approx": bool(re.search(r"approximate", own, re.I)),
        "ytd": bool(re.search(r"year-to-date", own, re.I)),
        "low_quality": bool(_LOW_QUALITY_NOTE.search(own) or _LOW_QUALITY_URL.search(url)),
        "russian_side": bool(_RUSSIAN_SIDE.search(own)),
        "other_concept": bool(_OTHER_CONCEPT.search(notes)),
    }


def load_rows(raw: Path, hand_path: Path = HAND_PATH) -> pd.DataFrame:
    """Compiled and hand rows with iso3, numeric value (NaN for ranges), int year, flags and origin."""
    comp = read_compiled(raw, RAW_NAME)
    comp["origin"] = "compiled"
    comp["accessed"] = ""
    frames = [comp]
    if hand_path.exists():
        hand = pd.read_csv(hand_path, dtype=str, keep_default_na=False)
        missing = {"country", "year", "measure", "value", "source_url", "source_title", "quote", "accessed"} - set(hand)
        if missing:
            raise ValueError(
                f"{hand_path}: missing columns {sorted(missing)}; use the columns of {RAW_NAME} + accessed"
            )
        hand["iso3"] = hand["country"].map(country_iso3)
        hand["origin"] = "hand"
        frames.append(hand)
    rows = pd.concat(frames, ignore_index=True)
    rows["notes"] = rows["notes"].fillna("").astype(str)
    rows["year"] = pd.to_numeric(rows["year"], errors="coerce")
    rows["num"] = pd.to_numeric(rows["value"], errors="coerce")
    rows = rows[rows["year"].notna()].copy()
    rows["year"] = rows["year"].astype(int)
    flags = pd.DataFrame(
        [row_flags(n, u) for n, u in zip(rows["notes"], rows["source_url"], strict=True)], index=rows.index
    )
    rows = pd.concat([rows, flags], axis=1)
    rows["source_id"] = [_source(r).source_id for _, r in rows.iterrows()]
    return rows.reset_index(drop=True)


def _source(row: pd.Series, figure_year: str | None = None) -> Source:
    prefix = PREFIX_HAND if row["origin"] == "hand" else PREFIX_RAW
    src = compiled_source(row, prefix, figure_year or row["year"])
    if row["origin"] == "hand" and row.get("accessed"):
        src = src.model_copy(update={"accessed": dt.date.fromisoformat(str(row["accessed"]))})
    return src


def sources_for(rows: pd.DataFrame, ids: set[str]) -> list[Source]:
    """One Source per cited id; ``figure_year`` spans all rows that share the page and quote."""
    out = []
    for _sid, g in rows[rows["source_id"].isin(ids)].groupby("source_id", sort=True):
        lo, hi = int(g["year"].min()), int(g["year"].max())
        out.append(_source(g.iloc[0], str(lo) if lo == hi else f"{lo}-{hi}"))
    return out


# --------------------------------------------------------------------------- candidates


def _qualifiers(*rs) -> dict:
    keys = ("bound", "year_inferred", "approx", "ytd", "low_quality", "russian_side")
    return {k: any(bool(r[k]) for r in rs) for k in keys}


def _period(r) -> str:
    return "full year" if not r["partial"] else f"{r['months']} months"


#: Currencies a pair of money amounts may share (the ratio is currency-free, so any one works).
CURRENCIES = ("usd", "eur")


def amounts(by: dict[str, list], cur: str, whole: str, parts: tuple[str, str]) -> list[tuple[float, list, str]]:
    """Money amounts in one currency: each ``whole`` row, and each pair of ``parts`` rows summed.

    ``amounts(by, "eur", "total_turnover", ("total_exports", "total_imports"))`` gives every
    total-turnover figure in EUR, stated directly or as exports + imports of the same period.
    Returns (value, rows, text) triples; the text shows the sum when parts were added.
    """
    out = [(r["num"], [r], f"{r['num'] / 1e9:g}") for r in by.get(f"{whole}_{cur}", [])]
    for a in by.get(f"{parts[0]}_{cur}", []):
        for b in by.get(f"{parts[1]}_{cur}", []):
            out.append((a["num"] + b["num"], [a, b], f"({a['num'] / 1e9:g} + {b['num'] / 1e9:g})"))
    return out


def candidates(rows: pd.DataFrame) -> list[dict]:
    """Candidate total shares (percent) for every country-year in the panel years.

    * ``direct``: a ``total_trade_share_pct`` row.
    * ``computed``: 100 * trade with Russia / total trade, both in the same currency
      (:data:`CURRENCIES`) and for the same country, year and period length. Each side is a
      ``turnover_with_russia_*`` / ``total_turnover_*`` row or the sum of an exports row and an
      imports row (``exports_to_russia_*`` + ``imports_from_russia_*``; ``total_exports_*`` +
      ``total_imports_*``). Russian-side figures for trade with Russia are skipped (the total
      is the country's own figure, so the two would come from different sides).
    * ``exim``: mean of an ``export_share_pct`` and an ``import_share_pct`` row of the same
      country, year and period, only if they differ by at most :data:`MAX_EXIM_SPREAD` points.

    Rows on another basis (goods and services, turnover without gas), non-numeric values
    (ranges) and partial periods that fail :func:`common.partial_ok` (the indicator's
    ``min_partial_months`` in ``indicators/hand/rules.csv``) give no candidate.
    A zero or missing total gives no computed candidate (no division by zero).
    """
    ok = rows[rows["year"].isin(YEARS) & rows["num"].notna() & ~rows["other_concept"]]
    rule = rule_for(IND_ID)
    ok = ok[[partial_ok(int(m) if p else None, rule) for p, m in zip(ok["partial"], ok["months"], strict=True)]]
    out = []
    for (iso3, year, _months), g in ok.groupby(["iso3", "year", "months"], sort=True):
        by = {m: [r for _, r in g[g["measure"] == m].iterrows()] for m in g["measure"].unique()}
        for r in by.get("total_trade_share_pct", []):
            out.append(_cand(iso3, year, r["num"], "direct", [r], f"{r['num']:g}% reported"))
        for cur in CURRENCIES:
            totals = amounts(by, cur, "total_turnover", ("total_exports", "total_imports"))
            for t, t_rows, t_text in amounts(
                by, cur, "turnover_with_russia", ("exports_to_russia", "imports_from_russia")
            ):
                if any(r["russian_side"] for r in t_rows):
                    continue
                for tot, tot_rows, tot_text in totals:
                    if not tot > 0:
                        continue
                    desc = f"{t_text} bn {cur.upper()} with Russia / {tot_text} bn {cur.upper()} total"
                    out.append(_cand(iso3, year, 100.0 * t / tot, "computed", t_rows + tot_rows, desc))
        for e in by.get("export_share_pct", []):
            for i in by.get("import_share_pct", []):
                spread = abs(e["num"] - i["num"])
                if spread <= MAX_EXIM_SPREAD:
                    desc = f"exports {e['num']:g}%, imports {i['num']:g}% (error at most {spread / 2:.2f} points)"
                    out.append(_cand(iso3, year, (e["num"] + i["num"]) / 2, "exim", [e, i], desc))
    return out


def _cand(iso3: str, year: int, value: float, kind: str, rs: list, desc: str) -> dict:
    first = rs[0]
    return {
        "iso3": iso3,
        "year": int(year),
        "value": float(value),
        "kind": kind,
        "partial": bool(first["partial"]),
        "months": int(first["months"]),
        "period": _period(first),
        "ids": tuple(sorted({r["source_id"] for r in rs})),
        "desc": desc,
        **_qualifiers(*rs),
    }


def rank_key(c: dict) -> tuple:
    """Sort key: smaller is preferred (see :data:`CODING_RULE`, steps 1-7)."""
    return (
        c["partial"],
        KIND_RANK[c["kind"]],
        c["low_quality"],
        c["russian_side"],
        c["bound"],
        c["year_inferred"],
        c["approx"],
        c["ytd"],
        -c["months"],
        c["ids"],
        c["value"],
    )


def status_of(c: dict) -> str:
    """``observed`` only for a clean full-year direct or computed figure; else ``estimated``."""
    clean = not any(c[k] for k in ("bound", "year_inferred", "approx", "ytd", "low_quality"))
    return "observed" if (not c["partial"] and c["kind"] != "exim" and clean) else "estimated"


def describe(c: dict) -> str:
    """Short text for a candidate: value, method, period and qualifiers."""
    tags = [
        t
        for k, t in (
            ("bound", "lower bound"),
            ("year_inferred", "year inferred"),
            ("approx", "approximate"),
            ("ytd", "year-to-date"),
            ("low_quality", "low-quality outlet"),
            ("russian_side", "Russian-side"),
        )
        if c[k]
    ]
    if c["partial"]:
        tags.insert(0, f"partial year, {c['months']} months, not an annual value")
    extra = f"; {', '.join(tags)}" if tags else ""
    return f"{c['value']:.4g}% ({KIND_LABEL[c['kind']]}: {c['desc']}{extra}) [{';'.join(c['ids'])}]"


# --------------------------------------------------------------------------- embargoes


def load_embargoes(path: Path = EMBARGO_PATH) -> dict[str, tuple[dt.date, Source]]:
    """iso3 -> (start date, Source) of a complete ban on trade in goods with Russia."""
    out = {}
    for _, r in pd.read_csv(path, dtype=str, keep_default_na=False).iterrows():
        start = dt.date.fromisoformat(r["start_date"])
        src = compiled_source(r, PREFIX_EMBARGO, f"{start.year + 1}-{YEARS[-1]}")
        out[country_iso3(r["country"])] = (
            start,
            src.model_copy(update={"accessed": dt.date.fromisoformat(r["accessed"])}),
        )
    return out


def embargo_years(start: dt.date, years=YEARS) -> list[int]:
    """Panel years wholly under a ban that started on ``start``: the years after the start year.

    A ban from 1 January still leaves its start year out: the rule codes only years for which
    the ban is known to have held from the first day, and a ban dated 1 January is rare enough
    that treating it as mixed costs nothing.
    """
    return [y for y in years if y > start.year]


# --------------------------------------------------------------------------- bulk data and precedence

#: A cell whose note contains this marker has candidates that differ from the chosen value by more
#: than :data:`DISAGREE_POINTS` points; the Data view flags such cells.
DISAGREE_MARKER = "disagree:"
DISAGREE_POINTS = 3.0
PRECEDENCE_PATH = HAND_PATH.with_name("trade_precedence.csv")
TOTALS_PATH = HAND_PATH.with_name("trade_totals.csv")
EXCLUSIONS_PATH = HAND_PATH.with_name("trade_exclusions.csv")
PREFIX_TOTALS = "trade-total"
PREFIX_CITED = "trade-cited"
PAGES = "pages"
#: Rank of a candidate built on cells the exclusions table demotes: after every dataset, pages included.
DEMOTED_RANK = 99
METHODS = {"reporter_share", "total_only", "bilateral_over_total", "mirror_over_own_total", "page_share"}
_PARTNER = {"World": "WLD", "Russia": "RUS"}


def load_precedence(path: Path = PRECEDENCE_PATH) -> pd.DataFrame:
    """The precedence table (one row per dataset, ``rank`` 1 = preferred), checked against the known datasets."""
    t = pd.read_csv(path, dtype=str, keep_default_na=False)
    t["rank"] = t["rank"].astype(int)
    known = set(trade_bulk.SOURCES) | {"cited_official", PAGES}
    if set(t["dataset"]) != known or t["dataset"].duplicated().any():
        raise ValueError(f"{path.name}: datasets must be exactly {sorted(known)}, once each")
    if not set(t["method"]) <= METHODS or sorted(t["rank"]) != list(range(1, len(t) + 1)):
        raise ValueError(f"{path.name}: unknown method or ranks not 1..n")
    return t.sort_values("rank", ignore_index=True)


#: Actions of the exclusions table: drop the cells; keep them with the reason as a caveat (estimated); or keep
#: them flagged and ranked after every other candidate, pages included (:data:`DEMOTED_RANK`).
ACTIONS = ("exclude", "flag", "demote")


def apply_exclusions(flows: pd.DataFrame, path: Path = EXCLUSIONS_PATH) -> pd.DataFrame:
    """Apply the exclusions table (dataset, iso3, year span, action, reason) to the bulk flows.

    ``exclude`` drops the cells; ``flag`` adds the reason to the cells' ``flag`` (so a share using them is
    estimated and its note says why); ``demote`` flags them too and sets ``demoted`` (their candidate ranks last).
    """
    t = pd.read_csv(path, dtype=str, keep_default_na=False)
    flows = flows.assign(demoted=False)
    drop = pd.Series(False, index=flows.index)
    for _, r in t.iterrows():
        if r["dataset"] not in trade_bulk.SOURCES or not r["reason"].strip() or r["action"] not in ACTIONS:
            raise ValueError(f"{path.name}: unknown dataset {r['dataset']!r} or action {r['action']!r}, or no reason")
        years = flows["year"].between(int(r["from_year"]), int(r["to_year"]))
        hit = (flows["dataset"] == r["dataset"]) & (flows["iso3"] == r["iso3"]) & years
        if r["action"] == "exclude":
            drop |= hit
            continue
        flows.loc[hit, "flag"] = [f"{f}; {r['reason']}" if f else r["reason"] for f in flows.loc[hit, "flag"]]
        if r["action"] == "demote":
            flows.loc[hit, "demoted"] = True
    return flows[~drop]


def _cited_source(r: pd.Series, prefix: str, url: str) -> Source:
    """The Source of one cited row (producer, source_title, year, accessed, quote) found at ``url``."""
    url = url.strip()
    return Source(
        source_id=url_source_id(prefix, url, r["quote"]),
        producer=r["producer"],
        title=r["source_title"],
        url=url,
        figure_year=str(r["year"]),
        accessed=dt.date.fromisoformat(r["accessed"]),
        licence="quoted for citation; see the page",
        quote=r["quote"],
    )


def load_totals(path: Path = TOTALS_PATH) -> tuple[pd.DataFrame, dict[str, Source]]:
    """Cited official totals (and trade with Russia) as flows rows of dataset ``cited_official``, plus their Sources.

    Each row gets ``source_id`` and ``url`` columns; a note containing 'lower bound' or 'approximate' sets the
    flag (the value is then estimated).
    """
    t = pd.read_csv(path, dtype=str, keep_default_na=False)
    rows, sources, ids = [], {}, []
    for _, r in t.iterrows():
        src = _cited_source(r, PREFIX_TOTALS, str(r["source_url"]))
        if src.source_id in sources:  # one quote giving figures of several years
            years = sorted({int(y) for y in sources[src.source_id].figure_year.split("-")} | {int(r["year"])})
            src = src.model_copy(update={"figure_year": _span(set(years))})
        sources[src.source_id] = src
        flag = ", ".join(q for q in ("lower bound", "approximate") if re.search(q, r["notes"], re.I))
        rows.append(
            (
                "cited_official",
                country_iso3(r["country"]),
                int(r["year"]),
                _PARTNER[r["partner"]],
                r["flow"],
                float(r["value"]),
                r["currency"],
                int(r["months"]),
                "reporter",
                flag,
            )
        )
        ids.append(src.source_id)
    df = pd.DataFrame(rows, columns=trade_bulk.FLOW_COLUMNS)
    df["source_id"] = ids
    df["url"] = t["source_url"].str.strip().to_numpy()
    df["producer"] = t["producer"].to_numpy()
    return df, sources


#: The raw folder of trade with Russia from the reporter's own statistics, cited on pages (2021-2025).
CITED_RAW = ("trade_with_russia_cited_2021_2025", "trade_with_russia_cited.csv")
_CITED_FLOW = {"X": "exports", "M": "imports", "T": "turnover"}
_CITED_UNIT = {"million_usd": ("USD", 1e6), "million_eur": ("EUR", 1e6)}


def period_months(period: str) -> int:
    """Months covered by a period code of the cited raw table: ``2023`` 12, ``2024M01-M11`` 11, ``2024M06`` 1,
    ``2022Q3`` 3, ``2024H1`` 6."""
    p = str(period)
    if re.fullmatch(r"\d{4}", p):
        return 12
    if m := re.fullmatch(r"\d{4}M(\d{2})-M(\d{2})", p):
        return int(m.group(2)) - int(m.group(1)) + 1
    if re.fullmatch(r"\d{4}M\d{2}", p):
        return 1
    if re.fullmatch(r"\d{4}Q[1-4]", p):
        return 3
    if re.fullmatch(r"\d{4}H[12]", p):
        return 6
    raise ValueError(f"{CITED_RAW[1]}: unknown period {p!r}")


def load_cited_raw(raw: Path) -> tuple[pd.DataFrame, dict[str, Source]]:
    """Trade with Russia from the reporter's own statistics as cited on pages (raw folder :data:`CITED_RAW`),
    as flows rows of dataset ``cited_official`` plus their Sources (same form as :func:`load_totals`).

    Rows whose flow is marked doubtful in the folder (``T?``) or whose note says TRAP (another measure, e.g.
    Russia and Belarus combined, goods and services) are not read; 'lower bound' and 'approximate' in a note
    are flags (the value is then estimated).
    """
    t = pd.read_csv(raw.joinpath(*CITED_RAW), dtype=str, keep_default_na=False)
    t = t[t["flow"].isin(list(_CITED_FLOW)) & ~t["notes"].str.contains("TRAP")]
    rows, sources = [], {}
    for _, r in t.iterrows():
        url = r["url"].strip()
        src = _cited_source(r, PREFIX_CITED, url)
        sources[src.source_id] = src
        cur, scale = _CITED_UNIT[r["unit"]]
        flag = ", ".join(q for q in ("lower bound", "approximate") if re.search(q, r["notes"], re.I))
        rows.append(
            (
                "cited_official",
                r["iso3"],
                int(r["year"]),
                "RUS",
                _CITED_FLOW[r["flow"]],
                float(r["value"]) * scale,
                cur,
                period_months(r["period"]),
                "reporter",
                flag,
                src.source_id,
                url,
                r["producer"],
            )
        )
    df = pd.DataFrame(rows, columns=[*trade_bulk.FLOW_COLUMNS, "source_id", "url", "producer"])
    return df, sources


def _amount(g: pd.DataFrame, partner: str) -> tuple[float, pd.DataFrame] | None:
    """Exports + imports (or a stated turnover) with one partner in one group of flows rows."""
    p = g[g["partner"] == partner]
    x, m, t = (p[p["flow"] == f] for f in ("exports", "imports", "turnover"))
    if len(x) == 1 and len(m) == 1:
        return float(x["value"].iloc[0] + m["value"].iloc[0]), pd.concat([x, m])
    if len(t) == 1:
        return float(t["value"].iloc[0]), t
    return None


def _bn(rows: pd.DataFrame) -> str:
    cur = rows["currency"].iloc[0]
    parts = [f"{r.flow[0].upper()} {r.value / 1e9:.4g}" for r in rows.itertuples()]
    return f"{' + '.join(parts)} bn {cur}"


def _bulk_cand(iso3, year, value, dataset, prec, rows: pd.DataFrame, ids, desc, estimated: bool, extra_flags=()):
    flags = sorted({f for f in rows["flag"] if f} | set(extra_flags))
    months = int(rows["months"].min())
    status = "estimated" if (estimated or flags or months < 12) else "observed"
    demoted = "demoted" in rows and bool(rows["demoted"].fillna(False).astype(bool).any())
    return {
        "iso3": iso3,
        "year": int(year),
        "value": float(value),
        "dataset": dataset,
        "rank": DEMOTED_RANK if demoted else prec[dataset],
        "partial": months < 12,
        "months": months,
        "ids": tuple(sorted(set(ids))),
        "desc": desc + ("; " + "; ".join(flags) if flags else ""),
        "status": status,
        "page_key": (),
    }


def _via(rows: pd.DataFrame) -> str:
    """', as published by <producer>' for cited rows (the page that relays the official figure), else ''."""
    if "producer" not in rows:
        return ""
    who = sorted({p for p in rows["producer"] if isinstance(p, str) and p})
    return f", as published by {' and '.join(who)}" if who else ""


def bulk_candidates(
    flows: pd.DataFrame, precedence: pd.DataFrame, ids_of: dict[str, str], labels: dict[str, str] | None = None
) -> list[dict]:
    """Candidate shares (percent) from the bulk datasets and the cited figures, one per dataset and country-year.

    * ``reporter_share``: 100 * (exports + imports with Russia) / (exports + imports with the World), all from
      the one dataset, same currency and months.
    * ``bilateral_over_total``: trade with Russia from the dataset (Comext, EUR; or a cited official figure)
      / a World total in the same currency and months: a total from the same cited page where there is one
      (observed: one statement), else the state's best-ranked World total (estimated: two sources).
    * ``mirror_over_own_total``: Russia's reported trade with the state / the state's best-ranked World total
      (reporter side, same currency, 12 months); always estimated; the note says "mirror".
    The best-ranked World total is the state's own statistics (ranks above ``wdi``) where they have one, else
    WDI, else a cited official total. ``ids_of`` maps a bulk dataset to its source id (cited rows carry their own
    ``source_id``); cells demoted by the exclusions table rank after every other candidate.
    """
    prec = dict(zip(precedence["dataset"], precedence["rank"], strict=True))
    method = dict(zip(precedence["dataset"], precedence["method"], strict=True))
    labels = labels or dict(zip(precedence["dataset"], precedence["label"], strict=True))
    flows = flows[flows["year"].isin(YEARS)]
    sid = flows["source_id"] if "source_id" in flows else pd.Series(index=flows.index, dtype=object)
    flows = flows.assign(source_id=sid.where(sid.notna(), flows["dataset"].map(ids_of)))

    def ids(rows):
        return list(rows["source_id"])

    # World totals per (iso3, year, currency, months), best-ranked first: [(value, rows, dataset)].
    own: dict[tuple, list[tuple[float, pd.DataFrame, str]]] = defaultdict(list)
    rep = flows[(flows["side"] == "reporter") & (flows["partner"] == "WLD")]
    for (ds, iso3, year, cur, months), g in rep.groupby(["dataset", "iso3", "year", "currency", "months"]):
        if a := _amount(g, "WLD"):
            if a[0] > 0:
                own[(iso3, int(year), cur, int(months))].append((a[0], a[1], ds))
    for totals in own.values():
        totals.sort(key=lambda t: prec[t[2]])

    out = []
    for (ds, iso3, year, cur, months), g in flows.groupby(["dataset", "iso3", "year", "currency", "months"]):
        m, year, months = method[ds], int(year), int(months)
        rus = _amount(g, "RUS")
        if rus is None or m == "total_only":
            continue
        totals = own.get((iso3, year, cur, months), [])
        if m == "reporter_share":
            wld = _amount(g, "WLD")
            if wld and wld[0] > 0:
                desc = f"({_bn(rus[1])} with Russia) / ({_bn(wld[1])} with the World)"
                rows = pd.concat([rus[1], wld[1]])
                out.append(_bulk_cand(iso3, year, 100 * rus[0] / wld[0], ds, prec, rows, ids(rows), desc, False))
        elif m == "bilateral_over_total" and totals:
            urls = set(rus[1]["url"].dropna()) if "url" in rus[1] else set()
            same = [t for t in totals if t[2] == "cited_official" and urls and set(t[1]["url"]) == urls]
            tot = (same or totals)[0]
            rows = pd.concat([rus[1], tot[1]])
            one_statement = bool(same) and ds == "cited_official" and len(urls) == 1
            desc = (
                f"({_bn(rus[1])} with Russia, {labels[ds]}{_via(rus[1])}) / "
                f"({_bn(tot[1])} with the World, {labels[tot[2]]}{_via(tot[1])})"
            )
            out.append(
                _bulk_cand(iso3, year, 100 * rus[0] / tot[0], ds, prec, rows, ids(rows), desc, not one_statement)
            )
        elif m == "mirror_over_own_total" and totals:
            tot = totals[0]
            rows = pd.concat([rus[1], tot[1]])
            desc = f"mirror: ({_bn(rus[1])} Russia-reported) / ({_bn(tot[1])} with the World, {labels[tot[2]]})"
            out.append(_bulk_cand(iso3, year, 100 * rus[0] / tot[0], ds, prec, rows, ids(rows), desc, True))
    return out


def page_candidates(rows: pd.DataFrame, rank: int) -> list[dict]:
    """The page candidates of :func:`candidates` in the common candidate form (dataset ``pages``)."""
    out = []
    for c in candidates(rows):
        out.append(
            {
                "iso3": c["iso3"],
                "year": c["year"],
                "value": c["value"],
                "dataset": PAGES,
                "rank": rank,
                "partial": c["partial"],
                "months": c["months"],
                "ids": c["ids"],
                "desc": describe(c),
                "status": status_of(c),
                "page_key": rank_key(c),
            }
        )
    return out


def precedence_key(c: dict) -> tuple:
    """Smaller is preferred: a candidate on demoted cells last of all (even after partial years); then a
    full-year figure first, then the dataset's rank, then (pages) the page rules."""
    return (c["rank"] == DEMOTED_RANK, c["partial"], c["rank"], c["page_key"], c["ids"], c["value"])


#: Datasets whose candidates are the state's own figures (reporter side), and the mirror datasets.
MIRRORS = ("fcs_mirror", "imts_mirror")


def add_mirror_track_record(cands: list[dict], precedence: pd.DataFrame, last_year: int = 2020) -> None:
    """Append to each mirror candidate after ``last_year`` how that mirror compared with the state's own figures.

    For every year up to ``last_year`` in which a state has both an observed ``reporter_share`` candidate (its own
    figures, full year, not an IMF estimate from partner data) and a candidate of the same mirror dataset, the ratio own / mirror is computed; the later mirror
    candidates of that state get '<mirror> vs own figures in <years>: own share = a-b x the mirror share' in their
    description, so a reader sees how far the mirror ran from the state's own statistics while both existed.
    """
    method = dict(zip(precedence["dataset"], precedence["method"], strict=True))
    own = defaultdict(dict)
    for c in cands:
        own_figures = c["status"] == "observed"  # not an IMF estimate from partner data (Turkmenistan)
        if method.get(c["dataset"]) == "reporter_share" and own_figures and c["year"] <= last_year:
            own[c["iso3"]].setdefault(c["year"], c)
    for ds in MIRRORS:
        ratios = defaultdict(dict)
        for c in cands:
            o = own[c["iso3"]].get(c["year"])
            if c["dataset"] == ds and c["year"] <= last_year and o and c["value"] > 0:
                ratios[c["iso3"]][c["year"]] = o["value"] / c["value"]
        for c in cands:
            r = ratios.get(c["iso3"])
            if c["dataset"] == ds and c["year"] > last_year and r:
                years = _span(set(r))
                c["desc"] += (
                    f"; track record of this mirror against the state's own figures {years}: own share = "
                    f"{min(r.values()):.2f}-{max(r.values()):.2f} x the mirror share"
                )


def choose_all(cands: list[dict]) -> dict[tuple[str, int], tuple[dict, list[dict]]]:
    """Best candidate per (iso3, year) by :func:`precedence_key`, and the others in order."""
    groups: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for c in cands:
        groups[(c["iso3"], c["year"])].append(c)
    return {k: (cs[0], cs[1:]) for k, cs in sorted(groups.items()) for cs in [sorted(cs, key=precedence_key)]}


def note_for(best: dict, others: list[dict], labels: dict[str, str]) -> str:
    """The value's note: the chosen figure and its dataset, then every other candidate with its value.

    Full-year candidates more than :data:`DISAGREE_POINTS` points away are listed after
    :data:`DISAGREE_MARKER`; the rest after ``agree within 3 points:``; partial-year ones after ``not used:``.
    """

    def short(c):
        ids = f" [{';'.join(c['ids'])}]" if c["dataset"] != PAGES else ""
        text = c["desc"] if c["dataset"] == PAGES else f"{c['value']:.4g}% {labels[c['dataset']]}{ids}"
        return text

    head = f"{best['value']:.4g}% from {labels[best['dataset']]}"
    head += f": {best['desc']}" if best["dataset"] != PAGES else f" ({best['desc']})"
    full = [c for c in others if not c["partial"]]
    far = [c for c in full if abs(c["value"] - best["value"]) > DISAGREE_POINTS]
    near = [c for c in full if c not in far]
    parts = [head]
    if far:
        parts.append(f"{DISAGREE_MARKER} " + " | ".join(short(c) for c in far))
    if near:
        parts.append("agree within 3 points: " + " | ".join(short(c) for c in near))
    part = [c for c in others if c["partial"]]
    if part:
        parts.append("not used: " + " | ".join(short(c) for c in part))
    return "; ".join(parts)


# --------------------------------------------------------------------------- build


def _span(years: set[int]) -> str:
    lo, hi = min(years), max(years)
    return str(lo) if lo == hi else f"{lo}-{hi}"


def build(raw: Path) -> BuilderOutput:
    precedence = load_precedence()
    labels = dict(zip(precedence["dataset"], precedence["label"], strict=True))
    ids_of = {ds: src.source_id for ds, src in trade_bulk.SOURCES.items()}
    totals, total_sources = load_totals()
    cited_raw, cited_sources = load_cited_raw(raw)
    total_sources = {**total_sources, **cited_sources}
    bulk = apply_exclusions(trade_bulk.read_all(raw))
    flows = pd.concat([bulk.assign(source_id=None, url=None), totals, cited_raw], ignore_index=True)
    rows = load_rows(raw)
    page_rank = int(precedence.loc[precedence["dataset"] == PAGES, "rank"].iloc[0])
    cands = bulk_candidates(flows, precedence, ids_of, labels)
    add_mirror_track_record(cands, precedence)
    cands += page_candidates(rows, page_rank)
    chosen = choose_all(cands)
    embargoes = load_embargoes()
    out = BuilderOutput(indicators=[])
    cited_years: dict[str, set[int]] = defaultdict(set)
    extra: list[Source] = []
    for iso3 in PANEL_COUNTRIES:
        picks = {y: chosen[(iso3, y)] for y in YEARS if (iso3, y) in chosen}
        for y, (best, others) in picks.items():
            out.add(iso3, y, IND_ID, best["value"], best["status"], best["ids"], note_for(best, others, labels))
            for i in best["ids"]:
                cited_years[i].add(y)
        years, breaks = YEARS, ()
        if iso3 in embargoes:
            start, src = embargoes[iso3]
            years, breaks = [y for y in YEARS if y < start.year], (start.year,)
            coded = [y for y in embargo_years(start) if y not in picks]
            for y in coded:
                note = (
                    f"coded 0: complete ban on trade in goods with Russia since {start.isoformat()} [{src.source_id}]"
                )
                out.add(iso3, y, IND_ID, 0.0, "estimated", (src.source_id,), note)
            if coded:
                extra.append(src)
        anchors = {y: b["value"] for y, (b, _) in picks.items() if y in years}
        for y, fill in sorted(fill_gaps(anchors, rule_for(IND_ID), years, breaks).items()):
            y0, y1 = fill.from_year, fill.to_year
            ids = set(picks[y0][0]["ids"]) | (set(picks[y1][0]["ids"]) if y1 else set())
            out.add(iso3, y, IND_ID, fill.value, fill.status, ids, fill.describe(y, "{:.4g}%", anchors))
            for anchor in (y0, y1) if y1 else (y0,):  # a filled value cites the figures of its anchor years
                for i in picks[anchor][0]["ids"]:
                    cited_years[i].add(anchor)
    cited = set(cited_years)
    sources = sources_for(rows, cited)
    bulk_by_id = {src.source_id: src for src in trade_bulk.SOURCES.values()}
    # Bulk datasets and cited totals named in a note (as the value's source or as another candidate) are
    # listed too, with the years they are named for, so every bracketed id in a note resolves.
    named: dict[str, set[int]] = defaultdict(set)
    for r in out.rows:
        for group in re.findall(r"\[([^\]]+)\]", r["note"]):
            for sid in group.split(";"):
                if sid in bulk_by_id or sid in total_sources:
                    named[sid].add(r["year"])
    for sid in sorted(cited | set(named)):
        years = cited_years.get(sid, set()) | named.get(sid, set())
        if sid in bulk_by_id:
            sources.append(bulk_by_id[sid].model_copy(update={"figure_year": _span(years)}))
        elif sid in total_sources:
            sources.append(total_sources[sid])
    cited |= set(named)
    out.sources = sources + extra
    out.indicators.append(
        Indicator(
            id=IND_ID,
            **indicator_fields(IND_ID),
            unit="% of total merchandise trade",
            scale="percent",
            bounds=(0, 100),
            goalposts=(0, 100),
            definition=DEFINITION,
            coding_rule=CODING_RULE,
            years_note=YEARS_NOTE,
            source_ids=tuple(sorted(cited | {src.source_id for src in extra})),
        )
    )
    return out
