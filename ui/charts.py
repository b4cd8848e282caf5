"""Plotly figures for the dashboard, built with ``plotly.graph_objects`` (fast) from
the model's result tables. Pure functions: data in, figure out.

Colours: the Okabe-Ito palette (safe for the common colour-vision deficiencies) for
categories, and the perceptually uniform, colour-blind-safe ``cividis`` scale for the
map.
"""

from __future__ import annotations

import math
from html import escape
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from indicators import structure
from indicators.countries import CAPITALS, COUNTRY_COLOURS

#: Colours of the pillars and indicators, and one colour per state in every view (ranking dots, compare bars,
#: trend lines, map markers), with the capitals where the map puts each state's labelled marker: all declared
#: in ``data/structure.csv`` and ``data/countries.csv``. The state colours are drawn from Paul Tol's
#: colour-blind-safe "vibrant", "muted" and "high-contrast" schemes; with 14 states some hues are necessarily
#: near each other, so every coloured mark is also labelled with the state's name.
PILLAR_COLOURS: dict[str, str] = {k: n.colour for k, n in structure.pillars().items()}
INDICATOR_COLOURS: dict[str, str] = {k: n.colour for k, n in structure.indicators().items()}
#: Where the map writes each state's name (``ui/map_labels.csv``: longitude, latitude, text position against
#: that point): outside the scored states, on the sea, Russia's grey or a neighbour's light land, joined to the
#: capital by a leader line, so every name sits on a light ground (contrast >= 4.5:1 with a white halo) whatever
#: the fills, and no two names overlap down to a 390 px wide screen (tests/browser/test_labels_browser.py
#: measures both).
MAP_LABELS: dict[str, tuple[float, float, str]] = {
    r.iso3: (float(r.label_lon), float(r.label_lat), r.text_position)
    for r in pd.read_csv(Path(__file__).resolve().parent / "map_labels.csv").itertuples(index=False)
}
#: The halo behind chart labels drawn over fills (CSS text-shadow): white on every side.
HALO = "0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff, 0 0 4px #fff"
#: Text on charts: dark enough for WCAG AA (at least 4.5:1 on white).
TEXT = "#333333"
GREY = "#B8BEC6"
MAP_SCALE = "cividis"
#: Base layout shared by every figure.
BASE_LAYOUT = dict(
    template="plotly_white",
    font=dict(family="sans-serif", size=13, color=TEXT),
    margin=dict(l=10, r=10, t=50, b=40),
    hoverlabel=dict(font_size=12),
)
#: Plotly config passed by the dashboard: offline base map, no plotly logo.
TOPOJSON_URL = "app/static/"


def _layout(fig: go.Figure, title: str, **kw) -> go.Figure:
    fig.update_layout(title=dict(text=title, x=0, xanchor="left"), **BASE_LAYOUT, **kw)
    return fig


def swatch(iso3: str) -> str:
    """A small square in the state's colour, for labels (plotly renders the inline style)."""
    return f'<span style="color:{COUNTRY_COLOURS.get(iso3, GREY)}">■</span>'


def shade(hex_colour: str, k: int, n: int) -> str:
    """The k-th of n shades of a colour (lighter as k grows), for indicators within a pillar."""
    h = hex_colour.lstrip("#")
    rgb = [int(h[i : i + 2], 16) for i in (0, 2, 4)]
    t = 0.0 if n <= 1 else 0.55 * k / (n - 1)
    mixed = [round(c + (255 - c) * t) for c in rgb]
    return "#" + "".join(f"{c:02x}" for c in mixed)


#: At most this many events are listed in one marker's hover; the rest are counted.
MAX_HOVER_EVENTS = 6


