"""Robustness view: Monte Carlo rank bands, reachable ranks, effective weights, leave-one-out, and the audit."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import scoring
from indicators import structure
from ui import charts
from ui.context import ViewContext
from ui.safe import md
from ui.widgets import (
    MC_DRAWS,
    audit_sobol,
    audit_statistics,
    bands_caption,
    mc_bands,
    plot,
    reach_table,
    shared,
    uncertainty_controls,
)


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
    key = (ctx.model_key, ctx.year_spec.to_json())
    fig = shared(
        ("rank_ranges", *key, state.uncertainty, state.seed, state.data_uncertainty, state.floor),
        lambda: charts.rank_range_figure(ctx.year_table, bands, reach, year),
    )
    plot(fig, ctx, "rank_ranges")
    st.caption(
        f"Dot: rank at your weights. Blue bar: 90% of {MC_DRAWS:,} Monte Carlo draws. "
        f"{bands_caption(state.uncertainty, state.data_uncertainty, state.seed, spec.missing)} Grey line: the best and worst rank reachable "
        f"with any weights that give every indicator at least {state.floor:g}%. {note}"
    )
    st.subheader("Effective weights")
    ew = shared(("effective_weights", *key), lambda: scoring.effective_weights(model, spec, year=year))
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

    def leave_one_out():
        loo = scoring.leave_one_out(model, spec, year=year)
        m = loo.pivot(index="country", columns="indicator", values="rank_change")
        m.columns = [catalog[k].name if k in catalog else k for k in m.columns]
        return charts.heatmap_figure(
            m,
            f"Rank change when one indicator is dropped, {year} (+ = rank number rises: farther from Moscow)",
            "rank change",
            diverging=True,
        )

    plot(shared(("leave_one_out", *key), leave_one_out), ctx, "leave_one_out")
    render_audit(ctx)


#: What each uncertain input of the Sobol analysis is, in readers' words.
SOBOL_INPUT_LABELS = {
    "weights": "Weights (each ±50%)",
    "normalisation": "Normalisation method",
    "aggregation": "Aggregation method",
    "missing_data": "Missing-data policy",
    "data": "Estimated values (within their bands)",
}


def render_audit(ctx: ViewContext) -> None:
    """The statistical audit of the year (scoring.audit): correlations, reliability, PCA, outliers, Sobol."""
    from scoring import audit

    catalog, year = ctx.catalog, ctx.year
    name = {k: catalog[k].name if k in catalog else k for k in ctx.model.indicators}
    st.subheader("Audit")
    st.markdown(
        "The statistical checks of a composite indicator (as in the JRC's COINr and the OECD/JRC Handbook), "
        f"on the normalised values of {year} with directions applied (higher = closer to Moscow)."
    )
    treat = st.checkbox(
        "Winsorise outliers for the audit (COINr's default rule)",
        key="audit_winsorise",
        help="An indicator with |skewness| > 2 and kurtosis > 3.5 has its most extreme value pulled in to the "
        "next one, at most 5 times. Off by default; the scores never change.",
    )
    a = audit_statistics(ctx.model_key, ctx.model, ctx.year_spec.to_json(), year, treat)
    r = pd.DataFrame(a["correlations"]["indicators"]).astype(float)
    r.index = r.columns = [name[k] for k in r.columns]
    plot(
        charts.heatmap_figure(
            r, f"Correlation between indicators, {year}", "r", zmin=-1, zmax=1, diverging=True, text_fmt="{:.2f}"
        ),
        ctx,
        "correlations",
    )
    words = []
    for f in a["flags"]:
        if f["flag"] == "redundant":
            where = "in the same pillar" if f["same_pillar"] else "in different pillars"
            words.append(
                f"{name[f['a']]} and {name[f['b']]} correlate at r = {f['r']:.2f} ({where}): nearly redundant."
            )
        else:
            words.append(f"{name[f['indicator']]} correlates negatively with its own pillar (r = {f['r']:.2f}).")
    st.caption(
        " ".join(words)
        or f"No pair of indicators correlates at |r| ≥ {audit.REDUNDANT_R} and none runs against its pillar."
    )
    alpha = pd.DataFrame(
        [
            {
                "Pillar": structure.pillar_name(p),
                "Indicators": v["indicators"],
                "States with every value": v["states"],
                "Cronbach's alpha": v["alpha"],
            }
            for p, v in a["cronbach_alpha"].items()
        ]
    )
    c1, c2 = st.columns(2)
    c1.dataframe(
        alpha, hide_index=True, column_config={"Cronbach's alpha": st.column_config.NumberColumn(format="%.2f")}
    )
    c1.caption("Cronbach's alpha: how consistently a pillar's indicators measure one thing (0.7 or more is usual).")
    pcs = a["pca_explained"]
    c2.markdown(
        "**Principal components.** "
        + ", ".join(f"component {k + 1}: {v:.0%}" for k, v in enumerate(pcs[:4]))
        + f" of the variance of the standardised indicators ({len(pcs)} components)."
    )
    sk = pd.DataFrame(
        [
            {
                "Indicator": name[k],
                "Skewness": v["skewness"],
                "Kurtosis": v["kurtosis"],
                "Outside COINr's limits": "yes" if v["outside_limits"] else "",
                "Points winsorised": v.get("winsorised", 0),
            }
            for k, v in a["skew_kurtosis"].items()
        ]
    )
    st.dataframe(
        sk,
        hide_index=True,
        column_config={
            "Skewness": st.column_config.NumberColumn(format="%.2f"),
            "Kurtosis": st.column_config.NumberColumn(format="%.2f"),
        },
    )
    for p in a["treatment"]["points"]:
        st.info(f"Winsorised {name[p['indicator']]}, {p['state']}: {p['from']:g} → {p['to']:g}.")
    st.markdown(
        "**Where a rank's uncertainty comes from** (variance-based sensitivity, Sobol indices of each state's "
        "rank): the share of the rank's variance due to each uncertain input alone (first order) and with its "
        "interactions (total)."
    )
    if st.button("Compute the Sobol indices (takes a few seconds)", key="audit_sobol"):
        sob = audit_sobol(ctx.model_key, ctx.model, ctx.year_spec.to_json(), year)
        tot = pd.DataFrame({SOBOL_INPUT_LABELS[g]: {c: v["total"] for c, v in per.items()} for g, per in sob.items()})
        tot.index = [ctx.model.country_names[ctx.model.countries.index(c)] for c in tot.index]
        plot(
            charts.heatmap_figure(
                tot, f"Total Sobol index of each state's rank, {year}", "total index", zmin=0, zmax=1, text_fmt="{:.2f}"
            ),
            ctx,
            "sobol",
        )
        first = pd.DataFrame(
            {SOBOL_INPUT_LABELS[g]: {c: v["first_order"] for c, v in per.items()} for g, per in sob.items()}
        )
        first.index = tot.index
        st.dataframe(first.round(2), column_config={"_index": st.column_config.TextColumn("State")})
        st.caption(
            "First-order indices (table) and total indices (chart). A state whose rank never moves has 0 "
            "everywhere. Estimated by SALib from a Sobol' sample; small negative values are sampling noise."
        )
