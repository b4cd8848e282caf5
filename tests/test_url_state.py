"""Links keep their meaning: the year and every view option are always in the URL, and weights moved by
hand turn the preset into "custom" (AppTest runs of the real page)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

import indicators
from tests.apptest_live import release_weights
from ui.state import ALWAYS, CUSTOM

APP = "../dashboard.py"


def run(params: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    return at.run()


def test_a_default_page_link_names_its_year_view_preset_and_options():
    at = run()
    q = {k: v[-1] if isinstance(v, list) else v for k, v in at.query_params.items()}
    assert set(ALWAYS) <= set(q), sorted(q)
    assert q["year"] == str(at.session_state["year"])
    assert q["view"] == "ranking" and q["preset"] == "equal" and q["split"] == "pillar"


def test_moving_a_weight_makes_the_preset_custom_and_the_link_reopens_the_same_weights():
    at = run({"preset": "security_first"})
    assert at.session_state["preset"] == "security_first"
    release_weights(at, {"csto_membership": 7.5})  # the live ranking's slider, let go
    assert at.session_state["w_csto_membership"] == 7.5
    assert at.session_state["preset"] == CUSTOM
    q = {k: v[-1] if isinstance(v, list) else v for k, v in at.query_params.items()}
    assert q["preset"] == CUSTOM
    again = run(q)
    assert not again.warning, [w.value for w in again.warning]
    for k in indicators.load_catalog():
        assert again.session_state[f"w_{k}"] == at.session_state[f"w_{k}"], k
    for p in indicators.PILLARS:
        assert again.session_state[f"pw_{p}"] == at.session_state[f"pw_{p}"], p


def test_split_choice_travels_in_the_link():
    at = run({"split": "indicator"})
    assert at.radio(key="split").value == "indicator"
    assert at.query_params["split"] == "indicator"