def event_markers(events: pd.DataFrame, scores: pd.DataFrame) -> pd.DataFrame:
    """One row per (iso3, year) with events: y = that year's score, n = event count, hover text.

    Events in years without a score row are dropped; a year whose score is missing keeps
    y = NaN (plotly leaves the marker out). The text lists events by date, at most
    :data:`MAX_HOVER_EVENTS` of them, then "… and k more".
    """
    ev = events.assign(year=events["date"].str[:4].astype(int))
    ev = ev[ev["year"].isin(scores["year"].unique())].sort_values(["iso3", "date"])
    sc = scores.set_index(["iso3", "year"])["score"]
    rows = []
    for (iso, year), g in ev.groupby(["iso3", "year"], sort=True):
        lines = [f"{d}: {t}<br><i>{u}</i>" for d, t, u in zip(g["date"], g["description"], g["url"], strict=True)]
        if len(lines) > MAX_HOVER_EVENTS:
            lines = lines[:MAX_HOVER_EVENTS] + [f"… and {len(lines) - MAX_HOVER_EVENTS} more (events table below)"]
        rows.append(dict(iso3=iso, year=year, y=sc.get((iso, year), np.nan), n=len(g), text="<br>".join(lines)))
    return pd.DataFrame(rows, columns=["iso3", "year", "y", "n", "text"])


def trend_figure(
    scores: pd.DataFrame,
    highlight: list[str] | None = None,
    events: pd.DataFrame | None = None,
    title: str = "Moscow-alignment score by year (0–100)",
    notes: pd.DataFrame | None = None,
) -> go.Figure:
    """Score lines per country over the years. Highlighted countries get colours, others grey.

    ``events`` (optional): iso3, date, description, url — one marker per highlighted country
    and year on its line (see :func:`event_markers`), bigger when the year has more events.
    ``notes`` (optional): iso3, year, provisional (bool), note (hover text). A provisional
    point (its indicator set differs from the year before) is drawn hollow and the segment
    leading to it dashed; ``note`` is added to every point's hover.
    """
    highlight = [h for h in (highlight or []) if h in set(scores["iso3"])]
    fig = go.Figure()
    order = sorted(scores["iso3"].unique(), key=lambda i: (i in highlight, i))
    colour = {iso: COUNTRY_COLOURS.get(iso, GREY) for iso in (highlight or order)}
    marks = (
        event_markers(events[events["iso3"].isin(highlight)], scores)
        if events is not None and len(events) and highlight
        else pd.DataFrame(columns=["iso3", "year", "y", "n", "text"])
    )
    # The events of a year ride on the line's own point, so its hover (which wins over the diamond's) lists them.
    event_text = {(i, y): f"<br><br>{t}" for i, y, t in zip(marks["iso3"], marks["year"], marks["text"], strict=True)}
    nt = notes.set_index(["iso3", "year"]) if notes is not None else None
    for iso in order:
        s = scores[scores["iso3"] == iso].sort_values("year")
        on = iso in colour or not highlight
        line_colour = colour.get(iso, GREY)
        width = 3 if iso in colour else 1.5
        name = s["country"].iloc[0]
        prov = np.zeros(len(s), dtype=bool)
        text = [""] * len(s)
        if nt is not None:
            keys = list(zip([iso] * len(s), s["year"], strict=True))
            prov = np.array([bool(nt["provisional"].get(k, False)) for k in keys])
            text = [str(nt["note"].get(k, "")) for k in keys]
        xs, ys = s["year"].tolist(), s["score"].tolist()
        for dashed in (False, True):  # segments: solid between complete years, dashed into a provisional year
            sx, sy = [], []
            for k in range(1, len(xs)):
                if bool(prov[k]) == dashed:
                    sx += [xs[k - 1], xs[k], None]
                    sy += [ys[k - 1], ys[k], None]
            if sx:
                fig.add_trace(
                    go.Scatter(
                        x=sx,
                        y=sy,
                        mode="lines",
                        name=name,
                        legendgroup=iso,
                        showlegend=False,
                        line=dict(color=line_colour, width=width, dash="dash" if dashed else "solid"),
                        opacity=1.0 if on else 0.55,
                        hoverinfo="skip",
                    )
                )
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="markers",
                name=name,
                legendgroup=iso,
                marker=dict(
                    size=(7 if on else 5) + 2 * prov,
                    symbol=["circle-open" if p else "circle" for p in prov],
                    color=line_colour,
                    line=dict(width=2, color=line_colour),
                ),
                opacity=1.0 if on else 0.55,
                text=[t + event_text.get((iso, y), "") for t, y in zip(text, xs, strict=True)],
                hovertemplate="<b>%{fullData.name}</b> %{x}: %{y:.1f}%{text}<extra></extra>",
            )
        )
    if len(marks):
        for iso, g in marks.groupby("iso3"):
            fig.add_trace(
                go.Scatter(
                    x=g["year"],
                    y=g["y"],
                    mode="markers",
                    marker=dict(
                        symbol="diamond-open",
                        size=8 + 2 * g["n"].clip(upper=6),
                        color=colour.get(iso, "#333"),
                        line_width=2,
                    ),
                    name=f"events: {scores.loc[scores['iso3'] == iso, 'country'].iloc[0]}",
                    text=g["text"],
                    hoverinfo="skip",
                )
            )
    for iso in highlight:  # label each highlighted line at its last scored year
        s = scores[(scores["iso3"] == iso) & scores["score"].notna()].sort_values("year")
        if len(s):
            fig.add_annotation(
                x=s["year"].iloc[-1],
                y=s["score"].iloc[-1],
                text=f"{swatch(iso)} {s['country'].iloc[-1]}",
                showarrow=False,
                xanchor="left",
                xshift=8,
                font=dict(size=12, color=TEXT),
            )
    years = sorted(scores["year"].unique())
    _layout(
        fig,
        title,
        height=460,
        xaxis=dict(title="year", tickmode="array", tickvals=years, dtick=1),
        yaxis=dict(title="score (0–100)", range=[0, 100]),
        legend=dict(font_size=11),
    )
    return fig


