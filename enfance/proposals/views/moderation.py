"""Comments on a proposal and their moderation, through the shared pages of
``enfance.discussions``; the moderation's queue; « danger pour un enfant »."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from enfance.core.access import get_visible_or_404, require
from enfance.core.forms import add_service_errors
from enfance.discussions import views as discussions
from enfance.discussions.enums import CommentState
from enfance.discussions.forms import ReasonForm
from enfance.safeguarding import views as safeguarding_views

from .. import services
from ..enums import ProposalState
from ..forms import CommentForm
from ..models import Comment, Proposal
from ..perms import can_moderate
from ..services.comments import reportable_by
from .common import breadcrumb, link, visible
from .detail import detail_context

COMMENT_RATE = "10/m"


@require_POST
@ratelimit(key="user", rate=COMMENT_RATE, method="POST", block=False)
def comment(request, pk):
    proposal = visible(request, pk)
    form = CommentForm(request.POST)
    if getattr(request, "limited", False):
        form.is_valid()
        form.add_error(
            None,
            "Vous avez écrit beaucoup de commentaires en peu de temps : attendez une minute "
            "avant de recommencer. Votre texte est conservé ci-dessous.",
        )
    elif form.is_valid():
        try:
            created = services.add_comment(
                proposal,
                by=request.user,
                body=form.cleaned_data["body"],
                parent=form.cleaned_data.get("parent"),
            )
        except ValidationError as exc:
            if getattr(exc, "code", None) == "unknown_parent":
                # Sent again, the text becomes a new comment: the person chooses, nothing is lost.
                form = CommentForm({"body": form.cleaned_data["body"]})
                form.is_valid()
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            if created.state == CommentState.PENDING_MODERATION:
                messages.success(
                    request, "Merci ! Votre commentaire sera publié après une relecture."
                )
            else:
                messages.success(request, "Votre commentaire est publié.")
            return redirect(created.get_absolute_url())
    return render(
        request,
        "proposals/detail.html",
        detail_context(request, proposal, comment_form=form),
        status=429 if getattr(request, "limited", False) else 200,
    )


def _comment(request, pk) -> Comment:
    """A comment of a proposal the person may see, shown in the thread or awaiting moderation."""
    comments = Comment.objects.select_related("proposal", "author").filter(
        danger_hidden_at__isnull=True
    )
    if not can_moderate(request.user):
        comments = comments.filter(
            Q(state__in=[CommentState.PUBLISHED, CommentState.REMOVED]) | Q(author=request.user)
        )
    comment = get_visible_or_404(comments, pk=pk)
    visible(request, comment.proposal_id)
    return comment


def _comment_breadcrumb(comment: Comment, current: str) -> dict:
    return breadcrumb(link(comment.proposal), current=current)


def report_comment(request, pk):
    comment = _comment(request, pk)
    return discussions.report_page(
        request,
        comment,
        reportable=reportable_by(request.user),
        done_url=comment.get_absolute_url(),
        breadcrumb=_comment_breadcrumb(comment, "Signaler un abus"),
    )


def remove_comment(request, pk):
    comment = _comment(request, pk)
    return discussions.remove_page(
        request,
        comment,
        done_url=comment.proposal.get_absolute_url(),
        back_url=comment.get_absolute_url(),
        breadcrumb=_comment_breadcrumb(comment, "Retirer un commentaire"),
    )


@require_POST
def publish_comment(request, pk):
    comment = _comment(request, pk)
    return discussions.publish(
        request,
        comment,
        done_url=comment.proposal.get_absolute_url(),
        publish=services.publish_comment,
    )


def flag_comment(request, pk):
    comment = _comment(request, pk)
    return safeguarding_views.flag_page(
        request,
        comment,
        back_url=comment.get_absolute_url(),
        done_url=comment.proposal.get_absolute_url(),
        breadcrumb=_comment_breadcrumb(comment, "Danger pour un enfant"),
    )


def flag_proposal(request, pk):
    proposal = visible(request, pk)
    return safeguarding_views.flag_page(
        request,
        proposal,
        back_url=proposal.get_absolute_url(),
        done_url=reverse("proposals:list"),
        breadcrumb=breadcrumb(link(proposal), current="Danger pour un enfant"),
    )


def moderation(request):
    require(request.user, lambda user, _obj: can_moderate(user))
    return render(
        request,
        "proposals/moderation.html",
        {
            "proposals": Proposal.objects.filter(
                state=ProposalState.PENDING_MODERATION, danger_hidden_at__isnull=True
            ).order_by("updated_at")[:100],
            "pending_comments": Comment.objects.awaiting_moderation()
            .select_related("proposal", "author__child_profile")
            .order_by("created_at")[:100],
            "reported_comments": Comment.objects.reported().select_related(
                "proposal", "author__child_profile"
            )[:100],
            "breadcrumb_data": breadcrumb(current="Modération"),
        },
    )


def moderate_proposal(request, pk):
    """Publish at once (the "approve" button of the moderation page), or send back to the draft
    with a reason, on a page of its own where a refused reason comes back as typed."""
    require(request.user, lambda user, _obj: can_moderate(user))
    proposal = get_visible_or_404(
        Proposal.objects.filter(
            state=ProposalState.PENDING_MODERATION, danger_hidden_at__isnull=True
        ),
        pk=pk,
    )
    if request.method == "POST" and request.POST.get("action") == "approve":
        try:
            services.moderate_proposal(proposal, by=request.user, approve=True)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "La proposition est publiée.")
        return redirect("proposals:moderation")
    form = ReasonForm(
        request.POST or None,
        limit=services.MODERATION_REASON_MAX_LENGTH,
        label="Motif du renvoi",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.moderate_proposal(
                proposal, by=request.user, approve=False, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "La proposition est renvoyée au brouillon.")
            return redirect("proposals:moderation")
    return discussions.reason_page(
        request,
        proposal,
        form=form,
        title="Renvoyer au brouillon",
        intro="La proposition redevient un brouillon que son auteur ou son autrice pourra "
        "reprendre. Le motif est gardé dans l'historique de la proposition.",
        button="Renvoyer au brouillon",
        back_url=reverse("proposals:moderation"),
        breadcrumb=breadcrumb(link(proposal), current="Renvoyer au brouillon"),
    )
