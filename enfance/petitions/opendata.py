"""The petition's public dataset (core.opendata): its signatures counted by département, online
and on paper, from the counters its page shows."""

from enfance.core.opendata import Dataset, Field, register

from .models import Petition
from .services import counts


def _rows():
    petition = Petition.objects.current().first()
    if petition is None:
        return []
    return (
        {
            "departement": row.code,
            "nom": row.name,
            "en_ligne": row.online,
            "papier": row.paper,
            "total": row.total,
        }
        for row in counts(petition).rows
    )


register(
    Dataset(
        slug="petition-signatures-par-departement",
        title="Pétition : signatures par département",
        description="Les signatures de la pétition en cours, en ligne et sur papier, par "
        "département du signataire.",
        module="Pétition",
        frequency="en continu",
        fields=(
            Field("departement", "string", "Code du département"),
            Field("nom", "string", "Nom du département"),
            Field("en_ligne", "integer", "Signatures en ligne confirmées"),
            Field("papier", "integer", "Signatures sur papier"),
            Field("total", "integer", "Total"),
        ),
        rows=_rows,
    )
)
