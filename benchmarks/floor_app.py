"""The Streamlit floor for benchmarks/live_bench.py: 13 sliders and one plotly bar chart, nothing else.

A key press on a slider costs this page one rerun (websocket round trip, script run, chart redraw); no
work inside a rerun-based page can make a weight change cheaper than this. The numbers are synthetic
(a fixed random table), so the page needs no data and no model.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

COUNTRIES = [f"Country {k:02d}" for k in range(14)]
VALUES = np.random.default_rng(0).uniform(0, 100, size=(14, 13))

w = np.array([st.slider(f"Weight {i + 1}", 0.0, 10.0, 1.0, step=0.25, key=f"w{i}") for i in range(13)])
score = VALUES @ w / max(w.sum(), 1e-9)
order = np.argsort(score)
fig = go.Figure(go.Bar(y=[COUNTRIES[k] for k in order], x=score[order], orientation="h"))
st.plotly_chart(fig)
