"""The instances proposed at the end of forums, as the administrateur national answers them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from enfance.core.access import get_visible_or_404, require

from .. import perms, services
from ..models import InstanceProposal

PROPOSALS_PER_PAGE = 20


def instance_proposals(request):
    require(request.user, perms.can_create_instance, None)
    pending = InstanceProposal.objects.filter(status="proposee").select_related(
        "event", "departement", "proposed_by"
    )
    page = Paginator(pending, PROPOSALS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "assemblies/proposals.html",
        {
            "page_obj": page,
            # A regional administrator answers for the départements of the région only.
            "rows": [
                {"proposal": p, "abilities": p.abilities(request.user)} for p in page.object_list
            ],
        },
    )


@require_POST
def decide_instance_proposal(request, pk, decision):
    proposal = get_visible_or_404(InstanceProposal.objects.filter(status="proposee"), pk=pk)
    try:
        if decision == "accepter":
            instance = services.accept_instance_proposal(proposal, by=request.user)
            messages.success(request, f"L'instance « {instance.name} » est créée.")
        elif decision == "refuser":
            reason = request.POST.get("reason", "")
            services.refuse_instance_proposal(proposal, by=request.user, reason=reason)
            messages.success(
                request,
                "La proposition est refusée ; la personne qui anime l'instance est prévenue.",
            )
        else:
            raise PermissionDenied
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("assemblies:proposals")