def change_waterfall(
    parts: pd.DataFrame, score_from: float, score_to: float, year_from: int, year_to: int, country: str
) -> go.Figure:
    """Waterfall from the earlier score to the later one: one bar per part, in the order given.

    ``parts``: label, change, hover (text shown on hover, e.g. the raw values behind the part).
    The first bar is the score in ``year_from``, the last the score in ``year_to``; the parts in
    between add up to the difference (checked by the caller's model, not here).
    """
    labels = [f"{year_from} score", *parts["label"], f"{year_to} score"]
    hover = [
        f"Score in {year_from}: {score_from:.2f}",
        *[
            f"<b>{lab}</b>: {c:+.2f} points<br>{h}"
            for lab, c, h in zip(parts["label"], parts["change"], parts["hover"], strict=True)
        ],
        f"Score in {year_to}: {score_to:.2f}<br>change {score_to - score_from:+.2f}",
    ]
    fig = go.Figure(
        go.Waterfall(
            x=labels,
            y=[score_from, *parts["change"], score_to],
            measure=["absolute", *["relative"] * len(parts), "total"],
            text=[f"{score_from:.1f}", *[f"{c:+.2f}" for c in parts["change"]], f"{score_to:.1f}"],
            textposition="outside",
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            increasing=dict(marker=dict(color="#D55E00")),  # toward Moscow
            decreasing=dict(marker=dict(color="#0072B2")),  # away from Moscow
            totals=dict(marker=dict(color="#7B8794")),
            connector=dict(line=dict(color="#9AA5B1", width=1)),
            cliponaxis=False,
        )
    )
    lo, hi = min(score_from, score_to), max(score_from, score_to)
    run = np.cumsum([score_from, *parts["change"]])
    lo, hi = min(lo, float(run.min())), max(hi, float(run.max()))
    pad = max(2.0, (hi - lo) * 0.25)
    return _layout(
        fig,
        f"What changed for {country}, {year_from} → {year_to} (orange = toward Moscow, blue = away)",
        height=460,
        showlegend=False,
        yaxis=dict(title="score (0–100)", range=[max(0.0, lo - pad), min(100.0, hi + pad) + 2]),
        xaxis=dict(automargin=True, tickangle=-25),
    )


def pillar_compare_figure(table: pd.DataFrame, pillars: dict[str, str], year: int) -> go.Figure:
    """Grouped bars: pillar sub-scores (0–100) for the selected countries."""
    fig = go.Figure()
    for _, r in table.iterrows():
        fig.add_trace(
            go.Bar(
                x=[p.replace("_", " ") for p in pillars],
                y=[r.get(f"pillar_{p}") for p in pillars],
                name=r["country"],
                marker_color=COUNTRY_COLOURS.get(r["iso3"], GREY),
                hovertemplate="<b>%{fullData.name}</b> %{x}: %{y:.1f}<extra></extra>",
            )
        )
    return _layout(
        fig,
        f"Pillar sub-scores in {year} (0 = farthest from Moscow, 100 = closest)",
        barmode="group",
        height=380,
        yaxis=dict(title="sub-score (0–100)", range=[0, 100]),
    )


