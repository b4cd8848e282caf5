"""Source tiers: how far a cited source can be trusted, assigned by the host of its URL.

The table is data: ``indicators/hand/source_tiers.csv`` (``host_suffix, tier, reason``). A
source's tier is that of the longest host suffix in the table that matches its URL's host
(``eeas.europa.eu`` matches ``europa.eu``; ``www.`` is ignored). A host the table does not
know is a build error that names it, so every new source is classified by a person.

Tiers (README "Source tiers"):

* ``official``: statistics offices, central banks, ministries, treaty depositaries and the
  organisations' own sites; UN, IMF, World Bank, SIPRI, Eurostat.
* ``reference``: scholarly datasets, established research institutes.
* ``press``: independent news organisations with editorial standards.
* ``interested-party``: state media of Russia or of another government with a stake (and
  such governments' own sites); usable only for that government's own statements, flagged.
* ``unusable``: wikis and their mirrors, content farms, copies of other outlets.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from indicators.schema import INTERESTED_PARTY_MARK, TIERS

TIER_TABLE = Path(__file__).resolve().parent / "hand" / "source_tiers.csv"


class UnknownHostError(ValueError):
    """A cited URL's host is not in the tier table."""


@lru_cache(maxsize=4)
def tier_table(path: Path = TIER_TABLE) -> dict[str, tuple[str, str]]:
    """host suffix -> (tier, reason); raises ValueError on an unknown tier or a duplicate suffix."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    out: dict[str, tuple[str, str]] = {}
    for i, r in enumerate(df.to_dict("records")):
        host = r["host_suffix"].strip().lower()
        if r["tier"] not in TIERS:
            raise ValueError(f"{path.name}, row {i + 2}: tier {r['tier']!r} is not one of {list(TIERS)}")
        if host in out:
            raise ValueError(f"{path.name}, row {i + 2}: host suffix {host!r} appears twice")
        out[host] = (r["tier"], r["reason"])
    return out


def url_host(url: str) -> str:
    return (urlsplit(str(url)).hostname or "").lower().removeprefix("www.").rstrip(".")


def tier_of(url: str, table: dict[str, tuple[str, str]] | None = None) -> str:
    """The tier of a URL: the longest matching host suffix wins; an unknown host raises UnknownHostError."""
    table = tier_table() if table is None else table
    host = url_host(url)
    best = None
    for suffix in table:
        if (host == suffix or host.endswith("." + suffix)) and (best is None or len(suffix) > len(best)):
            best = suffix
    if best is None:
        raise UnknownHostError(f"source host {host!r} ({url}) has no tier: add it to indicators/hand/source_tiers.csv")
    return table[best][0]


def value_tier_problem(tiers: list[str | None], note: str) -> str | None:
    """Why a value citing sources of these tiers may not be shipped, or None if it may.

    A value resting only on ``unusable`` sources is refused; one resting only on
    ``interested-party`` sources must carry :data:`INTERESTED_PARTY_MARK` in its note.
    Untiered sources (``None``: a user's upload) are not judged.
    """
    if tiers and all(t == "unusable" for t in tiers):
        return "rests only on unusable sources (wikis, mirrors, copies)"
    if tiers and all(t == "interested-party" for t in tiers) and INTERESTED_PARTY_MARK not in note:
        return f"rests only on interested-party sources but its note lacks {INTERESTED_PARTY_MARK!r}"
    return None


def best_tier(tiers: list[str | None]) -> str | None:
    """The most trustworthy tier among a value's sources (the order of :data:`TIERS`); None when no source
    has a tier (a user's upload)."""
    known = [t for t in tiers if t in TIERS]
    return min(known, key=TIERS.index) if known else None


def rests_on(panel, sources: dict) -> tuple[float, int]:
    """What a panel's values rest on: the share that are observed with at least one official, reference
    or press source, and how many rest only on interested-party sources."""
    good = {k for k, s in sources.items() if getattr(s, "tier", None) in ("official", "reference", "press")}
    ids = panel["source_ids"].str.split(";")
    observed_good = ((panel["status"] == "observed") & ids.map(lambda xs: any(x in good for x in xs))).mean()
    only_ip = ids.map(lambda xs: all(getattr(sources.get(x), "tier", None) == "interested-party" for x in xs))
    return float(observed_good), int(only_ip.sum())
