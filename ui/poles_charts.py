"""Figures of the poles lens ("Between the poles"): pure functions of the pulls table, no Streamlit.

The triangle puts Moscow at the top (plotly ternary axis ``a``), the West bottom left (``b``) and
Beijing bottom right (``c``). A state's point is its position (``scoring.pulls.positions``); its
trail joins its positions over the years. A pole without data for a state is drawn at 0 (the
point sits on the opposite edge) and the hover says so.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from indicators.countries import PANEL_COUNTRIES
from scoring.pulls import positions

#: Ternary axis of each corner pole.
AXES: dict[str, str] = {"moscow": "a", "west": "b", "beijing": "c"}
HIGHLIGHT = "#c0392b"
OTHER = "#5d6d7e"
TRAIL = "rgba(93,109,126,0.35)"
FONT = dict(family="sans-serif", size=12)


def position_table(pulls: pd.DataFrame, weights: dict[str, float], corners=tuple(AXES)) -> pd.DataFrame:
    """Wide positions: iso3, year, one column per corner (NaN where the pole has no data), used, dropped,
    missing_poles."""
    pos = positions(pulls, weights, corners)
    if pos.empty:
        return pd.DataFrame(columns=["iso3", "year", *corners, "used", "dropped", "missing_poles"])
    wide = pos.pivot(index=["iso3", "year"], columns="pole", values="value").reindex(columns=list(corners))
    info = pos.drop_duplicates(["iso3", "year"]).set_index(["iso3", "year"])[["used", "dropped", "missing_poles"]]
    return wide.join(info).reset_index()


def _pole_name(poles: dict, pid: str) -> str:
    p = poles.get(pid)
    return p.name if p is not None else pid


def missing_note(row: pd.Series, poles: dict) -> str:
    """'' or e.g. 'no data for Beijing: drawn on the Moscow–the West edge'."""
    miss = [m for m in str(row.get("missing_poles", "") or "").split(";") if m]
    if not miss:
        return ""
    rest = [k for k in AXES if k not in miss]
    names = ", ".join(_pole_name(poles, m) for m in miss)
    where = "–".join(_pole_name(poles, k) for k in rest)
    return f"no data for {names}: drawn on the {where} edge" if len(rest) == 2 else f"no data for {names}"


def hover_text(row: pd.Series, pulls: pd.DataFrame, poles: dict, measures: dict) -> str:
    """Hover of one state-year: position, then every measure's value per pole, then what is left out."""
    iso3, year = row["iso3"], int(row["year"])
    lines = [f"<b>{PANEL_COUNTRIES.get(iso3, iso3)} {year}</b>"]
    lines.append(
        "position: " + " · ".join(f"{_pole_name(poles, k)} {row[k]:.2f}" for k in AXES if k in row and pd.notna(row[k]))
    )
    p = pulls[(pulls["iso3"] == iso3) & (pulls["year"] == year)]
    for mid, m in measures.items():
        g = p[p["measure"] == mid].set_index("pole")
        if g.empty:
            lines.append(f"{m.name}: no data")
            continue
        vals = []
        for pid in poles:
            if pid in g.index:
                mark = "" if g.loc[pid, "status"] == "observed" else "ᵉ"
                vals.append(f"{_pole_name(poles, pid)} {g.loc[pid, 'value']:.1f}{mark}")
        lines.append(f"{m.name} ({m.unit}): " + " · ".join(vals))
    dropped = [d for d in str(row.get("dropped", "") or "").split(";") if d]
    if dropped:
        lines.append("left out (a pole lacks data): " + ", ".join(measures[d].name for d in dropped if d in measures))
    note = missing_note(row, poles)
    if note:
        lines.append(f"<i>{note}</i>")
    return "<br>".join(lines)


#: Label placement in the triangle: the side length (px) it is laid out for, the smallest the page draws (a 390 px
#: phone); a larger triangle keeps the anchors and shrinks the boxes relative to it, so nothing starts to overlap.
LABEL_SIDE_PX = 240.0
LABEL_FONT = 11
#: The halo behind the names (CSS text-shadow), so a trail or a marker under a name never hides it.
HALO = "0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff"
SQ3 = math.sqrt(3) / 2


def _xy(a: float, b: float, c: float) -> tuple[float, float]:
    """Ternary (Moscow a top, the West b bottom left, Beijing c bottom right) -> plane, side 1."""
    t = a + b + c or 1.0
    a, c = a / t, c / t
    return c + a / 2, a * SQ3


def _abc(x: float, y: float) -> tuple[float, float, float]:
    a = y / SQ3
    c = x - a / 2
    return a, 1 - a - c, c


def _inside(x: float, y: float, margin: float) -> bool:
    a, b, c = _abc(x, y)
    return min(a, b, c) >= margin


def _box(x: float, y: float, text: str) -> tuple[float, float, float, float]:
    w = (len(text) * 0.62 * LABEL_FONT + 6) / LABEL_SIDE_PX
    h = (LABEL_FONT + 5) / LABEL_SIDE_PX
    return x - w / 2, y - h / 2, x + w / 2, y + h / 2


