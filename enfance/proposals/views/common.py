"""What every page of proposals uses: its breadcrumb and how it reads a proposal."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse

from enfance.core.access import get_visible_or_404

from ..models import Proposal


def breadcrumb(*links, current: str) -> dict:
    root = {"url": reverse("proposals:list"), "title": "Propositions"}
    return {"links": [root, *links], "current": current, "root_dir": reverse("core:home")}


def link(proposal: Proposal) -> dict:
    return {"url": proposal.get_absolute_url(), "title": proposal.title}


def visible(request, pk, queryset=None) -> Proposal:
    """The proposal as this person may see it; 404 otherwise."""
    queryset = queryset if queryset is not None else Proposal.objects.all()
    return get_visible_or_404(
        queryset.visible_to(request.user).select_related(
            "departement", "region", "instance__departement", "author__child_profile"
        ),
        pk=pk,
    )


def error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def run(request, proposal, action, success: str):
    """A button's action: the service's refusal as a message, the page again."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or "Vous n'avez pas le droit de faire cela.")
    else:
        messages.success(request, success)
    return redirect(proposal)
