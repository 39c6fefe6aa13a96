"""The pages of law proposals only: consolidating adopted proposals into one, recording its
transmissions and what followed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from enfance.core.access import require
from enfance.core.forms import add_service_errors
from enfance.proposals.models import Proposal

from .. import services
from ..forms import FollowUpForm, LawProposalForm, TransmissionForm
from ..perms import can_manage_law_proposals
from .common import breadcrumb, form_status, get_text, text_link


def law_create(request):
    require(request.user, can_manage_law_proposals)
    adopted = list(Proposal.objects.adopted().order_by("title").only("pk", "title"))
    initial = {}
    wanted = request.GET.getlist("proposition")
    if wanted:
        initial["source_proposals"] = [str(p.pk) for p in adopted if str(p.pk) in wanted]
        if len(initial["source_proposals"]) == 1:
            chosen = next(p for p in adopted if str(p.pk) == initial["source_proposals"][0])
            initial["title"] = chosen.title
    form = LawProposalForm(request.POST or None, adopted=adopted, initial=initial)
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["source_proposals"])
        try:
            law = services.consolidate_law_proposal(
                by=request.user,
                title=form.cleaned_data["title"],
                preamble=form.cleaned_data["preamble"],
                articles=form.article_drafts(),
                source_proposals=[p for p in adopted if str(p.pk) in chosen],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "La proposition de loi est créée (version 1, en rédaction).")
            return redirect(law.get_absolute_url())
    return render(
        request,
        "texts/law_create.html",
        {
            "form": form,
            "has_adopted": bool(adopted),
            "breadcrumb_data": breadcrumb("law", current="Nouvelle proposition de loi"),
        },
        status=form_status(form),
    )


def _law_form_page(request, slug, form_class, template, service, success):
    law = get_text("law", slug)
    require(request.user, can_manage_law_proposals, law)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(law, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(law.get_absolute_url())
    return render(
        request,
        template,
        {
            "text": law,
            "form": form,
            "breadcrumb_data": breadcrumb("law", text_link(law), current=form.page_title),
        },
        status=form_status(form),
    )


def transmit(request, slug, prefix):
    return _law_form_page(
        request,
        slug,
        TransmissionForm,
        "texts/law_transmit.html",
        services.record_transmission,
        "La transmission est enregistrée.",
    )


def follow_up(request, slug, prefix):
    return _law_form_page(
        request,
        slug,
        FollowUpForm,
        "texts/law_follow_up.html",
        services.record_follow_up,
        "La suite donnée est enregistrée.",
    )