def _hits(b1, b2) -> bool:
    return b1[0] < b2[2] and b2[0] < b1[2] and b1[1] < b2[3] and b2[1] < b1[3]


def place_labels(points: dict[str, tuple[float, float]], texts: dict[str, str]) -> dict[str, tuple[float, float]]:
    """Label anchors (plane coordinates, side 1) for points: each label's box is centred on its anchor, inside the
    triangle, clear of every other label and of every marker; crowded points are placed first, each at the
    nearest free spot on rings around it (a leader line joins it to its point)."""
    marker = 7 / LABEL_SIDE_PX
    markers = [(x - marker, y - marker, x + marker, y + marker) for x, y in points.values()]

    def crowd(k):
        x, y = points[k]
        return -sum(math.hypot(x - u, y - v) < 0.12 for u, v in points.values())

    placed: dict[str, tuple[float, float]] = {}
    boxes = []
    for k in sorted(points, key=lambda k: (crowd(k), k)):
        x, y = points[k]
        best = None
        for r in (0.045, 0.07, 0.095, 0.12, 0.15, 0.18, 0.22, 0.27, 0.33):
            for step in range(24):
                ang = math.pi / 2 + step * math.pi / 12  # from straight up, around
                cx, cy = x + r * math.cos(ang), y + r * math.sin(ang)
                b = _box(cx, cy, texts[k])
                if not (_inside(b[0], b[1], 0.0) and _inside(b[2], b[1], 0.0) and _inside((b[0] + b[2]) / 2, b[3], 0)):
                    continue
                if any(_hits(b, o) for o in boxes) or any(_hits(b, m) for m in markers):
                    continue
                best = (cx, cy)
                break
            if best:
                break
        if best is None:  # nowhere free: on the point itself (the test of the page would then fail, loudly)
            best = (x, y)
        placed[k] = best
        boxes.append(_box(*best, texts[k]))
    return placed


def _leader(p: tuple[float, float], anchor: tuple[float, float], text: str) -> tuple[float, float] | None:
    """Where the leader line from the point meets the label's box (None when the box touches the point)."""
    x0, y0 = p
    x1, y1 = anchor
    b = _box(x1, y1, text)
    dx, dy = x0 - x1, y0 - y1
    if math.hypot(dx, dy) < 1e-9:
        return None
    ts = []
    if dx:
        ts.append(((b[2] if dx > 0 else b[0]) - x1) / dx)
    if dy:
        ts.append(((b[3] if dy > 0 else b[1]) - y1) / dy)
    t = min(t for t in ts if t >= 0)
    if t >= 1:
        return None
    return x1 + t * dx, y1 + t * dy


def _coords(df: pd.DataFrame) -> dict[str, list[float]]:
    return {AXES[k]: df[k].fillna(0.0).round(4).tolist() for k in AXES}


def _ternary_layout(poles: dict, size: int = 13) -> dict:
    def axis(pid):
        return dict(
            title=dict(text=_pole_name(poles, pid), font=dict(size=size)),
            min=0,
            tickformat=".0%",
            ticks="outside",
            gridcolor="#e5e8e8",
            linecolor="#7f8c8d",
        )

    return dict(sum=1, aaxis=axis("moscow"), baxis=axis("west"), caxis=axis("beijing"), bgcolor="white")


