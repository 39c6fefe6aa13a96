"""What the pages of the instances share: breadcrumbs, loading an instance, service errors shown
on a form, the composition as the pages show it."""

from collections import defaultdict
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from enfance.core.access import get_visible_or_404, require

from .. import perms
from ..composition import college_bounds, evaluate
from ..models import CompositionRule, Instance, Membership


def breadcrumb(*links, current: str) -> dict:
    root = {"url": reverse("assemblies:list"), "title": "Instances locales"}
    return {"links": [root, *links], "current": current, "root_dir": reverse("core:home")}


def instance_link(instance) -> dict:
    return {"url": instance.get_absolute_url(), "title": instance.name}


def manage_crumbs(instance, current: str) -> dict:
    manage = {"url": reverse("assemblies:manage", args=[instance.slug]), "title": "Gestion"}
    return breadcrumb(instance_link(instance), manage, current=current)


def public_instance(slug) -> Instance:
    return get_visible_or_404(
        Instance.objects.public().select_related("departement__region"), slug=slug
    )


def managed_instance(request, slug) -> Instance:
    instance = public_instance(slug)
    require(request.user, perms.can_manage_instance, instance)
    return instance


def default_ballot_dates() -> dict:
    now = timezone.localtime().replace(second=0, microsecond=0)
    return {"opens_at": now, "closes_at": now + timedelta(days=7)}


def composition_view(instance):
    """Members grouped by college, with the composition report, from one query of members."""
    today = timezone.localdate()
    members = list(Membership.objects.filter(instance=instance).active_on(today).for_display())
    by_college = defaultdict(list)
    for membership in members:
        by_college[membership.seat.college.code].append(membership)
    rule = CompositionRule.objects.get(code="national")
    report = evaluate(
        {code: len(ms) for code, ms in by_college.items()},
        college_bounds(),
        rule.min_total,
        rule.max_total,
        today,
    )
    colleges = [{"line": line, "members": by_college[line.college.code]} for line in report.lines]
    return report, colleges
