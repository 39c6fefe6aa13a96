import re

import pytest
from django.test import Client
from django.urls import reverse

from enfance.territories.models import Commune, Departement, normalize_name
from tests.factories import CommuneFactory, DepartementFactory


def _without_nonce(html: str) -> str:
    """A page as every visitor gets it: the nonce of its scripts is each request's own."""
    return re.sub(r'nonce="[^"]*"', "", html)


MAX_QUERIES = 8


class StrictClient(Client):
    """Fails on any page that uses an unknown template variable."""

    def get(self, *args, **kwargs):
        response = super().get(*args, **kwargs)
        assert "INVALID_TEMPLATE_VARIABLE" not in response.content.decode()
        return response


@pytest.fixture
def client():
    return StrictClient()


@pytest.mark.django_db
class TestIndex:
    def test_lists_regions_and_their_departements(self, client, territories):
        response = client.get(reverse("territories:index"))
        assert response.status_code == 200
        content = response.content.decode()
        assert "Régions de métropole" in content
        assert "Régions et départements d'outre-mer" in content
        assert "Auvergne-Rhône-Alpes" in content
        assert "2A – Corse-du-Sud" in content
        assert "976 – Mayotte" in content
        assert reverse("territories:departement", args=["971"]) in content

    def test_empty(self, client, db):
        response = client.get(reverse("territories:index"))
        assert response.status_code == 200
        assert "La liste des territoires n'est pas encore disponible." in response.content.decode()

    def test_bounded_queries(self, client, territories, django_assert_max_num_queries):
        with django_assert_max_num_queries(MAX_QUERIES):
            assert client.get(reverse("territories:index")).status_code == 200


@pytest.mark.django_db
class TestRegion:
    def test_departements_with_their_counts(self, client, territories):
        response = client.get(reverse("territories:region", args=["84"]))
        assert response.status_code == 200
        content = response.content.decode()
        assert "<h1>Région Auvergne-Rhône-Alpes</h1>" in content
        assert "fr-breadcrumb" in content
        rows = {
            d.code: (d.commune_count, d.population_total) for d in response.context["departements"]
        }
        assert rows == {
            "38": (1, 3425),
            "42": (2, 173136 + Commune.objects.get(code="42043").population),
            "69": (3, 519127 + 163684 + 2036),
        }

    def test_overseas(self, client, territories):
        response = client.get(reverse("territories:region", args=["06"]))
        assert response.status_code == 200
        assert "région d'outre-mer" in response.content.decode()

    def test_region_without_departements(self, client, territories):
        Commune.objects.filter(departement__region__code="94").delete()
        Departement.objects.filter(region__code="94").delete()
        response = client.get(reverse("territories:region", args=["94"]))
        assert "Aucun département n'est rattaché à cette région" in response.content.decode()

    @pytest.mark.parametrize("code", ["99", "975", "abc"])
    def test_unknown_code(self, client, territories, code):
        assert client.get(reverse("territories:region", args=[code])).status_code == 404

    def test_bounded_queries(self, client, territories, django_assert_max_num_queries):
        with django_assert_max_num_queries(MAX_QUERIES):
            assert client.get(reverse("territories:region", args=["84"])).status_code == 200


