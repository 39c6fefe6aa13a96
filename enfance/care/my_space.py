"""The structures a person manages, under « Mes rôles » of « Mon espace » (``core.my_space``)."""

from enfance.core.my_space import Held, Link, RoleSource, register_roles

from .models import StructureManager


def _roles(user) -> list[Held]:
    links = (
        StructureManager.objects.filter(user=user)
        .select_related("structure__departement")
        .order_by("structure__name", "pk")
    )
    return [
        Held(
            "Gestionnaire de la structure",
            f"{link.structure.name} ({link.structure.departement.name})",
            Link("Voir la structure", link.structure.get_absolute_url()),
        )
        for link in links
    ]


register_roles(RoleSource(name="care", order=30, roles=_roles))
