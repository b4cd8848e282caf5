"""Every ladder and membership coding checked against its own written rule, cell by cell (issue 19).

Each table below is the written rule applied by hand to the dated facts it names (the rule is in the
indicator's coding rule; the facts are in ``compiled_cited`` and ``indicators/hand/facts_extra.csv``, with their
sources). A span ``(first, last, level)`` covers every year from ``first`` to ``last``; together the spans
of a state cover 2013-2025, so every cell of these indicators is checked, and a coding that drifts from its
rule (the Partnership for Peace rows the Western ladder ignored, the accession negotiations of June 2024
that were missing) fails here.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from indicators.countries import PANEL_COUNTRIES, YEARS

Spans = dict[str, list[tuple[int, int, int]]]
ALL = (2013, 2025)


def _flat(level: int) -> list[tuple[int, int, int]]:
    return [(*ALL, level)]


# CSTO standing on 31 Dec: 2 active member, 1 participation suspended, 0 not a member.
CSTO: Spans = {
    "ARM": [(2013, 2023, 2), (2024, 2025, 1)],  # founding member 1992; suspended participation 12 Jun 2024
    "AZE": _flat(0),  # left the Collective Security Treaty in 1999
    "BLR": _flat(2),  # member (CSTO decision of 18 Jun 2004)
    "EST": _flat(0),  # never a member (absent from the member list)
    "GEO": _flat(0),  # left in 1999
    "KAZ": _flat(2),  # founding member 1992
    "KGZ": _flat(2),
    "LTU": _flat(0),
    "LVA": _flat(0),
    "MDA": _flat(0),
    "TJK": _flat(2),
    "TKM": _flat(0),
    "UKR": _flat(0),
    "UZB": _flat(0),  # withdrew in December 2012
}
# EAEU standing: 2 member (Eurasian Customs Union 2010 for 2013-2014), 1 observer, 0 none.
EAEU: Spans = {
    "ARM": [(2013, 2014, 0), (2015, 2025, 2)],  # accession 2 Jan 2015
    "AZE": _flat(0),
    "BLR": _flat(2),  # customs union 1 Jan 2010, EAEU founder 1 Jan 2015
    "EST": _flat(0),
    "GEO": _flat(0),
    "KAZ": _flat(2),
    "KGZ": [(2013, 2014, 0), (2015, 2025, 2)],  # accession in force 6 Aug 2015
    "LTU": _flat(0),
    "LVA": _flat(0),
    "MDA": [(2013, 2017, 0), (2018, 2025, 1)],  # observer from May 2018
    "TJK": _flat(0),
    "TKM": _flat(0),
    "UKR": _flat(0),
    "UZB": [(2013, 2019, 0), (2020, 2025, 1)],  # observer from December 2020
}
# CIS standing: 2 member, 1 associate/suspended/leaving, 0 none.
CIS: Spans = {
    "ARM": _flat(2),
    "AZE": _flat(2),
    "BLR": _flat(2),
    "EST": _flat(0),
    "GEO": _flat(0),  # left 18 Aug 2009
    "KAZ": _flat(2),
    "KGZ": _flat(2),
    "LTU": _flat(0),
    "LVA": _flat(0),
    "MDA": [(2013, 2022, 2), (2023, 2025, 1)],  # suspended participation February 2023
    "TJK": _flat(2),
    "TKM": _flat(1),  # associate member since August 2005
    "UKR": [(2013, 2013, 2), (2014, 2017, 1), (2018, 2025, 0)],  # no participation from 2014, withdrew May 2018
    "UZB": _flat(2),
}
# SCO standing: 3 member, 2 observer, 1 dialogue partner, 0 none.
SCO: Spans = {
    "ARM": [(2013, 2014, 0), (2015, 2025, 1)],  # dialogue partner, July 2015
    "AZE": [(2013, 2014, 0), (2015, 2025, 1)],
    "BLR": [(2013, 2014, 1), (2015, 2023, 2), (2024, 2025, 3)],  # partner 2009, observer 2015, member July 2024
    "EST": _flat(0),
    "GEO": _flat(0),
    "KAZ": _flat(3),
    "KGZ": _flat(3),
    "LTU": _flat(0),
    "LVA": _flat(0),
    "MDA": _flat(0),
    "TJK": _flat(3),
    "TKM": _flat(0),
    "UKR": _flat(0),
    "UZB": _flat(3),
}
# Tie to NATO on 31 Dec: 3 member, 2 individual partnership programme (IPAP, ANP, SNGP, EOP), 1 PfP.
NATO: Spans = {
    "ARM": _flat(2),  # IPAP 2005
    "AZE": _flat(2),  # IPAP 2005
    "BLR": _flat(1),  # PfP 1995 (NATO); cooperation suspended 2021, no exit: a suspension rule is not coded
    "EST": _flat(3),
    "GEO": _flat(2),  # IPAP 2004, ANP 2010, SNGP 2014
    "KAZ": _flat(2),  # IPAP 2006
    "KGZ": _flat(1),  # PfP 1994
    "LTU": _flat(3),
    "LVA": _flat(3),
    "MDA": _flat(2),  # IPAP 2006
    "TJK": _flat(1),  # PfP 2002
    "TKM": _flat(1),  # PfP 1994
    "UKR": _flat(2),  # NATO-Ukraine Action Plan 2002, ANP, EOP 2020
    "UZB": _flat(1),  # PfP 1994
}
# Western-ties ladder on 31 Dec (0-6), rung definitions in indicators.builders.western.LADDER; a downgrade in
# force suspends its family and costs one further rung.
LADDER: Spans = {
    "ARM": _flat(2),  # IPAP 2005, CEPA signed 2017
    "AZE": _flat(2),  # IPAP 2005
    "BLR": [(2013, 2020, 1), (2021, 2025, 0)],  # PfP 1995 (rung 1); EaP suspended 28 Jun 2021: minus 1
    "EST": _flat(6),  # EU and NATO member
    "GEO": [(2013, 2015, 2), (2016, 2021, 3), (2022, 2023, 4), (2024, 2025, 2)],
    # AA signed 2014 (2), in force 2016 (3), application 2022 (4); accession frozen 2024: family out, minus 1
    "KAZ": _flat(2),  # IPAP 2006, EPCA
    "KGZ": [(2013, 2023, 1), (2024, 2025, 2)],  # PfP 1994; EPCA signed 2024
    "LTU": _flat(6),
    "LVA": _flat(6),
    "MDA": [(2013, 2013, 2), (2014, 2021, 3), (2022, 2023, 4), (2024, 2025, 5)],
    # IPAP 2006 (2), visa-free 28 Apr 2014 (3), candidate 23 Jun 2022 (4), negotiations opened 25 Jun 2024 (5)
    "TJK": _flat(1),  # PfP 2002
    "TKM": _flat(1),  # PfP 1994
    "UKR": [(2013, 2016, 2), (2017, 2021, 3), (2022, 2023, 4), (2024, 2025, 5)],
    # Action Plan 2002 (2), visa-free and AA in force 2017 (3), candidate 2022 (4), negotiations 25 Jun 2024 (5)
    "UZB": [(2013, 2024, 1), (2025, 2025, 2)],  # PfP 1994; EPCA signed October 2025
}

TABLES = {
    "csto_membership": CSTO,
    "eaeu_membership": EAEU,
    "cis_membership": CIS,
    "sco_membership": SCO,
    "nato_alignment": NATO,
    "western_engagement": LADDER,
}


def _expected(spans: Spans) -> dict[tuple[str, int], int]:
    out = {}
    for iso3, rows in spans.items():
        for first, last, level in rows:
            for y in range(first, last + 1):
                assert (iso3, y) not in out, f"{iso3} {y} is in two spans"
                out[(iso3, y)] = level
    return out


@pytest.mark.parametrize("indicator", list(TABLES))
def test_tables_cover_every_cell(indicator):
    assert set(_expected(TABLES[indicator])) == {(i, y) for i in PANEL_COUNTRIES for y in YEARS}


def _coded(panel: pd.DataFrame, indicator: str) -> dict[tuple[str, int], int]:
    rows = panel[panel["indicator"] == indicator]
    if indicator == "western_engagement":  # the ladder rung is the first term, stated in every note
        level = rows["note"].map(lambda n: int(re.match(r"ladder (\d)/6", n).group(1)))
    else:
        level = rows["value"].round().astype(int)
    return dict(zip(zip(rows["iso3"], rows["year"], strict=True), level, strict=True))


@pytest.mark.parametrize("indicator", list(TABLES))
def test_every_cell_follows_its_written_rule(shipped, indicator):
    panel = shipped[0]
    coded = _coded(panel, indicator)
    expected = _expected(TABLES[indicator])
    wrong = {k: (coded.get(k), v) for k, v in expected.items() if coded.get(k) != v}
    assert not wrong, f"{indicator}: (coded, rule) differ for {sorted(wrong.items())[:10]}"


def test_accession_negotiations_cite_the_eu_council(shipped):
    panel, sources = shipped[0], shipped[2]
    for iso3 in ("MDA", "UKR"):
        ids = panel[(panel.indicator == "western_engagement") & (panel.iso3 == iso3) & (panel.year == 2024)]
        hosts = {sources[i].url.host for i in ids["source_ids"].iloc[0].split(";")}
        assert "www.consilium.europa.eu" in hosts


# ----------------------------------------------------------------------------- statuses that say what they are


def test_absent_from_the_member_list_is_observed(shipped, raw_dir):
    from indicators.builders.memberships import SNAPSHOT_ID, snapshot_members

    panel = shipped[0]
    listed = snapshot_members(raw_dir)
    rows = panel[panel["source_ids"] == SNAPSHOT_ID]
    assert len(rows) > 0
    assert (rows["status"] == "observed").all() and (rows["value"] == 0).all()
    org = {"csto_membership": "CSTO", "eaeu_membership": "EAEU", "cis_membership": "CIS", "sco_membership": "SCO"}
    assert all(r.iso3 not in listed[org[r.indicator]] for r in rows.itertuples())


def test_first_estimate_and_partial_years_are_estimated(shipped):
    from indicators.builders.western import LADDER_TOP

    panel = shipped[0]
    arms = panel[panel["indicator"] == "arms_imports_russia"]
    assert (arms.loc[arms.year == 2025, "status"] == "estimated").all()  # SIPRI's first estimates for 2025
    assert (arms.loc[arms.year < 2025, "status"] == "observed").all()
    west = panel[(panel["indicator"] == "western_engagement") & (panel.year == 2025)]
    top = west["note"].str.startswith(f"ladder {LADDER_TOP}/")
    assert (west.loc[~top, "status"] == "estimated").all()  # events compiled to Nov 2025 only
    assert (west.loc[top, "status"] == "observed").all()  # the events term is full at the top rung
