"""The published inspection reports as a dataset (core.opendata), as anonymised as their pages:
a structure is named by its type, its département and its public identifier, never by its name
or its address; the visit by its month, never its day (an unannounced visit's day is the
team's); nothing of what the team wrote."""

from django.urls import reverse
from django.utils import timezone

from enfance.core.opendata import Dataset, Field, register

from .models import Inspection, public_identifier

# Read in chunks: a yearly control of every structure of the country is thousands of reports.
CHUNK = 2000


def _rows():
    # One reverse for every row: a report's address is this one with its number at the end.
    prefix = reverse("inspections:public_report", args=[0]).removesuffix("0/")
    reports = (
        Inspection.objects.published()
        .select_related("structure__departement", "referentiel")
        .only(
            "pk",
            "origin",
            "announced",
            "joint_with",
            "visit_on",
            "published_at",
            "mean",
            "judgement",
            "level",
            "structure__kind",
            "structure__departement__code",
            "referentiel__version",
        )
        .order_by("published_at", "pk")
    )
    for r in reports.iterator(CHUNK):
        yield {
            "id": r.pk,
            "adresse": f"{prefix}{r.pk}/",
            "structure": public_identifier(r.structure),
            "type_de_structure": r.structure.get_kind_display(),
            "departement": r.structure.departement.code,
            "mois_de_visite": f"{r.visit_on:%Y-%m}",
            "visite_annoncee": r.announced,
            "origine": r.get_origin_display(),
            "conjointe": bool(r.joint_with),
            "referentiel": r.referentiel.version,
            "publie_le": timezone.localdate(r.published_at),
            "moyenne": r.mean,
            "appreciation": r.get_judgement_display(),
            "niveau": r.level,
        }


register(
    Dataset(
        slug="inspections-publiees",
        title="Rapports d'inspection publiés des lieux d'accueil",
        description="Chaque rapport d'inspection publié à la fin de la procédure contradictoire, "
        "anonymisé comme sur sa page : la structure désignée par son type, son département et "
        "son identifiant public, le mois de la visite, l'appréciation d'ensemble, le niveau et "
        "la moyenne des critères notés.",
        module="Contrôle des lieux d'accueil",
        frequency="à chaque publication",
        fields=(
            Field("id", "integer", "Numéro du rapport"),
            Field("adresse", "string", "Adresse de sa page sur la plateforme"),
            Field(
                "structure",
                "string",
                "Identifiant public de la structure",
                "ES-<département>-<numéro> : le même d'un rapport à l'autre.",
            ),
            Field("type_de_structure", "string", "Type de structure"),
            Field("departement", "string", "Code du département"),
            Field("mois_de_visite", "string", "Mois de la visite", "AAAA-MM."),
            Field("visite_annoncee", "boolean", "Visite annoncée", "Faux : visite inopinée."),
            Field("origine", "string", "Origine du contrôle"),
            Field("conjointe", "boolean", "Contrôle conjoint"),
            Field("referentiel", "string", "Version du référentiel"),
            Field("publie_le", "date", "Rapport définitif publié le"),
            Field("moyenne", "number", "Moyenne des critères notés", "Sur 4."),
            Field("appreciation", "string", "Appréciation d'ensemble"),
            Field("niveau", "string", "Niveau", "De A (le meilleur) à D."),
        ),
        date_field="publie_le",
        rows=_rows,
    )
)
