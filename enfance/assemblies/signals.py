"""Every write that changes what an instance's page or the list of instances shows bumps their
cache versions after it commits (``caching``). Bulk writes, which send no signal, call
``caching.bump_instance`` themselves."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from enfance.accounts.models import User

from . import search
from .caching import bump_instance
from .models import AgendaItem, Decision, Instance, Meeting, Membership, Minutes, Priority


def _instance_id(sender, obj) -> int | None:
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


def _on_communes_change(sender, instance, **kwargs):
    bump_instance(instance.pk)


# What an instance's page shows of its members (Membership.public_name, Membership.title).
NAME_FIELDS = {"first_name", "last_name", "full_name_in_instances", "title_form"}


def _on_member_renamed(sender, instance, created, update_fields=None, **kwargs):
    if created or (update_fields is not None and not NAME_FIELDS & set(update_fields)):
        return
    seated_in = Membership.objects.filter(user=instance).values_list("instance_id", flat=True)
    for instance_id in set(seated_in):
        bump_instance(instance_id)


def connect() -> None:
    search.connect()
    post_save.connect(_on_member_renamed, sender=User, dispatch_uid="assemblies-member-renamed")
    for model in (Instance, Membership, Meeting, AgendaItem, Decision, Minutes, Priority):
        uid = f"assemblies-public-page-{model.__name__}"
        post_save.connect(_on_change, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(
        _on_communes_change,
        sender=Instance.communes.through,
        dispatch_uid="assemblies-public-page-communes",
    )
