"""The profile per state (scoring.profile): each of the three biggest moves is recomputed from the model and the
panel, and every number its sentence states is checked against those recomputed figures."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

import scoring
from indicators.countries import PANEL_COUNTRIES
from scoring.profile import biggest_moves, ordinal, value_text


@pytest.fixture(scope="module")
def setup(shipped):
    panel, catalog, sources = shipped
    model = scoring.Model.from_panel(panel, catalog)
    return model, panel, catalog, sources


@pytest.mark.parametrize("preset", ["equal", "security_first"])
@pytest.mark.parametrize("iso3", list(PANEL_COUNTRIES))
def test_every_number_of_every_move_sentence_comes_from_the_model(setup, iso3, preset):
    model, panel, catalog, sources = setup
    spec = scoring.spec_from_preset(preset, catalog)
    table = model.score(spec).table
    t = table[table["iso3"] == iso3].set_index("year")
    # the moves, recomputed: consecutive scored years, largest absolute change first
    steps = sorted(
        (
            (abs(t.loc[y + 1, "score"] - t.loc[y, "score"]), y)
            for y in model.years[:-1]
            if not (math.isnan(t.loc[y, "score"]) or math.isnan(t.loc[y + 1, "score"]))
            and t.loc[y + 1, "score"] != t.loc[y, "score"]
        ),
        key=lambda s: (-s[0], s[1]),
    )
    moves = biggest_moves(model, spec, panel, sources, iso3)
    assert [m.year_from for m in moves] == [y for _, y in steps[:3]]
    for m in moves:
        y0, y1 = m.year_from, m.year_to
        s0, s1, r0, r1 = t.loc[y0, "score"], t.loc[y1, "score"], int(t.loc[y0, "rank"]), int(t.loc[y1, "rank"])
        assert (m.score_from, m.score_to, m.rank_from, m.rank_to) == (s0, s1, r0, r1)
        text = m.sentence
        assert text.startswith(PANEL_COUNTRIES[iso3])
        assert f"from {s0:.1f} to {s1:.1f} points" in text
        assert ordinal(r0) in text and ordinal(r1) in text and str(y0) in text and str(y1) in text
        assert ("fell" in text.split(",")[0]) == (r1 > r0) and ("rose" in text.split(",")[0]) == (r1 < r0)
        part = f"{m.driver_change:+.1f} of {s1 - s0:+.1f} points".replace("-", "−")
        assert part in text
        # no number in the sentence but the recomputed ones
        rest = text
        for piece in (part, f"{s0:.1f}", f"{s1:.1f}", ordinal(r0), ordinal(r1), str(y0), str(y1)):
            rest = rest.replace(piece, "", 1)
        if m.driver == "composition":
            assert "the data behind it changed" in text
            assert not re.search(r"\d", rest.replace(str(y1), "").replace(str(y0), "")), rest
            continue
        # the driver's raw values and source come from the panel
        ind = catalog[m.driver]
        p = panel.set_index(["iso3", "year", "indicator"])
        v0, v1 = p.loc[(iso3, y0, m.driver), "value"], p.loc[(iso3, y1, m.driver), "value"]
        assert f"from {value_text(ind, v0)} to {value_text(ind, v1)}" in text
        producers = {sources[s].producer for s in p.loc[(iso3, y1, m.driver), "source_ids"].split(";") if s in sources}
        assert any(pr in text for pr in producers)
        for piece in (f"from {value_text(ind, v0)} to {value_text(ind, v1)}", *producers):
            rest = rest.replace(piece, "", 1)
        assert not re.search(r"\d", rest), rest
        # where both years have the same indicators, the driver's part is its contribution's change, and the
        # largest one pointing the same way as the move
        have0 = ~np.isnan(model.raw[model.year_index(y0), model.countries.index(iso3)])
        have1 = ~np.isnan(model.raw[model.year_index(y1), model.countries.index(iso3)])
        if spec.aggregation == "arithmetic" and (have0 == have1).all():
            d = {k: t.loc[y1, f"contrib_{k}"] - t.loc[y0, f"contrib_{k}"] for k in catalog}
            d = {k: v for k, v in d.items() if not math.isnan(v) and (v > 0) == (s1 > s0) and v != 0}
            best = max(d, key=lambda k: abs(d[k]))
            assert m.driver == best and m.driver_change == pytest.approx(d[best], abs=1e-9)


def test_the_example_of_the_issue_reads_as_written(setup):
    model, panel, catalog, sources = setup
    spec = scoring.spec_from_preset("equal", catalog)
    moves = biggest_moves(model, spec, panel, sources, "ARM")
    csto = next(m for m in moves if m.driver == "csto_membership")
    assert csto.sentence.startswith("Armenia ") and f"({csto.year_from}" in csto.sentence
    assert "its CSTO membership fell from 2 (active member) to 1 (participation suspended or frozen)" in csto.sentence


def test_the_profile_view_shows_the_moves_of_the_chosen_state(setup):
    from streamlit.testing.v1 import AppTest

    from scoring.untrusted import md

    model, panel, catalog, sources = setup
    at = AppTest.from_file("../dashboard.py", default_timeout=90)
    at.query_params["view"] = "profile"
    at.query_params["cc"] = "GEO"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    text = "\n".join(m.value for m in at.markdown)
    for m in biggest_moves(model, scoring.spec_from_preset("equal", catalog), panel, sources, "GEO"):
        assert md(m.sentence, line_start=False) in text
    assert at.query_params["cc"] == "GEO" and at.query_params["view"] == "profile"


def test_a_move_driven_by_an_imputed_value_says_so_and_quotes_no_missing_figure(shipped):
    """Armenia's arms imports from Russia fell from 81.0% (2023) to 32.4% (2024). With the 2024 value removed
    and arms imports the only weighted indicator, the 2023->2024 move comes from the imputed value: the
    sentence names it (†) and the year it is imputed for, and states no 'nan'."""
    panel, catalog, sources = shipped
    gone = (panel["iso3"] == "ARM") & (panel["indicator"] == "arms_imports_russia") & (panel["year"] == 2024)
    assert gone.sum() == 1
    model = scoring.Model.from_panel(panel[~gone], catalog)
    spec = scoring.ScoringSpec(indicator_weights={k: float(k == "arms_imports_russia") for k in catalog})
    moves = {(m.year_from, m.year_to): m for m in biggest_moves(model, spec, panel[~gone], sources, "ARM", n=12)}
    m = moves[(2023, 2024)]
    assert m.driver == "arms_imports_russia" and math.isnan(m.value_to) and not math.isnan(m.value_from)
    assert f"{catalog['arms_imports_russia'].name}, imputed † for 2024" in m.sentence, m.sentence
    assert "nan" not in m.sentence.lower()