@pytest.mark.django_db
class TestDepartement:
    def url(self, code="69"):
        return reverse("territories:departement", args=[code])

    def test_summary_and_communes(self, client, territories):
        response = client.get(self.url())
        assert response.status_code == 200
        content = response.content.decode()
        assert "<h1>Rhône (69)</h1>" in content
        assert reverse("territories:region", args=["84"]) in content
        assert "fr-breadcrumb" in content
        assert response.context["commune_count"] == 3
        assert response.context["population_total"] == 519127 + 163684 + 2036
        assert [c.name for c in response.context["page_obj"]] == [
            "Lyon",
            "Sainte-Colombe",
            "Villeurbanne",
        ]
        assert "69001, 69002" in content

    def test_corsica_and_overseas(self, client, territories):
        assert "Ajaccio" in client.get(self.url("2A")).content.decode()
        assert "Mamoudzou" in client.get(self.url("976")).content.decode()

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("villeur", ["Villeurbanne"]),
            ("VILLEURBANNE", ["Villeurbanne"]),
            ("sainte colombe", ["Sainte-Colombe"]),
            ("Sainte-Colombe", ["Sainte-Colombe"]),
            ("69100", ["Villeurbanne"]),
            ("6900", ["Lyon"]),
            ("lyôn", ["Lyon"]),
        ],
    )
    def test_search(self, client, territories, query, expected):
        response = client.get(self.url(), {"q": query})
        assert [c.name for c in response.context["page_obj"]] == expected
        assert response.context["commune_count"] == 3

    def test_search_without_result(self, client, territories):
        response = client.get(self.url(), {"q": "<b>Paris</b>"})
        content = response.content.decode()
        assert (
            "Aucune commune de ce département ne correspond à « &lt;b&gt;Paris&lt;/b&gt; »"
            in content
        )
        assert "<b>Paris</b>" not in content

    def test_departement_without_communes(self, client, territories):
        DepartementFactory(code="01", name="Ain")
        response = client.get(self.url("01"))
        assert response.status_code == 200
        assert "Aucune commune n'est enregistrée pour ce département" in response.content.decode()

    @pytest.mark.parametrize("code", ["00", "2C", "975", "9999"])
    def test_unknown_code(self, client, territories, code):
        assert client.get(self.url(code)).status_code == 404

    def test_pagination_and_bounded_queries(
        self, client, territories, django_assert_max_num_queries
    ):
        rhone = Departement.objects.get(code="69")
        Commune.objects.bulk_create(
            Commune(
                code=f"69{n:03d}",
                name=f"Commune {n:03d}",
                search_name=normalize_name(f"Commune {n:03d}"),
                departement=rhone,
                postal_codes="69990",
                population=n,
            )
            for n in range(400, 650)
        )
        with django_assert_max_num_queries(MAX_QUERIES):
            response = client.get(self.url(), {"page": 2})
        assert response.status_code == 200
        assert response.context["page_obj"].paginator.num_pages == 6
        assert "Page suivante" in response.content.decode()
        with django_assert_max_num_queries(MAX_QUERIES):
            response = client.get(self.url(), {"q": "commune", "page": 3})
        assert response.context["page_obj"].number == 3
        assert "q=commune" in response.content.decode()

    def test_a_visitor_gets_it_from_the_cache_once_warm(
        self, client, territories, django_assert_num_queries
    ):
        url = reverse("territories:departement", args=["69"])
        first = _without_nonce(client.get(url).content.decode())
        with django_assert_num_queries(0):
            assert _without_nonce(client.get(url).content.decode()) == first


@pytest.mark.django_db
class TestCommuneSuggestions:
    url = reverse("territories:commune_suggestions")

    def test_options(self, client, territories):
        response = client.get(self.url, {"q": "saint etienne"})
        assert response.status_code == 200
        assert response.content.decode().strip().splitlines() == [
            '<option value="Saint-Étienne (42000)">Loire (42)</option>',
            '<option value="Saint-Étienne-de-Saint-Geoirs (38590)">Isère (38)</option>',
        ]

    def test_reads_the_parameter_named_by_champ(self, client, territories):
        response = client.get(self.url, {"champ": "commune", "commune": "69003"})
        assert '<option value="Lyon (69001)">Rhône (69)</option>' in response.content.decode()

    def test_nothing_for_short_text(self, client, territories):
        assert client.get(self.url, {"q": "l"}).content.decode().strip() == ""

    def test_output_is_escaped(self, client, territories):
        CommuneFactory(code="69999", name='<script>alert("x")</script>', postal_codes="69999")
        content = client.get(self.url, {"q": "script"}).content.decode()
        assert "<script>" not in content
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; (69999)" in content

    def test_cheap(self, client, territories, django_assert_max_num_queries):
        with django_assert_max_num_queries(3):
            assert client.get(self.url, {"q": "sain"}).status_code == 200
