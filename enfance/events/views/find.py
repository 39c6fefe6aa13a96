"""« Trouver mon instance »: from a commune or a postal code, the instance of that territory (or
the instances in creation in its département), the next forums and ateliers there, and how to
join. Here, above the instances, because it shows events too."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import render

from enfance.assemblies.enums import InstanceStatus
from enfance.assemblies.models import Instance
from enfance.core.navigation import breadcrumb
from enfance.territories.search import commune_label, resolve_commune, search_communes

from ..enums import EventKind
from ..home import upcoming_public_events

# Commune names stay under 50 characters; what is longer is cut, never refused.
MAX_QUERY_LENGTH = 100
NEARBY_EVENTS = 3
IN_CREATION_SHOWN = 5
CHOICES_SHOWN = 10
CONSTITUTED = (InstanceStatus.CONSTITUEE, InstanceStatus.ACTIVE)


def territory_offer(commune) -> dict:
    """What a person of this commune can join: bounded queries, whatever the département."""
    departement = commune.departement
    open_instances = Instance.objects.filter(departement=departement).exclude(
        status__in=[InstanceStatus.SUSPENDUE, InstanceStatus.DISSOUTE]
    )
    # An instance covers its « bassin de vie » (its communes), or the whole département when it
    # lists none.
    covering = list(
        open_instances.filter(communes=commune).order_by("name")[:IN_CREATION_SHOWN]
    ) + list(open_instances.filter(communes__isnull=True).order_by("name")[:IN_CREATION_SHOWN])
    constituted = [i for i in covering if i.status in CONSTITUTED]
    in_creation = []
    if not constituted:
        in_creation = list(
            open_instances.filter(status=InstanceStatus.EN_CREATION).order_by("name")[
                :IN_CREATION_SHOWN
            ]
        )
    events = list(
        upcoming_public_events().filter(
            departement=departement, kind__in=[EventKind.FORUM, EventKind.ATELIER]
        )[:NEARBY_EVENTS]
    )
    return {
        "commune": commune,
        "departement": departement,
        "constituted": constituted,
        "in_creation": in_creation,
        "events": events,
    }


@login_not_required
def find_instance(request):
    query = " ".join(request.GET.get("q", "")[:MAX_QUERY_LENGTH].split())
    context = {
        "query": query,
        "breadcrumb_data": breadcrumb(current="Trouver mon instance"),
    }
    if query:
        try:
            commune = resolve_commune(query)
        except ValidationError as error:
            context["error"] = error.messages[0]
            context["choices"] = [
                commune_label(c) for c in search_communes(query, limit=CHOICES_SHOWN)
            ]
        else:
            context.update(territory_offer(commune))
            context["commune_label"] = commune_label(commune)
    return render(request, "events/find_instance.html", context)
