"""Every citation supports its value: the quote states the figure or the date it is cited for.

Formats allowed are those of :mod:`indicators.quotes` (``80%``, ``80 per cent``, ``более 80%``,
``80,5``, thousands separators, amounts in words such as ``$4.4 bn``; dates as ``15 May 1992``,
``May 15, 1992``, ``15.05.1992``, with the year allowed from the page's dateline).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from indicators.builders.common import apply_corrections, quote_supports_row
from indicators.quotes import date_supported, figure_in_quote

HAND = Path(__file__).resolve().parent.parent / "indicators" / "hand"


@pytest.mark.parametrize(
    "figure, quote",
    [
        (80, "Russia accounts for 80% of gas imports"),
        (80, "80 per cent of its gas"),
        (80, "более 80% газа"),
        (80.5, "доля составила 80,5 процента"),
        (613029, "amounted to 613,029 tonnes"),
        (4400000000, "turnover reached $4.4 bn"),
        (2900000000, "составил 2,9 миллиарда долларов"),
        ("80-85", "between 80 and 85 percent"),
        ("5.7 of 8.06", "5.7 mln cubic meters, with demand of 8.06 mln"),
        (0, "Russian gas is no longer flowing to Latvia"),
        (100, "depend on Russia for all their gas imports"),
        (5, "etwa fünf Milliarden Kubikmeter"),
        (2966, "մոտ 2 միլիարդ 966 միլիոն խմ"),
    ],
)
def test_figure_formats(figure, quote):
    assert figure_in_quote(figure, quote)


@pytest.mark.parametrize(
    "figure, quote", [(80, "Russia accounts for 70% of gas imports"), (417, "486 thousand tons, 69 thousand more")]
)
def test_figure_not_stated(figure, quote):
    assert not figure_in_quote(figure, quote)


@pytest.mark.parametrize(
    "date, quote, title, ok",
    [
        ("1992-05-15", "signed in Tashkent on May 15, 1992", "", True),
        ("1992-05-15", "подписан 15 мая 1992 года", "", True),
        ("1992-05-15", "signed on 15.05.1992", "", True),
        (
            "2014-06-27",
            "signed Association Agreements with the EU on 27 June.",
            "EU forges ties (EEAS, 2014-06-27)",
            True,
        ),
        ("2025-01-09", "On January 9, 2024, the project was approved", "", False),  # the misdated Armenian event
        ("2001-06-15", "founded in 2001", "", False),  # the day and month are not stated
        ("2013", "the 2013 summit", "", True),
        ("2013-11", "in November", "Live blog (RFE/RL, 2012-11-29)", False),
    ],
)
def test_date_formats(date, quote, title, ok):
    assert date_supported(date, quote, title) is ok


def hand_cited_tables() -> dict[str, str]:
    """Every hand table with a ``quote`` column, found by discovery, and the column its quote must state:
    ``value`` (a figure) where there is one, else the date it is cited for (``new_date`` of a correction,
    else the first ``*date`` column)."""
    out = {}
    for path in sorted(HAND.glob("*.csv")):
        cols = list(pd.read_csv(path, nrows=0).columns)
        if "quote" not in cols:
            continue
        dates = [c for c in cols if c.endswith("date")]
        out[path.name] = "value" if "value" in cols else ("new_date" if "new_date" in cols else dates[0])
    return out


def test_every_hand_table_is_cited_or_a_rule_table():
    """A hand table either quotes its sources row by row (checked below) or is a rule or code table
    without figures, listed as such in the README."""
    readme = (HAND.parent.parent / "README.md").read_text(encoding="utf-8")
    rules = readme[readme.index("Rule and code tables") :].split("\n\n")[0]
    cited = hand_cited_tables()
    assert {"facts_extra.csv", "trade_totals.csv", "corrections.csv"} <= set(cited)
    unlisted = [p.name for p in HAND.glob("*.csv") if p.name not in cited and f"`{p.name}`" not in rules]
    assert not unlisted, f"hand tables neither quoted row by row nor listed as rule tables: {unlisted}"


def _cited_rows(raw: Path) -> pd.DataFrame:
    """Every raw and hand row with a quote: file, country, claim, quote, title, url, supported."""
    out = []
    for name in (
        "memberships_dated.csv",
        "western_structural_ties.csv",
        "western_engagement_events.csv",
        "trade_with_russia.csv",
        "energy_dependence.csv",
    ):
        df = apply_corrections(pd.read_csv(raw / "compiled_cited" / name, dtype=str, keep_default_na=False), name)
        ok = [quote_supports_row(r, name) for _, r in df.iterrows()]
        out.append(df.assign(file=name, ok=ok, claim=df["date"] if "date" in df else df["value"]))
    for name, col in hand_cited_tables().items():
        df = pd.read_csv(HAND / name, dtype=str, keep_default_na=False)
        # tables name the page's URL and the state in one of two ways
        df = df.rename(columns={"url": "source_url"} if "source_url" not in df else {})
        df = df.rename(columns={"iso3": "country"} if "country" not in df else {})
        if col == "value":
            ok = [figure_in_quote(v, q) for v, q in zip(df[col], df["quote"], strict=True)]
        else:
            ok = [
                date_supported(d, q, t, u)
                for d, q, t, u in zip(df[col], df["quote"], df["source_title"], df["source_url"], strict=True)
            ]
        out.append(df.assign(file=name, ok=ok, claim=df[col]))
    cols = ["file", "country", "claim", "quote", "source_title", "source_url", "ok"]
    return pd.concat([d[cols] for d in out], ignore_index=True)


def test_every_cited_quote_states_its_figure_or_date(raw_dir, shipped):
    panel, _, sources = shipped
    from indicators import load_events

    cited_ids = {x for ids in panel["source_ids"] for x in ids.split(";")} | set(load_events()["source_id"])
    cited = {(str(sources[k].url), sources[k].quote) for k in cited_ids if sources[k].quote}
    rows = _cited_rows(raw_dir)
    rows = rows[
        [
            (u.strip(), q) in cited or (u.strip() + "/", q) in cited
            for u, q in zip(rows["source_url"], rows["quote"], strict=True)
        ]
    ]
    assert len(rows) > 200  # the check covers the shipped citations, not an empty set
    bad = rows[~rows["ok"]]
    assert bad.empty, "quotes that do not state what they are cited for:\n" + bad.to_string(max_colwidth=60)


def test_every_event_quote_states_its_date(shipped):
    from indicators import load_events

    _, _, sources = shipped
    ev = load_events()
    bad = [
        (e.iso3, e.date, e.description[:50])
        for e in ev.itertuples()
        if sources[e.source_id].quote
        and not date_supported(
            e.date, sources[e.source_id].quote, sources[e.source_id].title, str(sources[e.source_id].url)
        )
    ]
    assert len(ev) > 100 and not bad, bad


def test_armenian_accession_law_is_dated_2025(shipped):
    from indicators import load_events

    ev = load_events()
    law = ev[(ev["iso3"] == "ARM") & ev["description"].str.contains("accession law", case=False)]
    gov = law[law["description"].str.contains("approved by government")]
    assert list(gov["date"]) == ["2025-01-09"]
