"""The map of France by département as a grid of equal tiles (a "tile map"): each département
one square, placed by hand in ``tile_grid.csv`` so that neighbours stay neighbours and the
outre-mer are on the page. Any module colours it with its own counts; the page draws the SVG
and, beside it, the table of the same figures (a chart always has its data table)."""

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TILE_GRID_FILE = Path(__file__).parent / "tile_grid.csv"
# A tile's step on the grid, in SVG units; the square itself leaves a gap of GAP.
TILE = 44
GAP = 4
# Grey for none, then blues from light to dark (DSFR's blue-france 850 and 625 among them), with
# the text colour readable on each (4.5:1 at least) and each level told apart from the next one
# (1.4:1 at least): tests/territories/test_tilemap.py checks both.
COLOUR_SCALE = [
    ("#f6f6f6", "#161616"),
    ("#cacafb", "#161616"),
    ("#8585f6", "#161616"),
    ("#4b4bd6", "#ffffff"),
    ("#00006d", "#ffffff"),
]


@dataclass(frozen=True)
class TileMap:
    tiles: list[dict]
    # The legend: each level's bounds and colours.
    levels: list[dict]
    width: int
    height: int
    tile_size: int = TILE - GAP
    # Where the drawing starts: a cropped map shows only the part of the grid its tiles cover.
    min_x: int = 0
    min_y: int = 0

    @property
    def view_box(self) -> str:
        return f"{self.min_x} {self.min_y} {self.width} {self.height}"


@cache
def tile_grid() -> dict[str, tuple[int, int]]:
    """Département code -> (row, column) on the grid."""
    with TILE_GRID_FILE.open(encoding="utf-8") as handle:
        return {row["code"]: (int(row["row"]), int(row["col"])) for row in csv.DictReader(handle)}


def colour_levels(maximum: int) -> list[dict]:
    """0, then 1 to the maximum cut into four bins: the legend and the colour of each tile."""
    levels = [{"low": 0, "high": 0, "fill": COLOUR_SCALE[0][0], "text": COLOUR_SCALE[0][1]}]
    step = max(-(-maximum // 4), 1)
    for n, (fill, text) in enumerate(COLOUR_SCALE[1:]):
        low = 1 + n * step
        if low > max(maximum, 1):
            break
        levels.append(
            {"low": low, "high": min(low + step - 1, max(maximum, 1)), "fill": fill, "text": text}
        )
    return levels


def tile_map(entries: Iterable[tuple[str, int, dict]], *, crop: bool = False) -> TileMap:
    """The tiles of ``entries`` (département code, count, what the page adds to the tile);
    a code the grid does not place is left out. ``crop`` draws only the part of the grid the
    tiles cover (a few neighbouring départements), rather than the whole of France."""
    entries = list(entries)
    grid = tile_grid()
    levels = colour_levels(max((count for _, count, _ in entries), default=0))
    tiles = []
    for code, count, extra in entries:
        if code not in grid:
            continue
        row, col = grid[code]
        level = next(lv for lv in reversed(levels) if count >= lv["low"])
        tiles.append(
            {
                "count": count,
                "x": col * TILE,
                "y": row * TILE,
                "cx": col * TILE + (TILE - GAP) // 2,
                "cy": row * TILE + (TILE - GAP) // 2 + GAP,
                "fill": level["fill"],
                "text": level["text"],
                **extra,
            }
        )
    if crop and tiles:
        min_x, min_y = min(t["x"] for t in tiles), min(t["y"] for t in tiles)
        return TileMap(
            tiles=tiles,
            levels=levels,
            width=max(t["x"] for t in tiles) + TILE - min_x,
            height=max(t["y"] for t in tiles) + TILE - min_y,
            min_x=min_x,
            min_y=min_y,
        )
    rows = max((r for r, _ in grid.values()), default=0) + 1
    cols = max((c for _, c in grid.values()), default=0) + 1
    return TileMap(tiles=tiles, levels=levels, width=cols * TILE, height=rows * TILE)
