import json
import shutil
from io import StringIO

import pytest
from django.core.management import call_command

from enfance.territories.models import Commune, Departement, Region
from enfance.territories.services import DEFAULT_SOURCE_DIR, import_territories

from .conftest import FIXTURES_DIR

FIXTURE_COMMUNE_CODES = {
    "05016", "05135", "13055", "2A004", "2B033", "38384", "42043", "42218",
    "69123", "69189", "69266", "97101", "97120", "97611",
}  # fmt: skip


def _counts():
    return Region.objects.count(), Departement.objects.count(), Commune.objects.count()


@pytest.mark.django_db
def test_import_keeps_current_communes_of_france_and_the_drom(territories):
    assert _counts() == (5, 9, len(FIXTURE_COMMUNE_CODES))
    assert set(Commune.objects.values_list("code", flat=True)) == FIXTURE_COMMUNE_CODES
    assert territories.communes.created == len(FIXTURE_COMMUNE_CODES)
    # Corsica and the DROM are there; Saint-Pierre-et-Miquelon (a COM) is not.
    assert set(Departement.objects.values_list("code", flat=True)) >= {"2A", "2B", "971", "976"}
    assert not Region.objects.filter(code="975").exists()
    assert not Departement.objects.filter(code="975").exists()


@pytest.mark.django_db
def test_import_fills_search_fields(territories):
    lyon = Commune.objects.select_related("departement__region").get(code="69123")
    assert lyon.departement.code == "69"
    assert lyon.departement.region.name == "Auvergne-Rhône-Alpes"
    assert lyon.postal_codes.split()[:3] == ["69001", "69002", "69003"]
    assert lyon.population == 519127
    assert Commune.objects.get(code="42218").search_name == "saint etienne"
    assert Commune.objects.get(code="42043").search_name == "chamboeuf"
    assert Commune.objects.get(code="2A004").departement.name == "Corse-du-Sud"


@pytest.mark.django_db
def test_import_twice_changes_nothing(territories):
    before = list(Commune.objects.order_by("code").values())
    report = import_territories(source_dir=FIXTURES_DIR)
    assert _counts() == (5, 9, len(FIXTURE_COMMUNE_CODES))
    assert list(Commune.objects.order_by("code").values()) == before
    for counts in (report.regions, report.departements, report.communes):
        assert counts.created == counts.updated == 0
    assert report.communes.unchanged == len(FIXTURE_COMMUNE_CODES)


@pytest.mark.django_db
def test_import_updates_changed_rows_and_keeps_removed_ones(territories, tmp_path):
    shutil.copytree(FIXTURES_DIR, tmp_path, dirs_exist_ok=True)
    communes = json.loads((tmp_path / "communes.json").read_text())
    for row in communes:
        if row["code"] == "69266":
            row["nom"] = "Villeurbanne-la-Neuve"
            row["population"] = 170000
    communes = [row for row in communes if row["code"] != "05016"]
    (tmp_path / "communes.json").write_text(json.dumps(communes, ensure_ascii=False))
    lyon_pk = Commune.objects.get(code="69123").pk

    report = import_territories(source_dir=tmp_path)

    assert report.communes.updated == 1
    assert report.communes.created == 0
    assert report.missing_commune_codes == ["05016"]
    villeurbanne = Commune.objects.get(code="69266")
    assert villeurbanne.name == "Villeurbanne-la-Neuve"
    assert villeurbanne.search_name == "villeurbanne la neuve"
    assert villeurbanne.population == 170000
    assert Commune.objects.get(code="69123").pk == lyon_pk
    assert Commune.objects.filter(code="05016").exists()
    assert any("05016" in line for line in report.lines())


@pytest.mark.django_db
def test_command_prints_a_french_summary():
    out = StringIO()
    call_command("import_territories", source=FIXTURES_DIR, stdout=out)
    output = out.getvalue()
    assert "Régions : 5 au total, dont 5 créées, 0 mises à jour et 0 inchangées." in output
    assert "Départements : 9 au total, dont 9 créés, 0 mis à jour et 0 inchangés." in output
    assert f"Communes : {len(FIXTURE_COMMUNE_CODES)} au total" in output
    assert "Import terminé" in output


@pytest.mark.django_db
def test_import_of_the_vendored_data():
    report = import_territories(source_dir=DEFAULT_SOURCE_DIR)

    regions, departements, communes = _counts()
    assert regions == 18
    assert departements == 101
    assert communes > 34_000
    assert report.communes.created == communes
    assert Commune.objects.get(code="69123").name == "Lyon"
    assert Commune.objects.filter(departement__code="976").count() == 17
    assert Commune.objects.filter(departement__code__in=["2A", "2B"]).count() > 300
    assert not Commune.objects.filter(name__contains="Arrondissement").exists()


def test_an_import_refreshes_the_cached_commune_lists(
    territories, tmp_path, client, django_capture_on_commit_callbacks
):
    assert "Villeurbanne" in client.get("/territoires/departement/69/").content.decode()
    shutil.copytree(FIXTURES_DIR, tmp_path, dirs_exist_ok=True)
    communes = json.loads((tmp_path / "communes.json").read_text())
    for row in communes:
        if row["code"] == "69266":
            row["nom"] = "Villeurbanne-la-Neuve"
    (tmp_path / "communes.json").write_text(json.dumps(communes, ensure_ascii=False))
    with django_capture_on_commit_callbacks(execute=True):
        import_territories(source_dir=tmp_path)
    assert "Villeurbanne-la-Neuve" in client.get("/territoires/departement/69/").content.decode()
