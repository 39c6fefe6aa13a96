"""Every write that changes what an instance's public page shows bumps that instance's cache
version (views._public_body). Bulk writes, which send no signal, call bump_instance directly."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from enfance.core.cache import bump, version


def instance_version(instance_id: int) -> int:
    return version(f"instance:{instance_id}")


def instances_version() -> int:
    """The version of the list of all instances (names, states, member counts)."""
    return version("instances")


def bump_instance(instance_id: int) -> None:
    # After the commit: a page rendered meanwhile from the old data must not be cached under the
    # new version.
    def bump_both():
        bump(f"instance:{instance_id}")
        bump("instances")

    transaction.on_commit(bump_both)


def _instance_id(sender, obj) -> int | None:
    from .models import Instance

    if sender is Instance:
        return obj.pk
    if hasattr(obj, "instance_id"):
        return obj.instance_id
    meeting = getattr(obj, "meeting", None)
    return getattr(meeting, "instance_id", None)


def _on_change(sender, instance, **kwargs):
    instance_id = _instance_id(sender, instance)
    if instance_id is not None:
        bump_instance(instance_id)


def connect() -> None:
    from .models import AgendaItem, Decision, Instance, Meeting, Membership, Minutes, Priority

    for model in (Instance, Membership, Meeting, AgendaItem, Decision, Minutes, Priority):
        uid = f"assemblies-public-page-{model.__name__}"
        post_save.connect(_on_change, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(
        lambda sender, instance, **kwargs: bump_instance(instance.pk),
        sender=Instance.communes.through,
        weak=False,
        dispatch_uid="assemblies-public-page-communes",
    )
