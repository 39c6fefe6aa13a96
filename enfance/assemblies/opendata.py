"""The instances' public dataset (core.opendata): bodies, never their members."""

from django.db.models import Count, Q
from django.utils import timezone

from enfance.core.opendata import Dataset, Field, register

from .caching import INSTANCES
from .models import Instance

register(
    Dataset(
        slug="instances-locales",
        title="Instances locales",
        description="Chaque instance locale de protection de l'enfance : son département, son "
        "état et le nombre de ses membres en mandat, jamais leurs noms.",
        module="Démocratie locale",
        frequency="en continu",
        fields=(
            Field("adresse", "string", "Identifiant de l'instance sur la plateforme"),
            Field("nom", "string", "Nom"),
            Field("departement", "string", "Code du département"),
            Field("etat", "string", "État"),
            Field("creee_le", "date", "Créée le"),
            Field("membres", "integer", "Membres en mandat"),
        ),
        date_field="creee_le",
        versions=(INSTANCES,),
        rows=lambda: (
            {
                "adresse": i.slug,
                "nom": i.name,
                "departement": i.departement.code,
                "etat": i.get_status_display(),
                "creee_le": timezone.localdate(i.created_at),
                "membres": i.seated,
            }
            for i in Instance.objects.select_related("departement")
            .annotate(seated=Count("memberships", filter=Q(memberships__ended_on__isnull=True)))
            .order_by("departement__code", "name")
        ),
    )
)
