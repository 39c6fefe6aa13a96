"""The proposals' public dataset (core.opendata): the published proposals and how many people
support them. Never their author, nor who supports them, nor what was written: a proposal is
read on its page, which a withdrawal for a child's safety takes down at once, where a copy of
its text in a downloaded file would stay."""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from enfance.core.opendata import Dataset, Field, register

from .models import Proposal, Theme

# Read in chunks (with their themes, one query a chunk): a national platform holds tens of
# thousands of proposals.
CHUNK = 2000


def _rows():
    # One reverse for every row: a proposal's address is this one with its number at the end.
    prefix = reverse("proposals:detail", args=[0]).removesuffix("0/")
    states = dict(Proposal._meta.get_field("state").choices)
    proposals = (
        Proposal.objects.published()
        .select_related("instance", "departement", "region")
        .only(
            "pk",
            "state",
            "is_flagship",
            "published_at",
            "support_count",
            "instance__slug",
            "departement__code",
            "region__code",
        )
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.only("label")))
        .order_by("published_at", "pk")
    )
    for p in proposals.iterator(CHUNK):
        yield {
            "id": p.pk,
            "adresse": f"{prefix}{p.pk}/",
            "instance": p.instance.slug if p.instance_id else "",
            "departement": p.departement.code if p.departement_id else "",
            "region": p.region.code if p.region_id else "",
            "etat": states[p.state],
            "phare": p.is_flagship,
            "themes": " ; ".join(theme.label for theme in p.themes.all()),
            "publiee_le": timezone.localdate(p.published_at),
            "soutiens": p.support_count,
        }


register(
    Dataset(
        slug="propositions",
        title="Propositions citoyennes et leurs soutiens",
        description="Chaque proposition publiée, son territoire, l'instance locale qui la porte, "
        "son état et son nombre de soutiens. Ni son auteur ni ceux qui la soutiennent ; son "
        "texte se lit sur sa page.",
        module="Démocratie locale",
        frequency="en continu",
        fields=(
            Field("id", "integer", "Numéro de la proposition"),
            Field("adresse", "string", "Adresse de sa page sur la plateforme"),
            Field(
                "instance",
                "string",
                "Instance locale qui la porte",
                "Identifiant de l'instance sur la plateforme ; vide quand aucune ne la porte.",
            ),
            Field(
                "departement",
                "string",
                "Code du département qu'elle concerne",
                "Vide pour une proposition régionale ou nationale.",
            ),
            Field(
                "region",
                "string",
                "Code de la région qu'elle concerne",
                "Vide pour une proposition nationale.",
            ),
            Field("etat", "string", "État"),
            Field("phare", "boolean", "Proposition phare"),
            Field("themes", "string", "Thèmes", "Séparés par « ; »."),
            Field("publiee_le", "date", "Publiée le"),
            Field("soutiens", "integer", "Soutiens"),
        ),
        date_field="publiee_le",
        rows=_rows,
    )
)
