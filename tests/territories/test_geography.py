from enfance.territories.geography import _neighbours, neighbours


def test_paris_touches_the_three_departements_of_the_petite_couronne_only():
    assert set(neighbours("75")) == {"92", "93", "94"}
    assert next(iter(neighbours("75"))) == "92"  # the nearest centre first


def test_neighbours_are_mutual_with_the_same_distance():
    table = _neighbours()
    for code, others in table.items():
        for other, km in others.items():
            assert table[other][code] == km, (code, other)


def test_every_departement_of_the_mainland_and_corsica_has_neighbours_overseas_none():
    assert len(_neighbours()) == 96
    assert set(neighbours("2A")) == {"2B"}
    assert neighbours("974") == {}


def test_distances_are_plausible_for_touching_departements():
    assert all(5 <= km <= 200 for others in _neighbours().values() for km in others.values())
    assert set(neighbours("38")) == {"01", "05", "07", "26", "42", "69", "73"}
