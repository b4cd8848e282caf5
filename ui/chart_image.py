"""PNG and SVG download for every plotly chart of the page (issue 22: a picture a newsroom can drop into a CMS).

:func:`chart_image` mounts a small custom component (v2, no iframe; its code in ``ui/chart_image.js``) right
after a chart. Its two buttons make the image in the browser with plotly's own export (the chart's modebar
"Download plot"), no server-side browser: for that export the chart gains a subtitle (year and weights), a
source line ("Moscow alignment index, data version ...") and the date; the chart on screen is unchanged.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

JS = (Path(__file__).resolve().parent / "chart_image.js").read_text(encoding="utf-8")
CSS = """
.ci { display: flex; gap: .4rem; align-items: center; font-size: 12px; margin: -.25rem 0 .5rem;
      color: var(--st-text-color, #1f2933); font-family: var(--st-font, sans-serif); }
.ci button { font: inherit; padding: .1rem .55rem; border: 1px solid var(--st-primary-color, #0072b2);
             background: transparent; color: inherit; border-radius: 4px; cursor: pointer; }
.ci button:focus-visible { outline: 2px solid var(--st-primary-color, #0072b2); outline-offset: 2px; }
"""


@cache
def _component():
    import streamlit as st

    return st.components.v2.component("align_chart_image", html='<div class="ci-root"></div>', css=CSS, js=JS)


def chart_image(key: str, title: str, subtitle: str, source: str, filename: str) -> None:
    """The PNG/SVG buttons for the chart drawn just before (``key`` unique in the page)."""
    data = {"title": title, "subtitle": subtitle, "source": source, "filename": filename}
    _component()(key=key, data=data)
