"""Methodology view: the method and every indicator, written from the catalogue."""

from __future__ import annotations

import streamlit as st

from ui.context import ViewContext
from ui.methodology import methodology_markdown


def render(ctx: ViewContext) -> None:
    st.markdown(methodology_markdown(ctx.catalog, ctx.sources))
