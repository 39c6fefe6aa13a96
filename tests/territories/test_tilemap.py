import itertools

from enfance.territories.tilemap import COLOUR_SCALE, colour_levels, tile_grid, tile_map


def test_the_tile_grid_places_every_departement_once():
    grid = tile_grid()
    assert len(grid) == 101
    assert len(set(grid.values())) == 101
    assert {"2A", "2B", "974", "976", "75", "13"} <= set(grid)


def test_the_levels_cut_the_counts_in_four_after_zero():
    assert [(lv["low"], lv["high"]) for lv in colour_levels(8)] == [
        (0, 0),
        (1, 2),
        (3, 4),
        (5, 6),
        (7, 8),
    ]
    assert [(lv["low"], lv["high"]) for lv in colour_levels(0)] == [(0, 0), (1, 1)]


def test_each_tile_carries_its_count_its_colour_and_what_the_page_adds():
    drawn = tile_map([("69", 8, {"name": "Rhône"}), ("75", 0, {}), ("XX", 3, {})])
    rhone, paris = drawn.tiles
    assert rhone["name"] == "Rhône" and rhone["count"] == 8
    assert rhone["fill"] == COLOUR_SCALE[-1][0] and rhone["text"] == "#ffffff"
    assert paris["fill"] == "#f6f6f6"
    row, col = tile_grid()["69"]
    assert (rhone["x"], rhone["y"]) == (col * 44, row * 44)


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(first: str, second: str) -> float:
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_every_level_is_told_apart_and_its_code_is_readable():
    # WCAG's contrast ratio: a tile's code is small text (4.5:1); a level and the next one are
    # compared side by side on the map and in its legend.
    for fill, text in COLOUR_SCALE:
        assert _contrast(fill, text) >= 4.5, fill
    for (lighter, _), (darker, _) in itertools.pairwise(COLOUR_SCALE):
        assert _contrast(lighter, darker) >= 1.4, (lighter, darker)
    # The tiles' outline against the page.
    assert _contrast("#3a3a3a", "#ffffff") >= 3
