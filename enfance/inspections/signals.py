"""Every write to a plan, a line of a plan or an inspection bumps ``PLANS_VERSION`` after it
commits: the plan pages' tables, kept rendered in the cache (``plan_views.plan``), never show a
line or a state that has changed."""

from django.db.models.signals import post_delete, post_save

from enfance.core.cache import bump_on_commit

from .models import ControlPlan, Inspection, PlanEntry

PLANS_VERSION = "inspections-plans"


def _bump(sender, **kwargs):
    bump_on_commit(PLANS_VERSION)


def connect() -> None:
    for model in (ControlPlan, PlanEntry, Inspection):
        name = model.__name__
        post_save.connect(_bump, sender=model, dispatch_uid=f"inspections-plans-{name}-save")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"inspections-plans-{name}-del")
