import pytest
from django.core.exceptions import ValidationError

from enfance.territories.forms import CommuneField, CommuneInput
from enfance.territories.models import Commune, normalize_name
from enfance.territories.search import commune_label, resolve_commune, search_communes


def names(communes):
    return [c.name for c in communes]


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("Saint-Étienne", "saint etienne"),
        ("  SAINT   etienne ", "saint etienne"),
        ("L'Haÿ-les-Roses", "l hay les roses"),
        ("Crèvecœur-en-Auge", "crevecoeur en auge"),
        ("Château-Chinon (Ville)", "chateau chinon ville"),
    ],
)
def test_normalize_name(raw, normalized):
    assert normalize_name(raw) == normalized


@pytest.mark.django_db
class TestSearchCommunes:
    @pytest.mark.parametrize("query", ["saint etienne", "SAINT-ÉTIENNE", "Saint Étienne"])
    def test_accents_case_and_hyphens_are_ignored(self, territories, query):
        assert names(search_communes(query)) == ["Saint-Étienne", "Saint-Étienne-de-Saint-Geoirs"]

    def test_postal_code(self, territories):
        assert names(search_communes("69003")) == ["Lyon"]
        assert names(search_communes("69100")) == ["Villeurbanne"]

    def test_postal_code_prefix_is_ordered_by_population(self, territories):
        assert names(search_communes("69")) == ["Lyon", "Villeurbanne", "Sainte-Colombe"]
        assert names(search_communes("20")) == ["Ajaccio", "Bastia"]

    def test_name_prefix_is_ordered_by_population(self, territories):
        assert names(search_communes("sain")) == [
            "Saint-Étienne",
            "Saint-Étienne-de-Saint-Geoirs",
            "Sainte-Colombe",
            "Sainte-Colombe",
        ]

    def test_exact_name_comes_before_longer_names(self, territories):
        # Saint-Étienne-de-Saint-Geoirs also contains "saint etienne", but later in the name.
        assert names(search_communes("saint etienne"))[0] == "Saint-Étienne"

    def test_word_inside_the_name(self, territories):
        assert names(search_communes("colombe")) == ["Sainte-Colombe", "Sainte-Colombe"]
        assert names(search_communes("pitre")) == ["Pointe-à-Pitre"]

    def test_ligatures(self, territories):
        assert names(search_communes("chamboeuf")) == ["Chambœuf"]

    def test_name_and_postal_code_together(self, territories):
        assert names(search_communes("sainte colombe 69")) == ["Sainte-Colombe"]
        assert names(search_communes("Lyon (69001)")) == ["Lyon"]

    def test_insee_code(self, territories):
        assert names(search_communes("2A004")) == ["Ajaccio"]
        assert names(search_communes("97611")) == ["Mamoudzou"]

    @pytest.mark.parametrize("query", ["", "  ", "l", "6", "zzzz"])
    def test_nothing_for_too_short_or_unknown_text(self, territories, query):
        assert search_communes(query) == []

    def test_limit(self, territories):
        assert len(search_communes("ai", limit=3)) == 3

    def test_one_query(self, territories, django_assert_num_queries):
        with django_assert_num_queries(1):
            communes = search_communes("saint")
            [c.departement.name for c in communes]


@pytest.mark.django_db
class TestResolveCommune:
    @pytest.mark.parametrize(
        ("text", "code"),
        [
            ("Lyon (69001)", "69123"),
            ("Lyon (69005)", "69123"),
            ("lyon", "69123"),
            ("  LYON  ", "69123"),
            ("69003", "69123"),
            ("69123", "69123"),
            ("Saint-Etienne", "42218"),
            ("saint étienne (42100)", "42218"),
            ("Sainte-Colombe (05700)", "05135"),
            ("Sainte-Colombe (69560)", "69189"),
            ("2A004", "2A004"),
            ("2a004", "2A004"),
            ("Ajaccio (20000)", "2A004"),
            ("Mamoudzou", "97611"),
        ],
    )
    def test_designates_one_commune(self, territories, text, code):
        assert resolve_commune(text).code == code

    def test_label_round_trip(self, territories):
        for commune in Commune.objects.all():
            assert resolve_commune(commune_label(commune)) == commune

    def test_homonyms_ask_for_the_postal_code(self, territories):
        with pytest.raises(ValidationError) as error:
            resolve_commune("Sainte-Colombe")
        assert error.value.code == "ambiguous"
        message = error.value.messages[0]
        assert message.startswith("2 communes correspondent à « Sainte-Colombe » : ")
        assert "« Sainte-Colombe (69560) »" in message
        assert "« Sainte-Colombe (05700) »" in message
        assert "code postal" in message

    def test_shared_postal_code_is_ambiguous(self, territories):
        with pytest.raises(ValidationError) as error:
            resolve_commune("05700")
        assert error.value.code == "ambiguous"
        assert "La Bâtie-Montsaléon (05700)" in error.value.messages[0]

    @pytest.mark.parametrize("text", ["Paris", "Lyon (75001)", "99999", "Lyo"])
    def test_unknown(self, territories, text):
        with pytest.raises(ValidationError) as error:
            resolve_commune(text)
        assert error.value.code == "unknown"
        assert error.value.messages == [
            f"Nous ne trouvons pas de commune « {text} ». Vérifiez l'orthographe ou saisissez "
            "son code postal, puis choisissez-la dans la liste proposée."
        ]

    def test_empty(self, territories):
        with pytest.raises(ValidationError) as error:
            resolve_commune("   ")
        assert error.value.code == "required"


@pytest.mark.django_db
def test_commune_field(territories):
    field = CommuneField()
    assert field.clean("Villeurbanne (69100)").code == "69266"
    with pytest.raises(ValidationError) as error:
        field.clean("")
    assert error.value.messages == ["Indiquez votre commune."]
    assert CommuneField(required=False).clean("") is None


def test_commune_input_asks_for_suggestions_under_its_own_name():
    html = CommuneInput().render("commune", "", attrs={"id": "id_commune"})
    assert 'hx-get="/territoires/communes/suggestions/?champ=commune"' in html
    assert 'list="id_commune-suggestions"' in html
    assert '<datalist id="id_commune-suggestions"></datalist>' in html
