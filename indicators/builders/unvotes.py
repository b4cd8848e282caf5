"""Per-vote UN General Assembly data, 2013-2025, from three overlapping sources, and the agreement formula.

Sources (all under the raw folder; read each PROVENANCE.md):

``undl_votes_2020_2025/``
    UN Dag Hammarskjold Library voting data, transcribed: every resolution of the regular sessions adopted by a
    recorded vote, 2020-01-14 .. 2025-12-18, for the 15 countries plus USA, CHN, TUR, DEU (Y/N/A/X).
``unvotes_voeten/``
    Voeten, Strezhnev & Bailey roll calls (R package ``unvotes``), to 2020-01-14, the 15 countries plus the
    US, China, Turkey and Germany (yes/no/abstain; absences have no row). Includes votes on amendments and
    paragraphs, which are dropped here (final-passage votes only).
``undl_votes_scrape_2013_2021/``
    A third-party scrape of the same UN Digital Library records, 2013-2021, the 15 countries only (Y/N/A/X).

Scope (the same in every year): final-passage votes on General Assembly resolutions adopted by a recorded vote at
the regular sessions. Emergency special sessions (ES-10 Palestine, ES-11 Ukraine) are excluded in every year,
because the 2020-2025 source has none of them; drafts that failed (symbols ``A/NN/L.x``) and records without a
resolution symbol are excluded because the UN DHL voting data list only adopted resolutions.

Precedence (one rule, applied per roll call): a roll call is taken whole from the first source that has it, in
the order (1) ``undl_votes_2020_2025``, (2) ``unvotes_voeten``, (3) ``undl_votes_scrape_2013_2021``. The
sources are matched on the UN Digital Library record id (the scrape's ``token`` = the 2020-2025 file's
``undl_id``) and, for Voeten, on the resolution symbol (``R/68/262`` = ``A/RES/68/262``) through the scrape.
Where two sources have the same roll call they must agree country by country: :func:`compare_sources` counts
the disagreements (0 on the shipped files; a test checks it). In effect: 2013-2019 from Voeten plus 31 adopted
resolutions only the scrape has (the 15 countries only; no USA/CHN/TUR/DEU votes on those), 2020-2025 from the
2020-2025 file, which has every 2020-2021 roll call of the scrape.

Absences: a country that was absent or did not vote (``X``; no row in Voeten) casts no vote. ``load_votes``
drops those rows by default (``keep_absent=True`` keeps them as ``X``), and :func:`agreement` counts only roll
calls on which both countries voted yes, no or abstain.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from indicators.countries import ALL_COUNTRIES, ISO2_TO_ISO3

#: Countries whose votes the sources carry: the declared states (panel and Russia, ``data/countries.csv``)
#: plus the poles' reference countries where the files have them.
SCRAPE_COUNTRIES: tuple[str, ...] = tuple(ALL_COUNTRIES)
REFERENCE_COUNTRIES: tuple[str, ...] = ("USA", "CHN", "TUR", "DEU")
#: Voeten ISO2 codes -> ISO3 (the declared states' codes, then the poles' reference countries).
VOETEN_ISO2: dict[str, str] = {**ISO2_TO_ISO3, "US": "USA", "CN": "CHN", "TR": "TUR", "DE": "DEU"}
VOETEN_VOTE: dict[str, str] = {"yes": "Y", "no": "N", "abstain": "A"}
#: Recorded votes; ``X`` = absent / non-voting.
VOTES = ("Y", "N", "A")
ABSENT = "X"
#: Source names, in order of precedence.
SOURCE_ORDER: tuple[str, ...] = ("undl_2020_2025", "voeten", "undl_scrape")
FIRST_YEAR = 2013

#: Position of a recorded vote on a line; agreement of two votes = 1 - |a - b| / 2.
POSITION: dict[str, int] = {"Y": 1, "A": 0, "N": -1}

COLUMNS = ["rcid", "date", "year", "session", "iso3", "vote", "source"]


def resolution_key(symbol: str) -> str | None:
    """'A/RES/68/262' or 'R/68/262' -> '68/262'; None for emergency sessions, drafts and missing symbols."""
    s = str(symbol).strip().upper().replace(" ", "")
    m = re.fullmatch(r"(?:A/RES/|R/)(\d+/\S+)", s)
    return m.group(1) if m else None


def _long(wide: pd.DataFrame, countries, source: str) -> pd.DataFrame:
    m = wide.melt(
        id_vars=["rcid", "date", "session"], value_vars=list(countries), var_name="iso3", value_name="vote"
    ).dropna(subset=["vote"])
    m["source"] = source
    return m


def _read_undl_2020_2025(raw: Path) -> pd.DataFrame:
    path = raw / "undl_votes_2020_2025" / "unga_votes_2020_2025_19countries.csv"
    d = pd.read_csv(path, dtype=str, keep_default_na=False)
    d = d.rename(columns={"undl_id": "rcid"})
    d["rcid"] = d["rcid"].astype(int)
    d["session"] = d["session"].astype(int)
    return _long(d, SCRAPE_COUNTRIES + REFERENCE_COUNTRIES, SOURCE_ORDER[0])


def _read_scrape(raw: Path) -> pd.DataFrame:
    path = raw / "undl_votes_scrape_2013_2021" / "undl_scrape_votes_2013_2021_15countries.csv"
    d = pd.read_csv(path, dtype=str, keep_default_na=False)
    d = d[d["Council"] == "General Assembly"].copy()
    d["key"] = d["Resolution"].map(resolution_key)
    d = d[d["key"].notna()].copy()
    d["rcid"] = d["token"].astype(int)
    d["date"] = d["Date"]
    d["session"] = d["key"].str.split("/").str[0].astype(int)
    return d


def _read_voeten(raw: Path, scrape: pd.DataFrame) -> pd.DataFrame:
    folder = raw / "unvotes_voeten"
    rc = pd.read_csv(folder / "un_roll_calls_1991plus.csv", dtype={"unres": str, "date": str})
    rc = rc[(rc["date"] >= f"{FIRST_YEAR}-01-01") & (rc["amend"].fillna(0) != 1) & (rc["para"].fillna(0) != 1)]
    rc = rc.assign(key=rc["unres"].map(resolution_key)).dropna(subset=["key"])
    # Voeten lists A/RES/72/164 twice (rcids 5569 and 6006): keep the first; compare_sources checks the votes.
    rc = rc.sort_values("rcid").drop_duplicates("key")
    token = scrape.drop_duplicates("key").set_index("key")["rcid"]
    # rcid = the UN Digital Library record id where the scrape has the resolution, else Voeten's own rcid
    # (Voeten ids are < 100,000, UNDL record ids of these years > 700,000: they cannot collide).
    rc["undl"] = rc["key"].map(token)
    votes = []
    for f in ("un_votes_15countries_1991plus.csv", "un_votes_references_1991plus.csv"):
        votes.append(pd.read_csv(folder / f, dtype=str, keep_default_na=False))
    v = pd.concat(votes, ignore_index=True)
    v["rcid_v"] = v["rcid"].astype(int)
    bad = sorted(set(v["vote"]) - set(VOETEN_VOTE))
    if bad:
        raise ValueError(f"unvotes_voeten: unexpected vote values {bad}")
    v = v.merge(rc[["rcid", "date", "session", "undl"]].rename(columns={"rcid": "rcid_v"}), on="rcid_v")
    v["rcid"] = v["undl"].fillna(v["rcid_v"]).astype(int)
    v["session"] = v["session"].astype(int)
    v["iso3"] = v["country_code"].map(VOETEN_ISO2)
    v["vote"] = v["vote"].map(VOETEN_VOTE)
    v["source"] = SOURCE_ORDER[1]
    # Voeten has no row for an absent country: add X for every country Voeten covers on each roll call.
    grid = rc[["rcid", "date", "session"]].assign(rcid=rc["undl"].fillna(rc["rcid"]).astype(int))
    grid = grid.merge(pd.DataFrame({"iso3": list(VOETEN_ISO2.values())}), how="cross")
    out = grid.merge(v[["rcid", "iso3", "vote"]], on=["rcid", "iso3"], how="left")
    out["vote"] = out["vote"].fillna(ABSENT)
    out["session"] = out["session"].astype(int)
    out["source"] = SOURCE_ORDER[1]
    return out


def read_sources(raw: Path) -> dict[str, pd.DataFrame]:
    """Each source as long rows (rcid, date, session, iso3, vote in Y/N/A/X, source), in scope, before precedence."""
    raw = Path(raw)
    scrape_wide = _read_scrape(raw)
    out = {
        SOURCE_ORDER[0]: _read_undl_2020_2025(raw),
        SOURCE_ORDER[1]: _read_voeten(raw, scrape_wide),
        SOURCE_ORDER[2]: _long(scrape_wide, SCRAPE_COUNTRIES, SOURCE_ORDER[2]),
    }
    for name, d in out.items():
        bad = sorted(set(d["vote"]) - set(VOTES) - {ABSENT})
        if bad:
            raise ValueError(f"{name}: unexpected vote codes {bad}")
        out[name] = d[d["date"] >= f"{FIRST_YEAR}-01-01"].reset_index(drop=True)
    return out


def compare_sources(sources: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every (roll call, country) present in two sources, with both votes.

    Columns: rcid, iso3, source_a, vote_a, source_b, vote_b, agree. A mismatch is ``agree == False``
    (an absence ``X`` in one source and a recorded vote in the other counts as a mismatch).
    """
    rows = []
    names = list(sources)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            m = sources[a][["rcid", "iso3", "vote"]].merge(
                sources[b][["rcid", "iso3", "vote"]], on=["rcid", "iso3"], suffixes=("_a", "_b")
            )
            m["source_a"], m["source_b"] = a, b
            rows.append(m)
    out = pd.concat(rows, ignore_index=True)
    out["agree"] = out["vote_a"] == out["vote_b"]
    return out[["rcid", "iso3", "source_a", "vote_a", "source_b", "vote_b", "agree"]]


