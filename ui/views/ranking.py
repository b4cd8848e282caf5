"""Ranking view: the 14 states ordered by score, bars split by pillar or indicator."""

from __future__ import annotations

import streamlit as st

from ui import charts
from ui.context import LEGEND, ViewContext
from ui.widgets import PLOT_CONFIG, mc_bands, uncertainty_controls


def render(ctx: ViewContext) -> None:
    c1, c2, c3 = st.columns([2, 2, 2])
    by = c1.radio("Split bars by", ["pillar", "indicator"], horizontal=True, key="split")
    uncertainty_controls(c2, c3, "Uncertainty bands (weight perturbation)")
    bands = mc_bands(ctx.model_key, ctx.model, ctx.spec.to_json(), ctx.year, ctx.state.uncertainty, ctx.state.seed)
    t = ctx.with_pillar_contribs(ctx.year_table)
    fig = charts.ranking_figure(
        t, ctx.contribution_parts(by), flags=ctx.country_flags(ctx.year), bands=bands, year=ctx.year
    )
    st.plotly_chart(fig, config=PLOT_CONFIG, key="ranking_chart")
    st.caption(
        LEGEND
        + ". Labels: score · rank (90% Monte Carlo rank interval) · coverage · n† inputs not observed, n° missing."
    )