def map_figure(table: pd.DataFrame, year: int, notes: dict[str, str] | None = None) -> go.Figure:
    """Choropleth of the region by score; Russia drawn in grey as context, not scored. ``notes``: iso3 -> a
    line added to the state's hover (the imputed values behind its score, marked †)."""
    notes = notes or {}
    t = table.dropna(subset=["score"])
    fig = go.Figure()
    fig.add_trace(
        go.Choropleth(
            locations=["RUS"],
            z=[0],
            locationmode="ISO-3",
            colorscale=[[0, "#E4E7EB"], [1, "#E4E7EB"]],
            showscale=False,
            hovertemplate="Russia (reference, not scored)<extra></extra>",
            marker_line_color="white",
        )
    )
    fig.add_trace(
        go.Choropleth(
            locations=t["iso3"],
            z=t["score"],
            zmin=0,
            zmax=100,
            locationmode="ISO-3",
            colorscale=MAP_SCALE,
            reversescale=True,
            text=t["country"],
            customdata=list(
                zip(
                    t["rank"],
                    t["coverage"] * 100,
                    t.get("coverage_observed", t["coverage"]) * 100,
                    [_note(notes, i) for i in t["iso3"]],
                    strict=True,
                )
            ),
            hovertemplate="<b>%{text}</b><br>score %{z:.1f} · rank #%{customdata[0]:.0f}"
            "<br>coverage %{customdata[1]:.0f}% (observed %{customdata[2]:.0f}%)%{customdata[3]}<extra></extra>",
            marker_line_color="white",
            marker_line_width=0.8,
            # under the map, so the map keeps the whole width on a phone
            colorbar=dict(title=dict(text="score", side="top"), orientation="h", len=0.5, thickness=12, x=0.5, y=-0.02),
        )
    )
    caps = pd.DataFrame(
        [(iso, *CAPITALS[iso]) for iso in table["iso3"] if iso in CAPITALS], columns=["iso3", "lon", "lat"]
    ).merge(table[["iso3", "country", "score", "rank", "coverage"]], on="iso3")
    lab = [MAP_LABELS[i] for i in caps["iso3"]]
    line_lon, line_lat = [], []
    for (lo, la), (tlo, tla, _) in zip(zip(caps["lon"], caps["lat"], strict=True), lab, strict=True):
        line_lon += [lo, tlo, None]
        line_lat += [la, tla, None]
    fig.add_trace(  # leader lines: capital -> name
        go.Scattergeo(
            lon=line_lon,
            lat=line_lat,
            mode="lines",
            line=dict(color="#52606D", width=1),
            hoverinfo="skip",
            showlegend=False,
            name="leader lines",
        )
    )
    fig.add_trace(
        go.Scattergeo(
            lon=[t[0] for t in lab],
            lat=[t[1] for t in lab],
            mode="text",
            text=caps["country"],
            textposition=[t[2] for t in lab],
            textfont=dict(size=11, color=TEXT, shadow=HALO),
            hoverinfo="skip",
            showlegend=False,
            name="names",
        )
    )
    fig.add_trace(
        go.Scattergeo(
            lon=caps["lon"],
            lat=caps["lat"],
            mode="markers",
            text=caps["country"],
            marker=dict(size=10, color=[COUNTRY_COLOURS[i] for i in caps["iso3"]], line=dict(color="white", width=1.5)),
            customdata=list(
                zip(
                    caps["score"],
                    caps["rank"].astype(float),
                    caps["coverage"] * 100,
                    [_note(notes, i) for i in caps["iso3"]],
                    strict=True,
                )
            ),
            hovertemplate="<b>%{text}</b><br>score %{customdata[0]:.1f} · rank #%{customdata[1]:.0f}"
            "<br>coverage %{customdata[2]:.0f}%%{customdata[3]}<extra></extra>",
            name="states",
            showlegend=False,
        )
    )
    fig.update_geos(
        projection_type="conic equal area",
        projection_rotation_lon=50,
        lonaxis_range=[9, 96],
        lataxis_range=[29, 62],
        showcountries=True,
        countrycolor="white",
        showland=True,
        landcolor="#F3F5F7",
        showocean=True,
        oceancolor="#EAF2F8",
        showlakes=True,
        lakecolor="#EAF2F8",
        showframe=False,
        resolution=50,
    )
    return _layout(fig, f"Moscow-alignment score by country, {year} (darker = closer to Moscow)", height=520)


