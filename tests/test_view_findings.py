"""Every chart has a text alternative that states its main finding, computed from the model."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

import indicators
import scoring

APP = "../dashboard.py"


def captions(view: str) -> tuple[AppTest, str]:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["view"] = view
    at.run()
    assert not at.exception
    return at, " ".join(c.value for c in at.caption)


def test_ranking_and_map_name_the_closest_and_farthest_state():
    panel, catalog, _ = indicators.shipped()
    model = scoring.Model.from_panel(panel, catalog)
    for view in ("ranking", "map"):
        at, text = captions(view)
        year = at.session_state["year"]
        t = model.score(scoring.spec_from_preset("equal", catalog).replace(years=(year,))).for_year(year)
        t = t.dropna(subset=["score"])
        top, bottom = t.iloc[0], t.iloc[-1]
        assert f"In {year}, {top['country']} is closest to Moscow ({top['score']:.1f} of 100)" in text, text
        assert f"{bottom['country']} farthest ({bottom['score']:.1f})" in text


def test_trends_name_the_largest_moves():
    panel, catalog, _ = indicators.shipped()
    s = scoring.Model.from_panel(panel, catalog).score(scoring.spec_from_preset("equal", catalog)).table
    s = s.dropna(subset=["score"])
    first, last = s["year"].min(), s["year"].max()
    d = s[s["year"] == last].set_index("country")["score"] - s[s["year"] == first].set_index("country")["score"]
    d = d.dropna().sort_values()
    _, text = captions("trends")
    assert f"{d.index[-1]} moved most toward Moscow ({d.iloc[-1]:+.1f} points)" in text, text
    assert f"{d.index[0]} most away ({d.iloc[0]:+.1f})" in text
