"""Ranking view: the live ranking (weight sliders + bars rescored in the browser, ui/live_ranking.py).

The bars follow the sliders while they move; on release the browser hands the weights over and
``apply_weights`` (a widget callback, so before the rerun's script) stores them in the session weights,
from which the URL, the CSV download, the uncertainty bands and every other view are computed.
"""

from __future__ import annotations

import streamlit as st

from ui import live_ranking
from ui.context import LEGEND, ViewContext
from ui.state import CUSTOM
from ui.widgets import bands_caption, mc_bands, uncertainty_controls


def apply_weights(indicators) -> None:
    """Copy the weights the browser handed over into the session weights (w_<id>, pw_<pillar>)."""
    ss = st.session_state
    got = live_ranking.weights_from_state((ss.get(live_ranking.KEY) or {}).get("weights"), indicators)
    if got is None:
        return
    iw, pw, seq = got
    moved = any(ss.get(f"w_{k}") != v for k, v in iw.items()) or any(ss.get(f"pw_{p}") != v for p, v in pw.items())
    for k, v in iw.items():
        ss[f"w_{k}"] = v
    for p, v in pw.items():
        ss[f"pw_{p}"] = v
    ss["live_seq"] = seq
    if moved:  # a weight moved by hand: the weights no longer are the preset's
        ss["preset"] = CUSTOM


def render(ctx: ViewContext) -> None:
    # The chart comes first (issue 22: on a phone it must be in the first screen); its display options sit
    # below it. Their values are the session's (set from the URL), so they can be read before they are drawn.
    st_ = ctx.state
    by = st_.split
    bands = mc_bands(
        ctx.model_key, ctx.model, ctx.spec.to_json(), ctx.year, st_.uncertainty, st_.seed, st_.data_uncertainty
    )
    data = live_ranking.payload(
        ctx.model,
        ctx.panel,
        ctx.spec,
        ctx.year,
        ctx.state.weights,
        ctx.state.pillar_weights,
        split=by,
        bands=bands,
        seq=int(st.session_state.get("live_seq", 0)),
        order=list(ctx.year_table["iso3"]),
        source=live_ranking.source_line(ctx.version),
    )
    indicators = ctx.model.indicators
    live_ranking.live_ranking(data, on_change=lambda: apply_weights(indicators))
    st.caption(
        ctx.finding()
        + " "
        + LEGEND
        + ". Labels: score · rank (90% Monte Carlo rank interval, shown for the weights last applied) · coverage"
        " · n† imputed, n° left out, n* not observed. The bars follow the sliders at once; the rest of the page,"
        " the link and the downloads follow when you let go. "
        + bands_caption(st_.uncertainty, st_.data_uncertainty, st_.seed, ctx.spec.missing)
    )
    with st.expander("Bar split and uncertainty bands", expanded=False):
        c1, c2, c3 = st.columns([2, 2, 2])
        c1.radio("Split bars by", ["pillar", "indicator"], horizontal=True, key="split")
        uncertainty_controls(c2, c3, "Uncertainty bands (weight perturbation)")
