"""The instances on the home page (``core.home``): how many are constituted and how many are in
creation, in one aggregate query."""

from django.db.models import Count, Q

from enfance.core import fulltext
from enfance.core.home import Result, Section, Source, register_section, register_source

from .caching import INSTANCES
from .enums import InstanceStatus
from .models import Instance

CONSTITUTED = (InstanceStatus.CONSTITUEE, InstanceStatus.ACTIVE)


def _context(request) -> dict:
    return Instance.objects.aggregate(
        constituted=Count("pk", filter=Q(status__in=CONSTITUTED)),
        in_creation=Count("pk", filter=Q(status=InstanceStatus.EN_CREATION)),
    )


register_section(
    Section(
        name="instances",
        order=40,
        template="assemblies/home_section.html",
        context=_context,
        versions=(INSTANCES,),
    )
)


def _find(query: str, limit: int) -> list[Result]:
    listed = Instance.objects.exclude(status=InstanceStatus.DISSOUTE).select_related("departement")
    found = fulltext.search(listed, query).order_by("-search_rank", "name", "pk")
    return [
        Result(
            title=instance.name,
            url=instance.get_absolute_url(),
            line=f"{instance.departement} · {instance.get_status_display()}",
        )
        for instance in found[:limit]
    ]


register_source(Source(name="instances", label="Instances locales", order=10, find=_find))
