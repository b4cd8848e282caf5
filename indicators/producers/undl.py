"""UN Digital Library voting records: the Dag Hammarskjöld Library's *General Assembly Voting Data* CSV.

The library publishes every member state's vote on every resolution the General Assembly adopted by a
recorded vote as one CSV (https://digitallibrary.un.org/record/4060887; one row per resolution and member
state: ``undl_id, ms_code, ms_name, ms_vote, date, session, resolution, title, ..., yes, no, abstention,
non_voting, total``; ``ms_vote`` Y, N, A, or NV / X for non-voting). It is downloaded with ``requests``
(streamed to a temporary file) and cut into the two layouts the builders read:

- ``wide19``: ``undl_id, session, date, title`` (first 60 characters, commas as ``;``) then one column per
  country of :data:`WIDE19` (``undl_votes_2020_2025``);
- ``scrape15``: the UN Digital Library record layout ``Council, Date, Title, Resolution, TOTAL VOTES,
  NO-VOTE COUNT, ABSENT COUNT, NO COUNT, YES COUNT, Link, token`` then one column per country of
  :data:`SCRAPE15` (``undl_votes_scrape_2013_2021``; ``ABSENT COUNT`` holds the abstentions, as there).

Votes are ``Y``, ``N``, ``A`` or ``X`` (non-voting); a country with no row for a resolution is left empty.
Query keys: ``url`` (the CSV of the release), ``layout``, ``from`` and ``to`` (vote dates, inclusive).
"""

from __future__ import annotations

import csv
import io
import tempfile
from functools import cache
from pathlib import Path

import pandas as pd
import requests

from indicators.producers import Fetched

WIDE19 = "ARM AZE BLR EST GEO KAZ KGZ LVA LTU MDA TJK TKM UKR UZB RUS USA CHN TUR DEU".split()
SCRAPE15 = "ARM AZE BLR EST GEO KAZ KGZ LTU LVA MDA TJK TKM UKR UZB RUS".split()
SCRAPE_HEAD = (
    "Council,Date,Title,Resolution,TOTAL VOTES,NO-VOTE COUNT,ABSENT COUNT,NO COUNT,YES COUNT,Link,token".split(",")
)
COLUMNS = ["undl_id", "ms_code", "ms_vote", "date", "session", "resolution", "title"]
COUNTS = ["total", "non_voting", "abstention", "no", "yes"]
VOTES = {"Y": "Y", "N": "N", "A": "A", "NV": "X", "X": "X"}
RECORD_URL = "https://digitallibrary.un.org/record/{}?ln=en"


@cache
def download(url: str) -> pd.DataFrame:
    """The voting-data CSV at ``url`` (streamed to a temporary file), every column as text."""
    with tempfile.TemporaryFile() as tmp:
        with requests.get(url, stream=True, timeout=600) as r:
            r.raise_for_status()
            for chunk in r.iter_content(1 << 20):
                tmp.write(chunk)
        tmp.seek(0)
        t = pd.read_csv(tmp, dtype=str, keep_default_na=False)
    missing = [c for c in COLUMNS if c not in t.columns]
    if missing:
        raise ValueError(f"{url}: columns {missing} missing")
    unknown = sorted(set(t["ms_vote"]) - set(VOTES) - {""})
    if unknown:
        raise ValueError(f"{url}: unknown votes {unknown}")
    return t


def _wide(t: pd.DataFrame, countries: list[str]) -> pd.DataFrame:
    """One row per resolution (first-seen metadata), one vote column per country."""
    t = t[t["ms_code"].isin(countries) & (t["ms_vote"] != "")]
    meta = t.drop_duplicates("undl_id").set_index("undl_id")
    votes = t.assign(v=t["ms_vote"].map(VOTES)).pivot(index="undl_id", columns="ms_code", values="v")
    out = meta.join(votes.reindex(columns=countries)).fillna({c: "" for c in countries}).reset_index()
    out["_id"] = out["undl_id"].astype(int)
    return out.sort_values(["date", "_id"]).drop(columns="_id")


def fetch(query: dict[str, str]) -> Fetched:
    """The resolutions voted between ``from`` and ``to`` in the layout ``layout``."""
    t = download(query["url"])
    t = t[(t["date"] >= query["from"]) & (t["date"] <= query["to"])]
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    if query["layout"] == "wide19":
        d = _wide(t, WIDE19)
        w.writerow(["undl_id", "session", "date", "title", *WIDE19])
        for r in d.to_dict("records"):
            title = r["title"][:60].replace(",", ";")
            w.writerow([r["undl_id"], int(r["session"]), r["date"], title, *(r[c] for c in WIDE19)])
    elif query["layout"] == "scrape15":
        d = _wide(t, SCRAPE15)
        w.writerow(SCRAPE_HEAD + SCRAPE15)
        for r in d.to_dict("records"):
            counts = [r.get(c, "") for c in COUNTS]
            link = RECORD_URL.format(r["undl_id"])
            head = ["General Assembly", r["date"], r["title"], r["resolution"], *counts, link, r["undl_id"]]
            w.writerow(head + [r[c] for c in SCRAPE15])
    else:
        raise ValueError(f"unknown layout {query['layout']!r}")
    return Fetched(out.getvalue().encode("utf-8"), query["url"])


def check(path: Path, query: dict[str, str]) -> None:
    """At least one resolution, every vote a known code, dates inside the window."""
    t = pd.read_csv(path, dtype=str, keep_default_na=False)
    if t.empty:
        raise ValueError(f"{path.name}: no resolution")
    countries = WIDE19 if query["layout"] == "wide19" else SCRAPE15
    bad = set(t[countries].to_numpy().ravel()) - {"Y", "N", "A", "X", ""}
    if bad:
        raise ValueError(f"{path.name}: unknown votes {sorted(bad)}")
    dates = t["date" if query["layout"] == "wide19" else "Date"]
    if dates.min() < query["from"] or dates.max() > query["to"]:
        raise ValueError(f"{path.name}: votes outside {query['from']}..{query['to']}")
