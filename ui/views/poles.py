"""Between the poles: where each state sits between Moscow, the West and Beijing, and how it moves.

A second lens (``scoring.pulls``); it does not change the Moscow-alignment score. The year is the
view's own (URL ``py``; it opens on the latest year in which every measure has data for most states); the measure weights are this view's sliders (URL parameter ``pm``); the states selected
in Compare are highlighted. The sidebar gains a download of the positions (same bytes as
``python -m scoring.pulls``).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

import indicators
from indicators.countries import PANEL_COUNTRIES
from scoring.pulls import PullsError, PullsModel, pulls_csv, pulls_table
from ui import poles_charts
from ui.context import ViewContext
from ui.state import WEIGHT_MAX, WEIGHT_STEP
from ui.widgets import plot, shared


@st.cache_resource(show_spinner=False)
def pulls_model() -> PullsModel:
    """The shipped pulls table and its catalogue (read once per process)."""
    poles, measures = indicators.load_poles()
    return PullsModel(indicators.load_pulls(), poles, measures)


@st.cache_data(show_spinner=False, max_entries=32)
def positions_for(weights: tuple[tuple[str, float], ...]) -> pd.DataFrame:
    m = pulls_model()
    return poles_charts.position_table(m.pulls, dict(weights), m.corners)


@st.cache_data(show_spinner=False, max_entries=32)
def year_coverage(weights: tuple[tuple[str, float], ...]) -> tuple[int, dict[int, dict[str, int]]]:
    """The year the view opens on and, per year, the measures with data for at most half of the states."""
    m = pulls_model()
    return m.complete_year(dict(weights)), {y: m.lacking(y, dict(weights)) for y in m.years}


def render(ctx: ViewContext) -> None:
    m = pulls_model()
    st.subheader("Between the poles: Moscow, the West and Beijing")
    st.caption(
        "A second lens beside the Moscow-alignment score, which it does not change. Each state's position is its "
        "share of the pull of each pole, averaged over the measures below (each measure's values divided by their "
        "sum over the three poles). The line behind a point is the state's path since 2013. Ankara (Turkey) is "
        "reported in the hover, the table and the download but is not a corner. See the Methodology."
    )
    with st.expander("Measure weights", expanded=False):
        cols = st.columns(len(m.measures))
        for c, (mid, meas) in zip(cols, m.measures.items(), strict=True):
            c.slider(meas.name, 0.0, WEIGHT_MAX, step=WEIGHT_STEP, key=f"pm_{mid}", help=meas.definition)
    try:
        weights = m.check_weights(ctx.state.pole_weights)
    except PullsError as e:
        st.error(f"These weights give no position: {e}.")
        return
    # Its own year (URL 'py'): it opens on the latest year in which every measure has data for most states.
    ss = st.session_state
    opening, lacking = year_coverage(tuple(sorted(weights.items())))
    if ss.get("py") not in m.years:
        ss["py"] = opening

    def label(y: int) -> str:
        gaps = lacking[y]
        return f"{y} · no {', '.join(m.measures[k].name.lower() for k in gaps)} for most states" if gaps else str(y)

    year = st.selectbox(
        "Year of the triangle",
        m.years,
        key="py",
        format_func=label,
        help=f"Opens on {opening}, the latest year in which every measure has data for most states. The page's "
        "year (sidebar) sets the other views.",
    )
    lacks = lacking[year]
    if lacks:
        st.caption(
            f"{year} lacks data for most states in: "
            + ", ".join(f"{m.measures[k].name} ({n} of {len(PANEL_COUNTRIES)} states)" for k, n in lacks.items())
            + f". {opening} is the latest year in which every measure has data for most states."
        )
    pos = positions_for(tuple(sorted(weights.items())))
    subtitle = f"Year {year}. Measure weights: " + ", ".join(f"{m.measures[k].name} {v:g}" for k, v in weights.items())
    highlight = tuple(ctx.state.compare)
    now = pos[pos["year"] == year]
    left, right = st.columns([3, 2])
    key = (tuple(sorted(weights.items())), year, highlight)
    with left:
        plot(
            shared(
                ("poles_triangle", *key),
                lambda: poles_charts.triangle_figure(pos, m.pulls, year, m.poles, m.measures, highlight),
            ),
            ctx,
            "poles_triangle",
            year=year,
            subtitle=subtitle,
            key="poles_triangle",
        )
    with right:
        plot(
            shared(
                ("poles_measures", *key),
                lambda: poles_charts.measures_figure(m.pulls, year, m.poles, m.measures, highlight),
            ),
            ctx,
            "poles_measures",
            year=year,
            subtitle=subtitle,
            key="poles_measures",
        )
    notes = []
    absent = [PANEL_COUNTRIES[i] for i in PANEL_COUNTRIES if i not in set(now["iso3"])]
    if absent:
        notes.append(f"No position in {year} (no measure with data): {', '.join(absent)}.")
    for r in now.itertuples():
        note = poles_charts.missing_note(pd.Series(r._asdict()), m.poles)
        if note:
            notes.append(f"{PANEL_COUNTRIES[r.iso3]}: {note} (open marker).")
    counts = {k: int(now["used"].str.split(";").map(lambda u, k=k: k in u).sum()) for k, v in weights.items() if v}
    notes.append(
        f"States whose {year} position uses each measure: "
        + ", ".join(f"{m.measures[k].name} {n}" for k, n in counts.items())
        + " (hover a point for the values behind it)."
    )
    for n in notes:
        st.caption(n)
    if highlight:
        st.caption("Highlighted (red): the countries selected in Compare — " + ", ".join(highlight) + ".")
    table = pulls_table(m, weights, (year,))
    wide = table.pivot_table(index=["country", "measure"], columns="pole", values="value", sort=False)
    wide = wide.reindex(columns=[p for p in m.poles if p in wide.columns])
    with st.expander(f"All values in {year} (measures 0–100, position 0–1)"):
        st.dataframe(wide.round(3), column_config={p: m.poles[p].name for p in wide.columns})
    with st.sidebar:
        st.download_button(
            "Download positions between the poles (CSV)",
            data=lambda: pulls_csv(pulls_table(m, weights, (year,))),
            file_name=f"poles_{year}.csv",
            mime="text/csv",
            on_click="ignore",
            help="Same bytes as `python -m scoring.pulls --year Y --weights id:w,...` with this view's weights.",
        )
