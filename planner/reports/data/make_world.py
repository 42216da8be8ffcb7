"""Regenerate world-110m.json, the country shapes the brief's maps are drawn on.

Input: ``countries-110m.json`` of the npm package world-atlas 2.0.2 (Natural Earth 1:110m Admin 0
countries, v4.1.0, as TopoJSON; ISC licence, the data public domain):

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python planner/reports/data/make_world.py package/countries-110m.json   # needs pycountry

Output, beside this script: every country but Antarctica as one SVG path, keyed by ISO 3166-1
alpha-3, already projected (Equal Earth, centred on 150°E so that Korea's suppliers in the Americas,
Africa and Australia all lie around it), scaled to 1,000 units wide, simplified to a tenth of a unit
and written with relative integer moves; and a label point inside each country for the routes.
The planner reads it at run time; nothing is fetched.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

CENTRE_LON = 150.0
WIDTH = 1000.0
TOLERANCE = 0.6  # units of the 1,000-wide map: Douglas-Peucker tolerance
ANTARCTICA = "010"
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    """Šavrič, Patterson and Jenny (2018): x, y on the unit sphere, y up."""
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs, indices) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for i in indices:
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        out.extend(pts if not out else pts[1:])
    return out


def unwrap(points):
    """Longitudes relative to the centre, continuous along the ring (a ring across the seam runs past ±180)."""
    out, prev = [], None
    for lon, lat in points:
        rel = (lon - CENTRE_LON + 180.0) % 360.0 - 180.0
        if prev is not None:
            rel = prev + ((rel - prev + 180.0) % 360.0 - 180.0)
        out.append((rel, lat))
        prev = rel
    return out


def clip(points, keep, cross):
    """Sutherland-Hodgman against one half-plane: keep(p) says inside, cross(a, b) gives the edge point."""
    out = []
    for i, b in enumerate(points):
        a = points[i - 1]
        if keep(b):
            if not keep(a):
                out.append(cross(a, b))
            out.append(b)
        elif keep(a):
            out.append(cross(a, b))
    return out


def at_lon(x):
    def cross(a, b):
        t = (x - a[0]) / (b[0] - a[0])
        return x, a[1] + t * (b[1] - a[1])
    return cross


def pieces(points):
    """The ring cut at the map's seam into pieces inside [-180, 180] of relative longitude."""
    base = unwrap(points)
    out = []
    for shift in (-360.0, 0.0, 360.0):
        p = [(x + shift, y) for x, y in base]
        p = clip(p, lambda q: q[0] <= 180.0, at_lon(180.0))
        p = clip(p, lambda q: q[0] >= -180.0, at_lon(-180.0))
        if len(p) >= 3:
            out.append(p)
    return out


def simplify(points, tol):
    """Douglas-Peucker on a closed ring (its first point kept)."""
    if len(points) < 4:
        return points

    def dp(pts):
        a, b = pts[0], pts[-1]
        dx, dy = b[0] - a[0], b[1] - a[1]
        norm = math.hypot(dx, dy)
        best, index = -1.0, 0
        for i in range(1, len(pts) - 1):
            px, py = pts[i]
            dist = (abs(dy * px - dx * py + b[0] * a[1] - b[1] * a[0]) / norm if norm
                    else math.hypot(px - a[0], py - a[1]))
            if dist > best:
                best, index = dist, i
        if best <= tol:
            return [a, b]
        return dp(pts[: index + 1])[:-1] + dp(pts[index:])

    far = max(range(len(points)), key=lambda i: math.dist(points[0], points[i]))
    return dp(points[: far + 1])[:-1] + dp(points[far:] + [points[0]])[:-1]


def area(points) -> float:
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(points, points[1:] + points[:1])) / 2


def label_point(points):
    """The area centroid if it lies inside, else the middle of the widest inside run at its height."""
    a = area(points)
    cx = sum((p[0] + q[0]) * (p[0] * q[1] - q[0] * p[1]) for p, q in zip(points, points[1:] + points[:1])) / (6 * a)
    cy = sum((p[1] + q[1]) * (p[0] * q[1] - q[0] * p[1]) for p, q in zip(points, points[1:] + points[:1])) / (6 * a)
    xs = sorted(p[0] + (cy - p[1]) * (q[0] - p[0]) / (q[1] - p[1])
                for p, q in zip(points, points[1:] + points[:1]) if (p[1] > cy) != (q[1] > cy))
    runs = list(zip(xs[::2], xs[1::2]))
    if any(lo <= cx <= hi for lo, hi in runs) or not runs:
        return cx, cy
    lo, hi = max(runs, key=lambda r: r[1] - r[0])
    return (lo + hi) / 2, cy


def path(rings) -> str:
    parts = []
    for r in rings:
        pts = [(round(x), round(y)) for x, y in r]
        pts = [p for i, p in enumerate(pts) if i == 0 or p != pts[i - 1]]
        if len(pts) < 3:
            continue
        moves = [f"M{pts[0][0]} {pts[0][1]}"] + [f"{b[0] - a[0]} {b[1] - a[1]}" for a, b in zip(pts, pts[1:])]
        parts.append(moves[0] + ("l" + " ".join(moves[1:]) if len(moves) > 1 else "") + "z")
    return "".join(parts).replace(" -", "-")


def main(source: str) -> None:
    import pycountry

    topo = json.loads(Path(source).read_text(encoding="utf-8"))
    arcs = decode_arcs(topo)
    x_max = equal_earth(180.0, 0.0)[0]
    scale = WIDTH / (2 * x_max)
    shapes: dict[str, list[list[tuple[float, float]]]] = {}
    for g in topo["objects"]["countries"]["geometries"]:
        if g.get("id") == ANTARCTICA or g["type"] not in ("Polygon", "MultiPolygon"):
            continue
        country = pycountry.countries.get(numeric=g["id"]) if g.get("id") else None
        key = country.alpha_3 if country else "_" + g["properties"]["name"]
        polygons = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        for polygon in polygons:
            for r in polygon:
                for piece in pieces(ring(arcs, r)):
                    xy = [equal_earth(lon, lat) for lon, lat in piece]
                    shapes.setdefault(key, []).append([(WIDTH / 2 + x * scale, -y * scale) for x, y in xy])
    top = min(y for rs in shapes.values() for r in rs for _, y in r)
    bottom = max(y for rs in shapes.values() for r in rs for _, y in r)
    out = {"source": "Natural Earth 1:110m Admin 0 countries v4.1.0 (public domain), via the npm package "
                     "world-atlas 2.0.2 (ISC licence, Copyright 2013-2019 Michael Bostock)",
           "projection": f"Equal Earth centred on {CENTRE_LON:g}E, {WIDTH:g} units wide, Antarctica left out",
           "width": WIDTH, "height": math.ceil(bottom - top) + 2, "countries": {}}
    for key in sorted(shapes):
        rings = [[(x, y - top + 1) for x, y in r] for r in shapes[key]]
        rings = [simplify(r, TOLERANCE) for r in rings]
        rings = [r for r in rings if len(r) >= 3 and abs(area(r)) > 0.05]
        if not rings:
            continue
        largest = max(rings, key=lambda r: abs(area(r)))
        x, y = label_point(largest)
        out["countries"][key] = {"d": path(rings), "at": [round(x, 1), round(y, 1)]}
    target = Path(__file__).with_name("world-110m.json")
    target.write_text(json.dumps(out, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {target}: {len(out['countries'])} countries, {target.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