def _note(notes: dict[str, str], iso3: str) -> str:
    """A hover line of ``notes`` (plotly's hover markup: ``<br>`` before it), escaped; "" when none."""
    return f"<br>{escape(notes[iso3])}" if notes.get(iso3) else ""


def heatmap_figure(
    matrix: pd.DataFrame,
    title: str,
    colorbar_title: str,
    zmin: float | None = None,
    zmax: float | None = None,
    diverging: bool = False,
    text_fmt: str = "{:.0f}",
) -> go.Figure:
    """A labelled heatmap (rows × columns) with values printed in the cells."""
    z = matrix.to_numpy(dtype=float)
    text = [
        ["" if (v is None or (isinstance(v, float) and math.isnan(v))) else text_fmt.format(v) for v in row]
        for row in z
    ]
    scale = "RdBu" if diverging else "Blues"
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[str(c) for c in matrix.columns],
            y=[str(i) for i in matrix.index],
            colorscale=scale,
            zmid=0 if diverging else None,
            zmin=zmin,
            zmax=zmax,
            text=text,
            texttemplate="%{text}",
            colorbar=dict(title=dict(text=colorbar_title)),
            hovertemplate="%{y} · %{x}: %{z}<extra></extra>",
        )
    )
    return _layout(
        fig, title, height=max(320, 26 * len(matrix) + 140), yaxis=dict(autorange="reversed", automargin=True)
    )


def scenario_delta_figure(delta: pd.DataFrame, title: str) -> go.Figure:
    """Before/after dumbbells: one row per country with baseline and scenario score."""
    d = delta.sort_values("score_after")
    fig = go.Figure()
    for _, r in d.iterrows():
        fig.add_trace(
            go.Scatter(
                x=[r["score_before"], r["score_after"]],
                y=[r["country"], r["country"]],
                mode="lines",
                line=dict(color=GREY, width=3),
                showlegend=False,
                hoverinfo="skip",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=d["score_before"], y=d["country"], mode="markers", name="baseline", marker=dict(color=GREY, size=10)
        )
    )
    fig.add_trace(
        go.Scatter(
            x=d["score_after"],
            y=d["country"],
            mode="markers",
            name="scenario",
            marker=dict(color="#D55E00", size=10, symbol="diamond"),
        )
    )
    return _layout(fig, title, height=max(380, 30 * len(d) + 120), xaxis=dict(title="score (0–100)", range=[0, 100]))


def _segments(labels, lo, hi) -> tuple[list, list, list]:
    """One horizontal segment per label in a single trace (None breaks the line between them)."""
    x, y, cd = [], [], []
    for lab, a, b in zip(labels, lo, hi, strict=True):
        x += [a, b, None]
        y += [lab, lab, None]
        cd += [[round(a), round(b)], [round(a), round(b)], [None, None]]
    return x, y, cd


