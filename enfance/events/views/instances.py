"""The pages of an instance that start from an event, served under the instances' addresses
(``instance_urls``): the elections of college members held at ateliers, and the instance
proposed at the end of a forum."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from enfance.assemblies.views.common import (
    default_ballot_dates,
    manage_crumbs,
    managed_instance,
)
from enfance.core.access import require
from enfance.core.forms import add_service_errors

from .. import services
from ..forms import CollegeElectionForm, InstanceProposalForm
from ..perms import is_host
from .common import visible

ELECTIONS_PER_PAGE = 20


def elections(request, slug):
    """Elections of college members at an atelier: open one, follow and conclude them."""
    instance = managed_instance(request, slug)
    form = CollegeElectionForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.open_college_election(instance, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "L'élection est ouverte aux personnes présentes.")
            return redirect("instance_events:elections", slug=slug)
    held = instance.elections.select_related("college", "event", "ballot")
    page = Paginator(held, ELECTIONS_PER_PAGE).get_page(request.GET.get("page"))
    if not request.POST:
        form.initial.update(default_ballot_dates())
    return render(
        request,
        "events/instance_elections.html",
        {
            "instance": instance,
            "form": form,
            "page_obj": page,
            "breadcrumb_data": manage_crumbs(instance, "Élections"),
        },
    )


def propose_instance(request, event_pk):
    """The hosts of a forum ouvert propose the instance it launches."""
    event = visible(request, event_pk)
    require(request.user, is_host, event)
    form = InstanceProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.propose_instance(event, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                "Merci ! Votre proposition d'instance est transmise à l'administration nationale, "
                "qui vous répondra par e-mail.",
            )
            return redirect(event.get_absolute_url())
    return render(request, "events/propose_instance.html", {"form": form, "event": event})
