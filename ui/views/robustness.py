"""Robustness view: Monte Carlo rank bands, reachable ranks, effective weights, leave-one-out."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import scoring
from ui import charts
from ui.context import ViewContext
from ui.safe import md
from ui.widgets import MC_DRAWS, PLOT_CONFIG, bands_caption, mc_bands, reach_table, uncertainty_controls


def render(ctx: ViewContext) -> None:
    model, spec, year, state, catalog = ctx.model, ctx.spec, ctx.year, ctx.state, ctx.catalog
    st.markdown("**How far to trust a rank.** Ranks move when the weights move. Three views of how much:")
    c1, c2, c3 = st.columns(3)
    uncertainty_controls(c1, c2, "Perturbation strength")
    c3.slider(
        "Weight floor for reachable ranks (% per indicator)",
        0.0,
        5.0,
        step=0.5,
        key="floor",
        help="Every indicator keeps at least this share of the weight, so none is silently dropped.",
    )
    bands = mc_bands(ctx.model_key, model, spec.to_json(), year, state.uncertainty, state.seed, state.data_uncertainty)
    with st.spinner("Solving for the best and worst reachable rank of every country…"):
        reach, note = reach_table(ctx.model_key, model, ctx.year_spec.to_json(), year, state.floor)
    st.plotly_chart(charts.rank_range_figure(ctx.year_table, bands, reach, year), config=PLOT_CONFIG)
    st.caption(
        f"Dot: rank at your weights. Blue bar: 90% of {MC_DRAWS:,} Monte Carlo draws. "
        f"{bands_caption(state.uncertainty, state.data_uncertainty, state.seed)} Grey line: the best and worst rank reachable "
        f"with any weights that give every indicator at least {state.floor:g}%. {note}"
    )
    st.subheader("Effective weights")
    ew = scoring.effective_weights(model, spec, year=year)
    for r in ew[ew["flag"].isin(["under", "over"])].itertuples():
        what = (
            "drives the index far less than its weight"
            if r.flag == "under"
            else "drives the index far more than its weight"
        )
        st.warning(
            f"{md(catalog[r.indicator].name)} {what}: nominal weight {r.nominal_weight:.0%}, "
            f"correlation weight {r.correlation_weight:.0%}."
        )
    st.dataframe(
        pd.DataFrame(
            {
                "Indicator": ew["indicator"].map(lambda k: catalog[k].name),
                "Weight you set": ew["nominal_weight"],
                "Variance shared with the index (R²)": ew["r2"],
                "Influence on the index": ew["correlation_weight"],
                "Influence ÷ weight": ew["ratio"],
                "Flag": ew["flag"].map({"under": "far less influence than weight", "over": "far more"}).fillna(""),
            }
        ),
        hide_index=True,
        height="content",
        column_config={
            "Weight you set": st.column_config.NumberColumn(format="percent"),
            "Variance shared with the index (R²)": st.column_config.NumberColumn(format="%.2f"),
            "Influence on the index": st.column_config.NumberColumn(format="percent"),
            "Influence ÷ weight": st.column_config.NumberColumn(format="%.2f"),
        },
    )
    st.caption(
        "Weight you set: each indicator's share of the total weight. Influence: the squared correlation of the "
        "indicator with the index, scaled so the influences add up to 100%. A flag marks indicators whose influence "
        "is far from their weight."
    )
    st.subheader("Leave one indicator out")
    loo = scoring.leave_one_out(model, spec, year=year)
    m = loo.pivot(index="country", columns="indicator", values="rank_change")
    m.columns = [catalog[k].name if k in catalog else k for k in m.columns]
    st.plotly_chart(
        charts.heatmap_figure(
            m,
            f"Rank change when one indicator is dropped, {year} (+ = rank number rises: farther from Moscow)",
            "rank change",
            diverging=True,
        ),
        config=PLOT_CONFIG,
    )
