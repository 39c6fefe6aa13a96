"""The person's applications and mandates in « Mon espace » (``core.my_space``), and the roles
they hold in an instance (« Secrétaire — Instance locale de Lyon (Rhône) ») under « Mes rôles »."""

from django.urls import reverse
from django.utils import timezone

from enfance.core.dates import written_date
from enfance.core.my_space import (
    Block,
    Held,
    Item,
    Link,
    RoleSource,
    Section,
    day,
    latest,
    register_roles,
    register_section,
)

from .models import Application, Membership
from .perms import MANAGER_ROLES


def _where(instance) -> str:
    return f"{instance.name} ({instance.departement.name})"


def _applications(user) -> Block:
    applications = (
        Application.objects.filter(applicant=user)
        .select_related("instance__departement", "college")
        .order_by("-created_at", "-pk")
    )
    rows, count = latest(applications)
    return Block(
        title="Mes candidatures aux instances",
        count=count,
        items=[
            Item(
                _where(a.instance),
                a.instance.get_absolute_url(),
                f"Collège {a.college.of_label}, candidature du {day(a.created_at)} : "
                f"{a.get_status_display().lower()}",
            )
            for a in rows
        ],
        empty="Aucune candidature pour l'instant.",
        start=Link("Trouver une instance", reverse("assemblies:list")),
    )


def _mandate_line(membership, today) -> str:
    role = membership.title
    if membership.ended_on is not None and membership.ended_on <= today:
        return f"{role}, mandat terminé le {written_date(membership.ended_on)}"
    start, end = written_date(membership.mandate_start), written_date(membership.mandate_end)
    return f"{role}, mandat du {start} au {end}"


def _mandates(user) -> Block:
    mandates = (
        Membership.objects.filter(user=user)
        .select_related("instance__departement", "seat__college", "user")
        .order_by("-mandate_start", "-pk")
    )
    rows, count = latest(mandates)
    today = timezone.localdate()
    return Block(
        title="Mes mandats",
        count=count,
        items=[
            Item(
                f"{_where(m.instance)}, collège {m.seat.college.of_label}",
                m.instance.get_absolute_url(),
                _mandate_line(m, today),
            )
            for m in rows
        ],
        empty="Aucun mandat pour l'instant.",
    )


def _roles(user) -> list[Held]:
    current = (
        Membership.objects.current()
        .filter(user=user)
        .select_related("instance__departement", "user")
        .order_by("instance__name", "pk")
    )
    # A current secrétaire or animateur manages the instance (perms.is_instance_manager): the
    # role offers its management page.
    return [
        Held(
            label=f"{m.title} de l'instance",
            where=_where(m.instance),
            link=Link("Gérer l'instance", reverse("assemblies:manage", args=[m.instance.slug]))
            if m.role in MANAGER_ROLES
            else None,
        )
        for m in current
    ]


register_section(
    Section(
        name="assemblies",
        order=30,
        blocks=lambda user: [_applications(user), _mandates(user)],
    )
)
register_roles(RoleSource(name="assemblies", order=20, roles=_roles))
