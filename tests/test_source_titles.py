"""Sources a reader can follow: the producer's page first, titles that name what they support (issue 19).

Checked on the shipped tables, for every value of the panel, every pull value and every event:

* the link shown first (``url``) is not a code repository unless the repository is the producer's own
  publication (:data:`REPOSITORY_PRODUCERS`); a copy read from a repository is the ``archive_url``;
* a source's title does not name another of the 14 states while not naming the state (or its region) the value
  is about: such a page is cited for a passage beyond its headline, and the title must then say what it is
  cited for (``indicators/hand/source_scope.csv`` adds " — cited for: ..."). Found by this check, not by eye:
  the Azerbaijan CSTO value cited to a headline about Armenia's suspension was one.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from indicators.countries import PANEL_COUNTRIES

#: Hosts of code repositories and data mirrors: never the producer's page for an official figure.
REPOSITORY_HOSTS = ("github.com", "raw.githubusercontent.com", "gitlab.com", "datahub.io")
#: Sources whose producer publishes only in a repository (so the repository is the producer's page), with why.
REPOSITORY_PRODUCERS = {
    "wcg-groups-2026": "Tomas Gonzalez's compilation of membership lists is published only as that repository",
}

#: Words that name each state in titles (English, Russian, Ukrainian and other spellings met in the sources, the
#: capital, a head of state or government named in headlines).
NAMES: dict[str, tuple[str, ...]] = {
    "ARM": ("armenia", "армени", "вірмен", "pashinyan", "пашинян", "yerevan", "ереван"),
    "AZE": ("azerbaijan", "azerbaidjan", "азербайджан", "aliyev", "алиев", "baku", "баку"),
    "BLR": ("belarus", "белорус", "беларус", "білорус", "lukashenk", "лукашенк", "minsk"),
    "EST": ("estonia", "эстони", "естон", "tallinn"),
    "GEO": ("georgia", "грузи", "грузі", "tbilisi", "тбилис", "ivanishvili"),
    "KAZ": ("kazakh", "казах", "astana", "tokayev"),
    "KGZ": ("kyrgyz", "kirgis", "кыргыз", "киргиз", "bishkek", "бишкек", "жапаров", "japarov"),
    "LVA": ("latvia", "латви", "riga"),
    "LTU": ("lithuania", "литв", "vilnius"),
    "MDA": ("moldova", "молдов", "молдав", "chisinau", "moldav", "sandu"),
    "TJK": ("tajik", "таджик", "dushanbe", "душанбе"),
    "TKM": ("turkmen", "туркмен", "ashgabat", "berdimuhamedov"),
    "UKR": ("ukrain", "україн", "украин", "kyiv", "kiev", "zelensk", "poroshenko", "kharkiv"),
    "UZB": ("uzbek", "узбек", "tashkent", "ташкент", "mirziyoyev"),
}
CENTRAL_ASIA = ("KAZ", "KGZ", "TJK", "TKM", "UZB")
#: Region words that name several states at once.
REGIONS: dict[str, tuple[str, ...]] = {
    "central asia": CENTRAL_ASIA,
    "c5+1": CENTRAL_ASIA,
    "центральн": CENTRAL_ASIA,
    "baltic": ("EST", "LVA", "LTU"),
    "cee ": ("EST", "LVA", "LTU"),
    "eastern partnership": ("ARM", "AZE", "BLR", "GEO", "MDA", "UKR"),
    "south caucasus": ("ARM", "AZE", "GEO"),
}
#: A title saying it covers every member state (a UN voting record) names no single state.
EVERY_STATE = re.compile(r"each member state|every member state", re.I)


def headline(title: str) -> str:
    """The title without the outlet and date in parentheses at its end ('Headline (Outlet, 2015-11-01)'), or the
    description after the outlet in a bracketed title ('[Outlet, 2022-06-14: description]'), so that an outlet's
    own name (Sputnik Armenia, PanARMENIAN) is not read as a state; what follows ' — cited for:' is kept."""
    head, _, scope = title.partition(" — cited for: ")
    head = head.strip()
    m = re.match(r"^\[[^\]:]*:\s*(.*)\]$", head)
    head = m.group(1) if m else re.sub(r"\s*\([^()]*\)\s*$", "", head)
    return f"{head} {scope}".strip()


def states_named(title: str) -> set[str]:
    """ISO3 codes of the panel states a title names (by name, capital, leader or region)."""
    t = headline(title).lower()
    out = {iso for iso, words in NAMES.items() if any(w in t for w in words)}
    for word, isos in REGIONS.items():
        if word in t:
            out |= set(isos)
    return out


def test_names_cover_every_state():
    assert set(NAMES) == set(PANEL_COUNTRIES)


@pytest.mark.parametrize(
    ("title", "named"),
    [
        ("Nikol Pashinyan announces suspension of Armenia’s participation in CSTO (24.kg)", {"ARM"}),
        ("Молдова не присоединилась к новым санкциям ЕС против РФ - Боррель (Sputnik Armenia, 2024-07-10)", {"MDA"}),
        ("[Asia-Plus, 2022-06-14: Таджикистан причислили к трем самым зависимым стран мира]", {"TJK"}),
        (
            "Kerry and Central Asian FMs approve cooperation in C5+1 format (Sputnik Uzbekistan, 2015-11-01)",
            set(CENTRAL_ASIA),
        ),
        (
            "Georgia to quit CIS (PanARMENIAN.Net) — cited for: Armenia and Azerbaijan as founders",
            {"GEO", "ARM", "AZE"},
        ),
        ("Voting record of A/RES/ES-11/1 'Aggression against Ukraine', vote of each member state", {"UKR"}),
    ],
)
def test_states_named(title, named):
    assert states_named(title) == named


def _citations(shipped) -> list[tuple[str, str, str]]:
    """(iso3, what, source id) for every value, pull value and event of the shipped tables."""
    from indicators import load_events, load_pulls

    panel = shipped[0]
    out = [(r.iso3, r.indicator, sid) for r in panel.itertuples() for sid in r.source_ids.split(";")]
    pulls = load_pulls()
    out += [(r.iso3, f"pull {r.measure}", sid) for r in pulls.itertuples() for sid in r.source_ids.split(";")]
    out += [(r.iso3, "event", r.source_id) for r in load_events().itertuples()]
    return out


def test_titles_name_what_they_support(shipped):
    sources = shipped[2]
    bad: dict[str, set[str]] = {}
    for iso3, what, sid in _citations(shipped):
        title = sources[sid].title
        if EVERY_STATE.search(title):
            continue
        named = states_named(title)
        if named and iso3 not in named:
            bad.setdefault(f"{sid} ({title[:80]})", set()).add(f"{iso3} {what}")
    assert not bad, "titles naming another state than the one they are cited for: " + "; ".join(
        f"{k}: {sorted(v)[:4]}" for k, v in sorted(bad.items())
    )


def test_every_scope_row_is_used(shipped):
    from indicators.build import SCOPES

    urls = {str(s.url) for s in shipped[2].values()}
    scope = pd.read_csv(SCOPES, dtype=str, keep_default_na=False)
    assert set(scope["url"]) <= urls, sorted(set(scope["url"]) - urls)
    cited_for = {str(s.url) for s in shipped[2].values() if " — cited for: " in s.title}
    assert cited_for == set(scope["url"])


def _host(url) -> str:
    return str(url.host or "").removeprefix("www.")


def test_the_first_link_is_the_producers_page(shipped):
    panel, _, sources = shipped
    first = panel["source_ids"].str.split(";").str[0]
    repo = {k for k, s in sources.items() if _host(s.url) in REPOSITORY_HOSTS}
    assert repo <= set(REPOSITORY_PRODUCERS), f"sources linking first to a repository: {sorted(repo)}"
    # before issue 19, 626 values linked first to a third-party repository
    assert first.isin(repo - set(REPOSITORY_PRODUCERS)).sum() == 0


def test_repository_copies_are_kept_as_archived_copies(shipped):
    sources = shipped[2]
    archived = {k: s for k, s in sources.items() if s.archive_url is not None}
    assert len(archived) >= 20
    for k, s in archived.items():
        assert str(s.archive_url) != str(s.url), k
    # every bulk dataset read from a repository names the copy: the repository is in its archive link
    for k, s in sources.items():
        m = re.search(r"\b([A-Za-z0-9_-]+/[A-Za-z0-9._-]+),? commit [0-9a-f]{7}", s.title)
        if m and "worldcountrygroups" not in s.title:
            assert s.archive_url is not None and m.group(1) in str(s.archive_url), k


def test_archive_url_round_trips_through_the_loader(tmp_path):
    from indicators.loader import parse_sources
    from indicators.schema import SOURCE_COLUMNS

    row = dict.fromkeys(SOURCE_COLUMNS, "")
    row |= {
        "source_id": "x",
        "producer": "Producer",
        "title": "Title of the dataset",
        "url": "https://example.org/data",
        "figure_year": "2020",
        "accessed": "2026-12-01",
        "tier": "official",
    }
    assert parse_sources(pd.DataFrame([row]))["x"].archive_url is None
    row["archive_url"] = "https://github.com/owner/repo/tree/abc1234"
    assert str(parse_sources(pd.DataFrame([row]))["x"].archive_url) == row["archive_url"]
    row["archive_url"] = "not a url"
    with pytest.raises(Exception, match="archive_url"):
        parse_sources(pd.DataFrame([row]))
