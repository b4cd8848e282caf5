"""Every chart has a text alternative that states its main finding, computed from the model."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

import indicators
import scoring

APP = "../dashboard.py"


def captions(view: str, **params) -> tuple[AppTest, str]:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["view"] = view
    for k, v in params.items():
        at.query_params[k] = v
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


def _largest_moves(s):
    s = s.dropna(subset=["score"])
    first, last = s["year"].min(), s["year"].max()
    d = s[s["year"] == last].set_index("country")["score"] - s[s["year"] == first].set_index("country")["score"]
    return d.dropna().sort_values()


def test_trends_name_the_largest_moves_of_the_series_drawn():
    from scoring.composition import chain_linked

    panel, catalog, _ = indicators.shipped()
    model = scoring.Model.from_panel(panel, catalog)
    spec = scoring.spec_from_preset("equal", catalog)
    # Actual scores (chain off).
    d = _largest_moves(model.score(spec).table)
    at, text = captions("trends", chain="0")
    assert f"{d.index[-1]} moved most toward Moscow ({d.iloc[-1]:+.1f} points)" in text, text
    assert f"{d.index[0]} most away ({d.iloc[0]:+.1f})" in text
    # Composition held fixed (the default): the chain-linked series anchored on the selected year.
    at, text = captions("trends")
    c = chain_linked(model, spec, at.session_state["year"])
    c = _largest_moves(c.assign(score=c["chained"]))
    assert f"{c.index[-1]} moved most toward Moscow ({c.iloc[-1]:+.1f} points)" in text, text
