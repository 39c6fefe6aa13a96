from enfance.territories.tilemap import colour_levels, tile_grid, tile_map


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
    assert rhone["fill"] == "#000091" and rhone["text"] == "#ffffff"
    assert paris["fill"] == "#f6f6f6"
    row, col = tile_grid()["69"]
    assert (rhone["x"], rhone["y"]) == (col * 44, row * 44)
