"""The library's public dataset (core.opendata): the published fiches with the columns of the
library's own export (``library.EXPORT_COLUMNS``, read through ``library.fiche_data``), under
names fit for a schema. Its co-authors are left out: people, named."""

from django.utils import timezone

from enfance.core.opendata import Dataset, Field, register

from . import library

# Read in chunks: the library of the whole country is thousands of long fiches.
CHUNK = 500

# The export's columns, in its order, as dataset fields: (export key, field).
COLUMNS = (
    ("id", Field("id", "integer", "Numéro de la fiche")),
    ("url", Field("adresse", "string", "Adresse de sa page sur la plateforme")),
    (
        "level",
        Field("niveau", "integer", "Niveau", "1 : pratique déclarée ; 2 : fiche dispositif ONPE."),
    ),
    ("level_label", Field("libelle_du_niveau", "string", "Libellé du niveau")),
    ("title", Field("intitule", "string", "Intitulé de la pratique")),
    ("entity_name", Field("entite", "string", "Entité qui la met en œuvre")),
    ("structure_name", Field("structure", "string", "Structure qui l'a déclarée")),
    ("description", Field("description", "string", "Description")),
    ("implemented_on", Field("mise_en_oeuvre_le", "date", "Date de mise en œuvre")),
    ("scale", Field("echelle", "string", "Échelle")),
    ("intervention_type", Field("type_d_intervention", "string", "Type d'intervention")),
    ("theme", Field("thematique", "string", "Thématique")),
    ("audience", Field("public_vise", "string", "Public visé")),
    ("relay", Field("relais", "string", "Relais de l'implémentation")),
    ("departement_code", Field("departement", "string", "Code du département")),
    ("departement", Field("nom_du_departement", "string", "Département")),
    ("commune", Field("commune", "string", "Commune", "Vide quand la fiche n'en nomme pas.")),
    ("evidence_stage", Field("etape_de_preuve", "string", "Étape de preuve")),
    (
        "evidence_level",
        Field(
            "niveau_de_preuve",
            "integer",
            "Niveau de preuve",
            "De 1 (efficacité solidement établie) à 5 ; vide tant que le comité n'en a pas donné.",
        ),
    ),
    ("reviewed_on", Field("examinee_le", "date", "Examinée par le comité le")),
    ("review_due_on", Field("a_reexaminer_avant_le", "date", "À réexaminer avant le")),
    ("published_at", Field("publiee_le", "date", "Publiée le")),
    ("objectives", Field("objectifs", "string", "Objectifs")),
    ("means", Field("moyens_necessaires", "string", "Moyens nécessaires")),
    ("keys_to_success", Field("cles_de_reussite", "string", "Clés de réussite")),
    ("expected_results", Field("resultats_attendus", "string", "Résultats attendus")),
    ("difficulties", Field("difficultes_rencontrees", "string", "Difficultés rencontrées")),
    ("evaluation_method", Field("methode_d_evaluation", "string", "Méthode d'évaluation")),
    (
        "evaluation_results",
        Field("resultats_de_l_evaluation", "string", "Résultats de l'évaluation"),
    ),
)


# What ``fiche_data`` reads of a fiche: nothing else of it (its declarant, the committee's
# notes, the département's agreement) is loaded.
READ = (
    "pk",
    "level",
    "title",
    "entity_name",
    "structure_name",
    "description",
    "implemented_on",
    "scale",
    *(f"{name}__{part}" for name in library.OPTION_FIELDS for part in ("label", "asks_precision")),
    *(f"{name}_other" for name in library.OPTION_FIELDS),
    "departement__code",
    "departement__name",
    "commune__name",
    "evidence_stage",
    "evidence_level",
    "reviewed_on",
    "review_due_on",
    "published_at",
    *library.LEVEL_2_SECTIONS,
    # Read by ``fiche_data``, left out of the row.
    "co_authors",
)


def _rows():
    fiches = library.results(library.LibraryQuery()).only(*READ)
    for practice in fiches.iterator(chunk_size=CHUNK):
        data = library.fiche_data(practice)
        row = {field.name: data[key] for key, field in COLUMNS}
        # The export writes its dates as text; a dataset gives them as dates, which the API's
        # date filters compare.
        row["mise_en_oeuvre_le"] = practice.implemented_on
        row["examinee_le"] = practice.reviewed_on
        row["a_reexaminer_avant_le"] = practice.review_due_on
        row["publiee_le"] = timezone.localdate(practice.published_at)
        yield row


register(
    Dataset(
        slug="pratiques-inspirantes",
        title="Pratiques inspirantes",
        description="Les fiches publiées de la bibliothèque des pratiques inspirantes, avec les "
        "colonnes de son propre export : l'entité et la structure qui la portent, son "
        "territoire, sa thématique, son niveau de preuve et, pour une fiche de niveau 2, ses "
        "objectifs, moyens et résultats. Sans les noms des co-auteurs.",
        module="Pratiques inspirantes",
        frequency="en continu",
        fields=tuple(field for _, field in COLUMNS),
        date_field="publiee_le",
        rows=_rows,
    )
)
