"""The instances on the home page (``core.home``): how many are constituted and how many are in
creation, in one aggregate query."""

from django.db.models import Count, Q

from enfance.core.home import Section, register_section

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
