"""The official indicators: the DREES national figures shipped in data/indicateurs, each with its
year and source, loaded by a data migration and again without doubling; a row without source or
year, or naming an unknown indicator or département, refused in French with its file and line;
the database refuses what the loader would; the open dataset."""

import shutil
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from enfance.core import opendata
from enfance.strategy import indicators
from enfance.strategy.models import IndicatorValue, OfficialIndicator
from tests.factories import DepartementFactory

pytestmark = pytest.mark.django_db

N119 = (
    "DREES, Les Dossiers de la DREES n° 119, « L'aide sociale à l'enfance – édition 2024 », "
    "23 juillet 2024"
)
HEADER = "indicateur;departement;annee;valeur;source;source_url\n"
TEST_SOURCE = "Fichier de test : chiffre inventé pour le test"


def _national(key, year):
    return IndicatorValue.objects.get(indicator__key=key, departement=None, year=year)


def _directory(tmp_path, *rows):
    """A copy of the indicators file and a file of values with ``rows``."""
    shutil.copy(indicators.DATA_DIR / indicators.INDICATORS_FILE, tmp_path)
    (tmp_path / "valeurs-test.csv").write_text(HEADER + "".join(rows), encoding="utf-8")
    return tmp_path


def test_the_database_holds_the_drees_national_figures_with_their_sources():
    assert list(OfficialIndicator.objects.values_list("key", flat=True)) == [
        "mesures-ase",
        "taux-ase",
        "part-accueil",
        "depenses-ase",
    ]
    latest = _national("mesures-ase", 2022)
    assert latest.value == 381_000 and latest.source == N119
    assert latest.source_url.endswith("240723_DD_aide-sociale_Enfance_2024")
    assert _national("taux-ase", 1998).value == Decimal("16.6")
    assert _national("taux-ase", 2018).value == 21
    assert _national("depenses-ase", 2021).value == Decimal("9.1")
    assert not IndicatorValue.objects.filter(departement__isnull=False).exists()
    assert OfficialIndicator.objects.get(key="part-accueil").measures.filter(number="2.7").exists()
    # Loaded again: updated in place, nothing twice.
    assert indicators.load() == {"indicators": 4, "values": 12}
    assert IndicatorValue.objects.count() == 12


def test_figures_are_written_as_french_writes_them():
    assert indicators.shown(Decimal("381000.00")).replace("\xa0", " ") == "381 000"
    assert indicators.shown(Decimal("22.90")) == "22,9"
    assert indicators.shown(Decimal("55")) == "55"
    # French writes 0 and 1 in the singular.
    assert indicators.with_unit(0, "places") == "0 place"
    assert indicators.with_unit(1, "instances") == "1 instance"
    assert indicators.with_unit(Decimal("22.9"), "‰") == "22,9 ‰"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("taux-ase;;2023;23;;\n", "valeurs-test.csv, ligne 3 : la source manque"),
        ("taux-ase;;;23;" + TEST_SOURCE + ";\n", "valeurs-test.csv, ligne 3 : l'année manque"),
        (
            "taux-ase;;1900;23;" + TEST_SOURCE + ";\n",
            "valeurs-test.csv, ligne 3 : l'année « 1900 » doit être comprise entre 1984",
        ),
        (
            "enfants-heureux;;2022;23;" + TEST_SOURCE + ";\n",
            "valeurs-test.csv, ligne 3 : l'indicateur « enfants-heureux » est inconnu",
        ),
        (
            "taux-ase;99;2022;23;" + TEST_SOURCE + ";\n",
            "valeurs-test.csv, ligne 3 : le département « 99 » est inconnu",
        ),
        (
            "taux-ase;;2022;beaucoup;" + TEST_SOURCE + ";\n",
            "valeurs-test.csv, ligne 3 : la valeur « beaucoup » n'est pas un nombre",
        ),
    ],
)
def test_a_row_without_what_makes_it_a_figure_is_refused(tmp_path, row, message):
    good = "taux-ase;69;2021;19.5;" + TEST_SOURCE + ";\n"
    DepartementFactory()
    directory = _directory(tmp_path, good, row)
    with pytest.raises(indicators.IndicatorFileError, match=message):
        indicators.load(directory=directory)
    # Nothing of the file went in, not even its good row.
    assert not IndicatorValue.objects.filter(departement__isnull=False).exists()


def test_a_departement_file_adds_its_figures_and_is_idempotent(tmp_path):
    rhone = DepartementFactory()
    directory = _directory(
        tmp_path,
        "taux-ase;69;2021;19.5;" + TEST_SOURCE + ";\n",
        "taux-ase;69;2022;20,1;" + TEST_SOURCE + ";https://example.org/test\n",
    )
    assert indicators.load(directory=directory) == {"indicators": 4, "values": 2}
    assert indicators.load(directory=directory)["values"] == 2
    own = IndicatorValue.objects.filter(departement=rhone).order_by("year")
    assert [(v.year, v.value) for v in own] == [(2021, Decimal("19.5")), (2022, Decimal("20.1"))]
    rows = {row["indicator"].key: row for row in indicators.for_departement(rhone)}
    assert rows["taux-ase"]["latest"].where == "Rhône" and not rows["taux-ase"]["latest"].national
    assert rows["taux-ase"]["latest"].text == "20,1 ‰"
    assert rows["mesures-ase"]["latest"].where == "France entière"
    assert rows["mesures-ase"]["latest"].national and rows["mesures-ase"]["latest"].year == 2022


def test_the_database_refuses_a_figure_without_source_twice_or_out_of_bounds():
    indicator = OfficialIndicator.objects.get(key="taux-ase")
    for fields in ({"year": 2030, "source": ""}, {"year": 2022}, {"year": 1950}):
        with pytest.raises(IntegrityError), transaction.atomic():
            IndicatorValue.objects.create(
                indicator=indicator, value=1, **({"source": TEST_SOURCE} | fields)
            )
    rhone = DepartementFactory()
    IndicatorValue.objects.create(
        indicator=indicator, departement=rhone, year=2022, value=1, source=TEST_SOURCE
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorValue.objects.create(
            indicator=indicator, departement=rhone, year=2022, value=2, source=TEST_SOURCE
        )


def test_the_open_dataset_gives_every_figure_with_its_source():
    dataset = opendata.get("indicateurs-officiels")
    assert dataset.date_field == ""
    rows = list(dataset.rows())
    assert len(rows) == 12 and set(rows[0]) == set(dataset.names)
    latest = next(r for r in rows if r["indicateur"] == "taux-ase" and r["annee"] == 2022)
    assert latest["departement"] == "" and latest["valeur"] == Decimal("22.9")
    assert latest["unite"] == "‰" and latest["source"] == N119
