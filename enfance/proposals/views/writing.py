"""Writing a proposal: the form, similar proposals shown while the title is typed, the draft
and its publication."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from enfance.assemblies.models import Instance
from enfance.core import fulltext
from enfance.core.access import require
from enfance.core.forms import add_service_errors

from .. import services
from ..enums import ProposalState
from ..forms import ProposalForm
from ..models import Proposal
from ..perms import can_edit_proposal, managed_instance_ids
from .common import breadcrumb, error_text, link, visible

SIMILAR_COUNT = 3
# The similarity query needs a few words to mean something.
SIMILAR_MIN_CHARACTERS = 8


def _managed_instances(user):
    return list(Instance.objects.filter(pk__in=managed_instance_ids(user)).order_by("name"))


def _similar(title: str, problem: str = "", exclude_pk=None) -> list[Proposal]:
    text = f"{title} {problem}".strip()
    if len(text) < SIMILAR_MIN_CHARACTERS:
        return []
    candidates = Proposal.objects.published()
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    return list(
        fulltext.search(candidates, text, match="any")
        .order_by("-search_rank", "-support_count", "-pk")
        .only("pk", "title", "support_count", "state")[:SIMILAR_COUNT]
    )


def similar(request):
    """The htmx fragment of similar proposals, shown while the title is typed."""
    title = request.GET.get("title", "")[:500]
    problem = request.GET.get("problem", "")[:2000]
    exclude = request.GET.get("exclude")
    return render(
        request,
        "proposals/_similar.html",
        {
            "similar": _similar(title, problem, exclude if (exclude or "").isdigit() else None),
            "checked": True,
        },
    )


def _save_proposal(request, form, proposal=None):
    data = form.cleaned_data
    fields = {
        "title": data["title"],
        "problem": data["problem"],
        "body": data["body"],
        "expected_effect": data["expected_effect"],
        "departement": data.get("departement"),
        "themes": data.get("themes") or [],
    }
    if proposal is None:
        return services.create_proposal(by=request.user, instance=data.get("instance"), **fields)
    return services.update_proposal(proposal, by=request.user, **fields)


def _write(request, proposal=None):
    managed = _managed_instances(request.user) if proposal is None else []
    initial = None
    if proposal is not None:
        initial = {
            "title": proposal.title,
            "problem": proposal.problem,
            "body": proposal.body,
            "expected_effect": proposal.expected_effect,
            "departement": proposal.departement,
            "themes": list(proposal.themes.all()),
        }
    form = ProposalForm(request.POST or None, initial=initial, managed_instances=managed)
    # With JavaScript, similar proposals appear while the title is typed (htmx); without it,
    # the "Vérifier les propositions proches" button does the same.
    form.fields["title"].widget.attrs.update(
        {
            "hx-get": reverse("proposals:similar"),
            "hx-trigger": "input changed delay:600ms",
            "hx-target": "#propositions-proches",
            "hx-swap": "outerHTML",
            "hx-include": "[name=problem]",
            "hx-vals": f'{{"exclude": "{proposal.pk if proposal else ""}"}}',
        }
    )
    action = request.POST.get("action", "")
    similar_list, checked = [], False
    if request.method == "POST" and action == "similar":
        # "Vérifier les propositions proches" without JavaScript: the form comes back as typed.
        checked = True
        similar_list = _similar(
            request.POST.get("title", ""),
            request.POST.get("problem", ""),
            proposal.pk if proposal else None,
        )
    elif request.method == "POST" and form.is_valid():
        try:
            saved = _save_proposal(request, form, proposal)
            if action == "publish":
                saved = services.publish_proposal(saved, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or "Vous n'avez pas le droit de faire cela.")
        else:
            if saved.state == ProposalState.PUBLISHED:
                messages.success(request, "Votre proposition a été publiée. Merci !")
            elif saved.state == ProposalState.PENDING_MODERATION:
                messages.success(
                    request,
                    "Votre proposition est envoyée : elle sera publiée après une relecture "
                    "par l'équipe de modération.",
                )
            else:
                messages.success(request, "Votre brouillon est enregistré.")
            return redirect(saved)
    title = "Modifier le brouillon" if proposal else "Écrire une proposition"
    links = [link(proposal)] if proposal else []
    return render(
        request,
        "proposals/write.html",
        {
            "form": form,
            "proposal": proposal,
            "title": title,
            "similar": similar_list,
            "checked": checked,
            "breadcrumb_data": breadcrumb(*links, current=title),
        },
    )


def write(request):
    return _write(request)


def edit(request, pk):
    proposal = visible(request, pk)
    require(request.user, can_edit_proposal, proposal)
    return _write(request, proposal)


@require_POST
def publish(request, pk):
    proposal = visible(request, pk)
    try:
        proposal = services.publish_proposal(proposal, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        if proposal.state == ProposalState.PUBLISHED:
            messages.success(request, "Votre proposition a été publiée. Merci !")
        else:
            messages.success(request, "Votre proposition sera publiée après relecture.")
    return redirect(proposal)
