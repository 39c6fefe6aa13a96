"""The person's signatures in « Mon espace » (``core.my_space``). A signature is not tied to an
account: it is the person's when made with one of their verified addresses (personal_data.py).
The page says which petition and when, never the name or address the signature holds."""

from django.urls import reverse

from enfance.core.my_space import Block, Item, Link, Section, day, latest, register_section

from .personal_data import _signatures_of


def _line(signature) -> str:
    signed = day(signature.created_at)
    if signature.confirmed_at is None:
        return f"Vous avez signé le {signed} ; la signature attend sa confirmation par courriel."
    return f"Vous avez signé le {signed}."


def _blocks(user) -> list[Block]:
    rows, count = latest(_signatures_of(user).select_related("petition").order_by("-created_at"))
    return [
        Block(
            title="Mes signatures",
            count=count,
            items=[Item(s.petition.title, s.petition.get_absolute_url(), _line(s)) for s in rows],
            empty="Aucune signature pour l'instant.",
            start=Link("Lire la pétition", reverse("petitions:detail")),
        )
    ]


register_section(Section(name="petitions", order=40, blocks=_blocks))
