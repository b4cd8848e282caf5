"""Methodology view: the method and every indicator, written from the catalogue."""

from __future__ import annotations

import streamlit as st

import indicators
import scoring
from ui.context import ViewContext
from ui.methodology import methodology_markdown, rupture_markdown


@st.cache_resource(show_spinner=False)
def shipped_rupture_markdown() -> str:
    """The rupture pillar's effect on the default ranks of the shipped data (not of an upload), once per process."""
    panel, catalog, _ = indicators.shipped()
    return rupture_markdown(scoring.Model.from_panel(panel, catalog))


def render(ctx: ViewContext) -> None:
    poles, measures = indicators.load_poles()
    st.markdown(methodology_markdown(ctx.catalog, ctx.sources, poles, measures))
    st.markdown(shipped_rupture_markdown())