def triangle_figure(
    pos: pd.DataFrame,
    pulls: pd.DataFrame,
    year: int,
    poles: dict,
    measures: dict,
    highlight: tuple[str, ...] = (),
) -> go.Figure:
    """The triangle: every state's position in ``year`` (one marker trace) and its path over the years.

    ``pos`` is :func:`position_table` over all years. States without a position in ``year`` are not
    drawn (the caption of the view lists them). Highlighted states (Compare's selection) are red, labelled
    in bold and their trails drawn in colour.
    """
    fig = go.Figure()
    for iso3, g in pos.sort_values("year").groupby("iso3", sort=True):
        g = g[g["year"] <= year]
        if len(g) < 2:
            continue
        hl = iso3 in highlight
        fig.add_trace(
            go.Scatterternary(
                mode="lines",
                **_coords(g),
                name=f"{PANEL_COUNTRIES.get(iso3, iso3)} {int(g['year'].min())}–{int(g['year'].max())}",
                line=dict(color=HIGHLIGHT if hl else TRAIL, width=2.5 if hl else 1.2),
                hoverinfo="skip",
                showlegend=False,
                legendgroup="trails",
            )
        )
    now = pos[pos["year"] == year].sort_values("iso3")
    hl = now["iso3"].isin(list(highlight))
    c = _coords(now)
    points = {i: _xy(a, b, cc) for i, a, b, cc in zip(now["iso3"], c["a"], c["b"], c["c"], strict=True)}
    texts = {i: i for i in points}
    anchors = place_labels(points, texts)
    la, lb, lc = [], [], []
    for i, p in points.items():
        end = _leader(p, anchors[i], texts[i])
        if end is not None:
            for q in (p, end):
                a, b, cc = _abc(*q)
                la.append(a), lb.append(b), lc.append(cc)
            la.append(None), lb.append(None), lc.append(None)
    if la:
        fig.add_trace(
            go.Scatterternary(
                mode="lines",
                a=la,
                b=lb,
                c=lc,
                line=dict(color="#7f8c8d", width=0.8),
                hoverinfo="skip",
                showlegend=False,
                name="leader lines",
            )
        )
    abc = [_abc(*anchors[i]) for i in points]
    fig.add_trace(
        go.Scatterternary(
            mode="text",
            a=[round(t[0], 4) for t in abc],
            b=[round(t[1], 4) for t in abc],
            c=[round(t[2], 4) for t in abc],
            text=[f"<b>{i}</b>" if h else i for i, h in zip(now["iso3"], hl, strict=True)],
            textposition="middle center",
            textfont=dict(size=LABEL_FONT, color=[HIGHLIGHT if h else OTHER for h in hl], shadow=HALO),
            hoverinfo="skip",
            showlegend=False,
            name="names",
        )
    )
    fig.add_trace(
        go.Scatterternary(
            mode="markers",
            **c,
            name=f"positions in {year}",
            text=list(now["iso3"]),
            marker=dict(
                size=[14 if h else 9 for h in hl],
                color=[HIGHLIGHT if h else OTHER for h in hl],
                symbol=["circle" if not n else "circle-open" for n in now["missing_poles"].astype(bool)],
                line=dict(width=1.5, color="white"),
            ),
            hovertext=[hover_text(r, pulls, poles, measures) for _, r in now.iterrows()],
            hoverinfo="text",
            customdata=now["iso3"].tolist(),
            showlegend=False,
        )
    )
    fig.update_layout(
        ternary=_ternary_layout(poles),
        title=dict(text=f"Between the poles, {year}: position and path since {int(pos['year'].min())}", x=0.0),
        height=560,
        margin=dict(l=60, r=60, t=70, b=40),
        font=FONT,
        hoverlabel=dict(align="left"),
    )
    return fig


def measure_shares(pulls: pd.DataFrame, year: int, measure: str, corners=tuple(AXES)) -> pd.DataFrame:
    """One measure's shares of the pull between the corners in ``year``: iso3 and one column per corner.

    Only states with a value for every corner and a positive sum (the rule of the position)."""
    p = pulls[(pulls["year"] == year) & (pulls["measure"] == measure) & pulls["pole"].isin(corners)]
    w = p.pivot(index="iso3", columns="pole", values="value").reindex(columns=list(corners)).dropna()
    w = w[w.sum(axis=1) > 0]
    return w.div(w.sum(axis=1), axis=0).reset_index()


def measures_figure(
    pulls: pd.DataFrame, year: int, poles: dict, measures: dict, highlight: tuple[str, ...] = ()
) -> go.Figure:
    """Small multiples: one small triangle per measure with each state's shares of that measure in ``year``."""
    ids = list(measures)
    n = len(ids)
    cols = 2
    rows = (n + cols - 1) // cols
    fig = go.Figure()
    layout = {}
    gap = 0.12
    for i, mid in enumerate(ids):
        r, c = divmod(i, cols)
        key = "ternary" if i == 0 else f"ternary{i + 1}"
        x0 = c / cols + gap / 2
        x1 = (c + 1) / cols - gap / 2
        y1 = 1 - r / rows - gap
        y0 = 1 - (r + 1) / rows + gap / 2
        t = _ternary_layout(poles, size=10) | dict(domain=dict(x=[x0, x1], y=[y0, y1]))
        for ax in ("aaxis", "baxis", "caxis"):
            t[ax] = t[ax] | dict(showticklabels=False, ticks="")
        layout[key] = t
        s = measure_shares(pulls, year, mid)
        hl = s["iso3"].isin(list(highlight))
        fig.add_trace(
            go.Scatterternary(
                subplot=key,
                mode="markers",
                **_coords(s),
                marker=dict(size=[10 if h else 6 for h in hl], color=[HIGHLIGHT if h else OTHER for h in hl]),
                hovertext=[
                    f"{PANEL_COUNTRIES.get(r.iso3, r.iso3)}: "
                    + " · ".join(f"{_pole_name(poles, k)} {getattr(r, k):.2f}" for k in AXES)
                    for r in s.itertuples()
                ],
                hoverinfo="text",
                name=measures[mid].name,
                showlegend=False,
            )
        )
        missing = len(PANEL_COUNTRIES) - len(s)
        label = f"<b>{measures[mid].name}</b><br>{len(s)} states" + (f", {missing} without data" if missing else "")
        fig.add_annotation(
            text=label,
            x=(x0 + x1) / 2,
            y=y1 + gap * 0.9,
            xref="paper",
            yref="paper",
            xanchor="center",
            showarrow=False,
            font=dict(family="sans-serif", size=11),
        )
    fig.update_layout(
        **layout,
        height=300 * rows + 40,
        margin=dict(l=30, r=30, t=60, b=20),
        font=FONT,
        title=dict(text=f"Each measure's shares, {year}", x=0.0),
    )
    return fig
