from pathlib import Path

import pytest

from enfance.territories.services import import_territories

FIXTURES_DIR = Path(__file__).parent / "fixtures"


@pytest.fixture
def territories(db):
    """A small extract of the real files: a few communes of metropolitan France, Corsica,
    Guadeloupe and Mayotte, plus rows the import must skip (a collectivité d'outre-mer, an
    arrondissement municipal, a commune déléguée)."""
    return import_territories(source_dir=FIXTURES_DIR)
