"""Chart helpers in ui/charts.py that shape data before plotting."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ui import charts

SCORES = pd.DataFrame({"iso3": ["ARM", "ARM", "GEO"], "year": [2020, 2021, 2020], "score": [60.0, np.nan, 30.0]})


def _events(*rows):
    return pd.DataFrame(
        [dict(iso3=i, date=d, description=f"event {k}", url=f"https://e/{k}") for k, (i, d) in enumerate(rows)],
        columns=["iso3", "date", "description", "url"],
    )


def test_event_markers_one_per_country_year_on_the_score():
    ev = _events(("ARM", "2020-05-01"), ("ARM", "2020-01-02"), ("GEO", "2020-03-03"), ("ARM", "2019-01-01"))
    got = charts.event_markers(ev, SCORES).set_index(["iso3", "year"])
    assert list(got.index) == [("ARM", 2020), ("GEO", 2020)]  # 2019 has no score row: dropped
    assert got.loc[("ARM", 2020), "n"] == 2 and got.loc[("ARM", 2020), "y"] == 60.0
    # listed by date, so the January event comes first
    assert got.loc[("ARM", 2020), "text"].index("2020-01-02") < got.loc[("ARM", 2020), "text"].index("2020-05-01")


def test_event_markers_keep_missing_scores_missing():
    got = charts.event_markers(_events(("ARM", "2021-06-01")), SCORES)
    assert len(got) == 1 and np.isnan(got["y"].iloc[0])


def test_event_marker_hover_is_capped():
    n = charts.MAX_HOVER_EVENTS + 3
    ev = _events(*[("GEO", f"2020-01-{d:02d}") for d in range(1, n + 1)])
    text = charts.event_markers(ev, SCORES)["text"].iloc[0]
    assert text.count("https://e/") == charts.MAX_HOVER_EVENTS and "and 3 more" in text


def test_event_markers_of_no_events_is_empty():
    assert charts.event_markers(_events(), SCORES).empty


def test_map_hover_names_the_imputed_values_as_inert_text():
    """The map's hovers (choropleth and capital marker) carry the imputed-values line of the states that have
    one, escaped (a name from an upload stays text), and nothing for the others."""
    table = pd.DataFrame(
        {
            "iso3": ["MDA", "GEO"],
            "country": ["Moldova", "Georgia"],
            "score": [52.4, 40.0],
            "rank": [1, 2],
            "coverage": [0.9, 1.0],
            "coverage_observed": [0.5, 0.6],
        }
    )
    fig = charts.map_figure(table, 2013, {"MDA": "imputed †: <img src=x> votes"})
    scored = [t for t in fig.data if t.type == "choropleth" and list(t.locations) == ["MDA", "GEO"]]
    capitals = [t for t in fig.data if t.name == "states"]
    assert len(scored) == len(capitals) == 1
    for tr in scored + capitals:
        assert "%{customdata[3]}" in tr.hovertemplate
        assert [c[3] for c in tr.customdata] == ["<br>imputed †: &lt;img src=x&gt; votes", ""]