def rank_range_figure(
    table: pd.DataFrame, bands: pd.DataFrame | None, reach: pd.DataFrame | None, year: int
) -> go.Figure:
    """How solid is each rank: reachable range (thin), Monte Carlo 5–95% band (thick), nominal rank (dot).

    ``table``: one year of scores (iso3, country, rank). ``bands``: iso3-indexed rank_lo/rank_hi.
    ``reach``: iso3-indexed best/worst. Rank 1 = closest to Moscow, drawn at the top.
    """
    t = table.dropna(subset=["rank"]).sort_values("rank")
    fig = go.Figure()
    if reach is not None:
        r = reach.reindex(t["iso3"])
        x, y, cd = _segments(t["country"], r["best"], r["worst"])
        fig.add_trace(
            go.Scatter(
                x=x,
                y=y,
                mode="lines+markers",
                name="reachable range (any admissible weights)",
                line=dict(color="#9AA5B1", width=3),
                marker=dict(symbol="line-ns-open", size=14, color="#52606D", line_width=2),
                customdata=cd,
                hovertemplate="%{y}: reachable ranks #%{customdata[0]:.0f}–#%{customdata[1]:.0f}<extra></extra>",
            )
        )
    if bands is not None:
        b = bands.reindex(t["iso3"])
        x, y, cd = _segments(t["country"], b["rank_lo"] - 0.15, b["rank_hi"] + 0.15)
        fig.add_trace(
            go.Scatter(
                x=x,
                y=y,
                mode="lines",
                name="5–95% Monte Carlo rank interval",
                line=dict(color="#56B4E9", width=12),
                opacity=0.8,
                customdata=cd,
                hovertemplate="%{y}: 90% of draws rank #%{customdata[0]:.0f}–#%{customdata[1]:.0f}<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=t["rank"],
            y=t["country"],
            mode="markers",
            name="rank at your weights",
            marker=dict(color="#D55E00", size=11),
            hovertemplate="%{y}: rank #%{x:.0f}<extra></extra>",
        )
    )
    n = len(table)
    return _layout(
        fig,
        f"How solid is each rank? {year} (1 = closest to Moscow)",
        height=max(420, 32 * len(t) + 150),
        xaxis=dict(title="rank", range=[0.5, n + 0.5], dtick=1),
        yaxis=dict(autorange="reversed", automargin=True, title=None),
        legend=dict(orientation="h", y=-0.15, x=0),
    )


def profile_figure(history: pd.DataFrame, name: str) -> go.Figure:
    """One state's score (left axis, 0–100) and rank (right axis, 1 at the top) over the years."""
    h = history.sort_values("year")
    iso = h["iso3"].iloc[0]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=h["year"],
            y=h["score"],
            mode="lines+markers",
            name="score",
            line=dict(color=COUNTRY_COLOURS.get(iso, GREY), width=3),
            hovertemplate="%{x}: score %{y:.1f}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=h["year"],
            y=h["rank"],
            mode="lines+markers",
            name="rank (right axis)",
            yaxis="y2",
            line=dict(color=TEXT, width=1.5, dash="dot"),
            marker=dict(symbol="diamond", size=7),
            hovertemplate="%{x}: rank #%{y:.0f}<extra></extra>",
        )
    )
    years = sorted(h["year"].unique())
    return _layout(
        fig,
        f"{name}: score and rank by year",
        height=400,
        xaxis=dict(title="year", tickmode="array", tickvals=years),
        yaxis=dict(title="score (0–100)", range=[0, 100]),
        yaxis2=dict(title="rank (1 = closest to Moscow)", overlaying="y", side="right", range=[14.5, 0.5], dtick=1),
        legend=dict(orientation="h", y=-0.2, x=0),
    )


def pillar_profile_figure(table: pd.DataFrame, iso3: str, year: int) -> go.Figure:
    """One state's pillar sub-scores in ``year`` (bars) against the median and range of all the states."""
    pillars = [c.removeprefix("pillar_") for c in table.columns if c.startswith("pillar_")]
    row = table[table["iso3"] == iso3].iloc[0]
    labels = [p.replace("_", " ").capitalize() for p in pillars]
    cols = [f"pillar_{p}" for p in pillars]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=labels,
            y=[row[c] for c in cols],
            name=row["country"],
            marker_color=[PILLAR_COLOURS.get(p, GREY) for p in pillars],
            hovertemplate="%{x}: %{y:.1f}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=labels,
            y=[table[c].median() for c in cols],
            mode="markers",
            name=f"median of the {len(table)} states",
            marker=dict(symbol="line-ew-open", size=28, color=TEXT, line_width=2),
            customdata=[[table[c].min(), table[c].max()] for c in cols],
            hovertemplate="%{x}: median %{y:.1f} (range %{customdata[0]:.1f}–%{customdata[1]:.1f})<extra></extra>",
        )
    )
    return _layout(
        fig,
        f"{row['country']}'s pillars in {year} (100 = closest to Moscow)",
        height=400,
        yaxis=dict(title="pillar score (0–100)", range=[0, 100]),
        legend=dict(orientation="h", y=-0.2, x=0),
    )
