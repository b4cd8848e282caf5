"""What the page holds once per process, shared by every session: the shipped data and model, the page's CSS,
the header's counts, and the garbage collector's settling after a view's first run.

Defined here, not in ``dashboard.py``: a cached function defined in the page script is created again on every
run (Streamlit hashes its source each time), one defined in a module once.
"""

from __future__ import annotations

import gc
from pathlib import Path

import streamlit as st

import indicators
import scoring
from indicators.tiers import rests_on
from ui.state import PageConfig, slug

PAGE_CSS = (Path(__file__).resolve().parent / "page.css").read_text(encoding="utf-8")


@st.cache_resource(show_spinner=False)
def shipped():
    """Panel, catalogue, sources, events, the precomputed model and example scenarios (read once)."""
    panel, catalog, sources = indicators.shipped()
    events = indicators.load_events()
    src_url = {k: str(s.url) for k, s in sources.items()}
    events = events.assign(url=events["source_id"].map(src_url))
    model = scoring.Model.from_panel(panel, catalog)
    examples = {slug(sc.name): sc for sc in scoring.load_example_scenarios(catalog).values()}
    _, pull_measures = indicators.load_poles()
    pole_weights = {k: m.weight for k, m in pull_measures.items()}  # the poles lens' measure weights
    return panel, catalog, sources, events, model, examples, PageConfig.build(catalog, model, examples, pole_weights)


@st.cache_data(show_spinner=False, max_entries=16)
def header_basis(model_key: str, _panel, _sources) -> str:
    """What the numbers rest on, counted from the panel in use (once per model, not on every rerun)."""
    share, only_ip = rests_on(_panel, _sources)
    return (
        f"Of its {len(_panel):,} values, {share:.0%} are observed figures with an official, reference or "
        f"press source; the rest are estimated, imputed or carried forward (marked), or rest only on "
        f"interested-party sources (‡, {only_ip} values). Each score shows its coverage and the share that is observed."
    )


@st.cache_resource(show_spinner=False)
def settled(view: str) -> bool:
    """Once per process and view, after its first run: move every object alive now (modules, shipped data, the
    model, the shared caches) out of the cyclic garbage collector's sight (``gc.freeze``). Streamlit collects
    after every run (``runner.postScriptGC``); over the ~165,000 objects of this process that took ~140 ms of
    each run, for every reader and every rerun, and now takes about nothing. Memory is still freed by reference
    counting; only cycles among the frozen objects are never collected."""
    gc.collect()
    gc.freeze()
    return True