def apply_precedence(sources: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Take each roll call whole from the first source (in ``SOURCE_ORDER``) that has it."""
    taken: set[int] = set()
    parts = []
    for name in SOURCE_ORDER:
        d = sources[name]
        d = d[~d["rcid"].isin(taken)]
        taken |= set(d["rcid"])
        parts.append(d)
    return pd.concat(parts, ignore_index=True)


def load_votes(raw: Path, keep_absent: bool = False) -> pd.DataFrame:
    """UNGA final-passage votes on adopted resolutions (regular sessions), 2013-2025, one row per roll call and country.

    Columns ``rcid, date, year, session, iso3, vote, source``: ``rcid`` the UN Digital Library record id (Voeten's
    rcid for a roll call the UNDL files lack); ``vote`` is ``Y``, ``N`` or ``A``; ``source`` names the file the roll
    call was taken from. ``iso3`` covers the 15 countries, and USA, CHN, TUR, DEU on the roll calls from Voeten
    (2013-2019) and from the 2020-2025 file (not on the 31 roll calls only the scrape has).

    Absent / non-voting countries are dropped (they cast no vote); with ``keep_absent=True`` they are kept with
    ``vote == 'X'``. Emergency special sessions, votes on amendments or paragraphs and failed drafts are out of
    scope. Precedence between overlapping sources: see the module docstring.
    """
    v = apply_precedence(read_sources(raw))
    if not keep_absent:
        v = v[v["vote"] != ABSENT]
    v = v.assign(year=v["date"].str[:4].astype(int))
    v = v.sort_values(["date", "rcid", "iso3"]).reset_index(drop=True)
    return v[COLUMNS]


def agreement(votes: pd.DataFrame, partner: str = "RUS") -> pd.DataFrame:
    """Agreement of every country in ``votes`` with ``partner``, per calendar year.

    For each roll call on which both the country and the partner voted yes (Y), no (N) or abstain (A):
    score = 1 - |pos(country) - pos(partner)| / 2 with pos(Y) = 1, pos(A) = 0, pos(N) = -1, i.e. identical
    votes 1, one abstains while the other votes yes or no 0.5, yes against no 0. Absent / non-voting (X)
    on either side: the roll call does not count for that pair.

    agreement = 100 x mean score over those roll calls (0-100); n_votes = their number.
    Returns columns ``iso3, year, agreement, n_votes`` (partner excluded), sorted by iso3, year.
    """
    v = votes[votes["vote"].isin(VOTES)]
    ref = v.loc[v["iso3"] == partner, ["rcid", "vote"]].rename(columns={"vote": "ref"})
    pair = v[v["iso3"] != partner].merge(ref, on="rcid")
    pair["score"] = 1.0 - (pair["vote"].map(POSITION) - pair["ref"].map(POSITION)).abs() / 2.0
    out = pair.groupby(["iso3", "year"], as_index=False).agg(agreement=("score", "mean"), n_votes=("score", "size"))
    out["agreement"] *= 100.0
    return out.sort_values(["iso3", "year"]).reset_index(drop=True)[["iso3", "year", "agreement", "n_votes"]]
