"""Memberships: no note claims what no source says; the 2026 snapshot is read, not just cited."""

from __future__ import annotations

import pandas as pd
import pytest

from indicators.builders import memberships as m
from indicators.countries import PANEL_COUNTRIES

ORG_IND = {org: meta["id"] for org, (meta, _) in m.ORGS.items()}


def test_snapshot_is_read(raw_dir):
    listed = m.snapshot_members(raw_dir)
    assert {"ARM", "KGZ", "BLR", "KAZ", "TJK"} <= listed["CSTO"] and "EST" not in listed["CSTO"]
    assert {"ARM", "KGZ"} <= listed["EAEU"]


def test_no_value_claims_absence_for_a_state_on_the_member_list(raw_dir, shipped):
    """A 0 coded from the snapshot is only for states *absent* from the organisation's 2026 list."""
    panel, _, sources = shipped
    listed = m.snapshot_members(raw_dir)
    for org, ind in ORG_IND.items():
        rows = panel[(panel["indicator"] == ind) & (panel["source_ids"] == m.SNAPSHOT_ID)]
        assert not (set(rows["iso3"]) & listed[org]), (org, sorted(set(rows["iso3"]) & listed[org]))
        assert (rows["value"] == 0).all() and (rows["status"] == "observed").all()  # an observation of the list
        assert rows["note"].str.contains("not on the").all()
    assert not panel["note"].str.contains("absent from the 2026 member list").any()


def test_armenia_and_kyrgyzstan_before_eaeu_accession_cite_the_accession(shipped):
    panel, _, _ = shipped
    for iso3, year in (("ARM", 2014), ("KGZ", 2014)):
        r = panel[(panel["iso3"] == iso3) & (panel["year"] == year) & (panel["indicator"] == "eaeu_membership")]
        assert len(r) == 1 and r["value"].iloc[0] == 0
        assert r["status"].iloc[0] == "observed" and r["note"].iloc[0].startswith("not yet: member from 2015")
        assert m.SNAPSHOT_ID not in r["source_ids"].iloc[0]


def test_every_membership_value_cites_a_dated_source_or_the_snapshot(shipped):
    panel, _, sources = shipped
    mem = panel[panel["indicator"].isin(ORG_IND.values())]
    for r in mem.itertuples():
        ids = r.source_ids.split(";")
        if ids == [m.SNAPSHOT_ID]:
            continue
        # dated rows: each cited source states the transition date the note gives (quote test covers the formats)
        assert any(sources[i].quote for i in ids), (r.iso3, r.year, r.indicator)
        assert " since " in r.note or r.note.startswith("not yet: "), r.note


def test_unusable_rows_date_nothing(raw_dir):
    mem = pd.read_csv(raw_dir / "compiled_cited" / "memberships_dated.csv", dtype=str, keep_default_na=False)
    assert mem["source_url"].str.contains("blogen.wiki").any()  # the raw table has wiki-dated rows ...
    out = m.build(raw_dir)
    cited = {s.source_id: s for s in out.sources}
    used = {x for r in out.rows for x in r["source_ids"].split(";")}
    assert not any("blogen.wiki" in str(cited[k].url) for k in used)  # ... that date nothing


@pytest.mark.parametrize("iso3", ["EST", "LVA", "LTU"])
def test_baltic_states_never_in_russia_led_organisations(shipped, iso3):
    panel, _, _ = shipped
    p = panel[(panel["iso3"] == iso3) & panel["indicator"].isin(ORG_IND.values())]
    assert len(p) == 4 * 13 and (p["value"] == 0).all()
    assert set(PANEL_COUNTRIES) >= {iso3}
