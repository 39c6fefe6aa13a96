"""The care network's public datasets (core.opendata): the SCIC (counted associates, never named),
the transfers of competences, and the free places aggregated by département (a stale figure
counts as unknown, never as free)."""

from django.db.models import Count, Q, Sum
from django.utils import timezone

from enfance.core.opendata import Dataset, Field, register

from .enums import StructureStatus
from .models import Cooperative, PlaceCategory, Transfer

register(
    Dataset(
        slug="scic",
        title="SCIC de protection de l'enfance",
        description="Les sociétés coopératives d'intérêt collectif, l'instance qui les supervise "
        "et leur nombre de sociétaires, jamais leurs noms.",
        module="Places et accueil",
        frequency="en continu",
        fields=(
            Field("siren", "string", "SIREN"),
            Field("nom", "string", "Raison sociale"),
            Field("departement", "string", "Code du département"),
            Field("instance", "string", "Instance locale qui la supervise"),
            Field("immatriculee_le", "date", "Immatriculée le"),
            Field("societaires", "integer", "Sociétaires"),
        ),
        date_field="immatriculee_le",
        rows=lambda: (
            {
                "siren": c.siren,
                "nom": c.name,
                "departement": c.departement.code,
                "instance": c.instance.slug,
                "immatriculee_le": c.registered_on,
                "societaires": c.current,
            }
            for c in Cooperative.objects.select_related("departement", "instance")
            .annotate(current=Count("associates", filter=Q(associates__left_on__isnull=True)))
            .order_by("departement__code", "name")
        ),
    )
)

register(
    Dataset(
        slug="transferts-de-competences",
        title="Transferts de compétences",
        description="Les compétences de protection de l'enfance transférées des départements "
        "aux instances locales et aux SCIC, avec leur phase, leur état et le budget annuel.",
        module="Places et accueil",
        frequency="en continu",
        fields=(
            Field("competence", "string", "Compétence"),
            Field("departement", "string", "Code du département qui transfère"),
            Field("instance", "string", "Instance locale qui reçoit"),
            Field(
                "scic", "string", "SIREN de la SCIC qui l'exerce", "Vide : l'instance elle-même."
            ),
            Field("phase", "integer", "Phase"),
            Field("etat", "string", "État"),
            Field("a_partir_du", "date", "À partir du"),
            Field("budget_annuel", "integer", "Budget transféré par an (€)"),
        ),
        date_field="a_partir_du",
        rows=lambda: (
            {
                "competence": t.competence_label,
                "departement": t.departement.code,
                "instance": t.instance.slug,
                "scic": t.cooperative.siren if t.cooperative else "",
                "phase": t.phase,
                "etat": t.get_status_display(),
                "a_partir_du": t.starts_on,
                "budget_annuel": t.yearly_budget,
            }
            for t in Transfer.objects.select_related("departement", "instance", "cooperative")
        ),
    )
)


def _places_rows():
    now = timezone.now()
    categories = PlaceCategory.objects.filter(structure__status=StructureStatus.VALIDATED)
    fresh = PlaceCategory.objects.fresh_q(now)
    return (
        {
            "departement": row["structure__departement__code"],
            "structures": row["structures"],
            "places_installees": row["installed"] or 0,
            "places_libres": row["free"] or 0,
            "categories_connues": row["known"],
            "categories": row["categories"],
        }
        for row in categories.values("structure__departement__code")
        .annotate(
            structures=Count("structure", distinct=True),
            installed=Sum("capacity"),
            free=Sum("free", filter=fresh),
            known=Count("pk", filter=fresh),
            categories=Count("pk"),
        )
        .order_by("structure__departement__code")
    )


register(
    Dataset(
        slug="places-libres-par-departement",
        title="Places d'accueil libres, par département",
        description="Les places installées et les places libres déclarées récemment par les "
        "structures validées, par département. Un chiffre trop ancien n'est pas compté : la "
        "part des catégories connues le dit.",
        module="Places et accueil",
        frequency="en continu (chiffres de moins de 24 heures, 8 pour l'urgence)",
        fields=(
            Field("departement", "string", "Code du département"),
            Field("structures", "integer", "Structures validées"),
            Field("places_installees", "integer", "Places installées"),
            Field("places_libres", "integer", "Places libres déclarées récemment"),
            Field("categories_connues", "integer", "Catégories de places au chiffre récent"),
            Field("categories", "integer", "Catégories de places"),
        ),
        rows=_places_rows,
    )
)
