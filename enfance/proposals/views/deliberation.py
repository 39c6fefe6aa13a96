"""The deliberation of an instance, from a proposal's page: taking it up, amendments and their
votes, the final vote, the transmission to the national level."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from enfance.assemblies.models import Instance
from enfance.core.access import get_visible_or_404, require
from enfance.core.forms import add_service_errors

from .. import services
from ..forms import AmendmentForm, TakeUpForm
from ..models import Amendment
from ..perms import (
    can_manage_deliberation,
    can_propose_amendment,
    can_take_up,
    managed_instance_ids,
)
from .common import breadcrumb, link, run, visible


@require_POST
def take_up(request, pk):
    proposal = visible(request, pk)
    require(request.user, can_take_up, proposal)
    ids = {proposal.instance_id} if proposal.instance_id else managed_instance_ids(request.user)
    form = TakeUpForm(request.POST, instances=Instance.objects.filter(pk__in=ids))
    if not form.is_valid():
        messages.error(request, "Choisissez l'instance qui délibère.")
        return redirect(proposal)
    instance = form.cleaned_data["instance"]
    return run(
        request,
        proposal,
        lambda: services.take_up(proposal, by=request.user, instance=instance),
        f"La proposition est en délibération à {instance}.",
    )


def new_amendment(request, pk):
    proposal = visible(request, pk)
    require(request.user, can_propose_amendment, proposal)
    form = AmendmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            amendment = services.propose_amendment(proposal, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"L'amendement n° {amendment.number} est déposé.")
            return redirect(amendment.get_absolute_url())
    return render(
        request,
        "proposals/amendment_form.html",
        {
            "form": form,
            "proposal": proposal,
            "breadcrumb_data": breadcrumb(link(proposal), current="Déposer un amendement"),
        },
    )


def _amendment(request, pk) -> Amendment:
    amendment = get_visible_or_404(Amendment.objects.select_related("proposal"), pk=pk)
    amendment.proposal = visible(request, amendment.proposal_id)
    require(request.user, can_manage_deliberation, amendment.proposal)
    return amendment


@require_POST
def open_amendment_vote(request, pk):
    amendment = _amendment(request, pk)
    return run(
        request,
        amendment.proposal,
        lambda: services.open_amendment_vote(amendment, by=request.user),
        f"Le vote sur l'amendement n° {amendment.number} est ouvert aux membres.",
    )


@require_POST
def conclude_amendment_vote(request, pk):
    amendment = _amendment(request, pk)
    return run(
        request,
        amendment.proposal,
        lambda: services.conclude_amendment_vote(amendment, by=request.user),
        f"Le vote sur l'amendement n° {amendment.number} est clos.",
    )


@require_POST
def open_decision_vote(request, pk):
    proposal = visible(request, pk)
    require(request.user, can_manage_deliberation, proposal)
    return run(
        request,
        proposal,
        lambda: services.open_decision_vote(proposal, by=request.user),
        "Le vote final est ouvert aux membres de l'instance.",
    )


@require_POST
def conclude_decision(request, pk):
    proposal = visible(request, pk)
    require(request.user, can_manage_deliberation, proposal)
    return run(
        request,
        proposal,
        lambda: services.conclude_decision(proposal, by=request.user),
        "Le vote final est clos : la décision de l'instance est enregistrée.",
    )


@require_POST
def transmit(request, pk):
    proposal = visible(request, pk)
    require(request.user, can_manage_deliberation, proposal)
    return run(
        request,
        proposal,
        lambda: services.transmit(proposal, by=request.user),
        "La proposition est transmise au niveau national avec la décision de l'instance.",
    )
