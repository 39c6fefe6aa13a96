"""Creating an instance and the decisions on its status."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from enfance.core.access import permit
from enfance.core.eventlog import record_event
from enfance.core.text import bounded_texts, model_limit
from enfance.core.workflow import apply_transition

from .. import perms
from ..composition import composition
from ..enums import InstanceStatus
from ..models import Instance
from ..workflows import AUTOMATIC, INSTANCE_WORKFLOW


def _unique_slug(name: str) -> str:
    base = slugify(name)[:150] or "instance"
    slug, n = base, 2
    while Instance.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_instance(
    departement, *, by, name, communes=(), description="", quorum_percent=None
) -> Instance:
    """Create an instance in a département (by the administrateur national, or at the end of a
    forum)."""
    permit(
        perms.can_create_instance(by, Instance(departement=departement)),
        "Seule l'administration nationale peut créer une instance locale sur ce territoire.",
    )
    texts = bounded_texts(
        {"name": name, "description": description},
        {
            "name": (model_limit(Instance, "name"), "", "Donnez un nom à l'instance."),
            "description": (model_limit(Instance, "description"), "", None),
        },
    )
    name = texts["name"]
    communes = list(communes)
    outside = [c.name for c in communes if c.departement_id != departement.pk]
    if outside:
        raise ValidationError(
            {"communes": f"Ces communes ne sont pas dans le département : {', '.join(outside)}."}
        )
    with transaction.atomic():
        instance = Instance.objects.create(
            name=name,
            slug=_unique_slug(name),
            departement=departement,
            description=texts["description"],
            quorum_percent=quorum_percent,
            created_by=by,
        )
        instance.communes.set(communes)
        record_event(
            by=by,
            action="assemblies.instance_created",
            summary=f"Instance créée : {instance.name}",
            target=instance,
            data={"departement": departement.code, "communes": [c.code for c in communes]},
            public=True,
        )
    return instance


def change_instance_status(instance: Instance, *, by, transition: str) -> Instance:
    """A decision on the instance's status (activate, suspend, resume, dissolve)."""
    if transition in AUTOMATIC:
        raise ValidationError("Ce changement d'état suit la composition : il est automatique.")
    return apply_transition(instance, INSTANCE_WORKFLOW, transition, by=by)


def refresh_constitution(instance: Instance, *, by) -> Instance:
    """Move the instance between *en création* and *constituée* as its composition says.

    Called after every change of membership; the transition is in the event log.
    """
    instance.refresh_from_db(fields=["status"])
    complete = composition(instance).is_constituted
    if instance.status == InstanceStatus.EN_CREATION and complete:
        return apply_transition(instance, INSTANCE_WORKFLOW, "constituer", by=by)
    if instance.status == InstanceStatus.CONSTITUEE and not complete:
        return apply_transition(instance, INSTANCE_WORKFLOW, "reprendre_la_constitution", by=by)
    return instance
