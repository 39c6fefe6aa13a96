"""Editing a text: a new version from the whole text, a proposed wording integrated in one
click or declined with a reason, the consultation opened (until a chosen day) and closed."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from enfance.accounts.naming import public_name
from enfance.core.access import get_visible_or_404, require
from enfance.core.forms import add_service_errors

from .. import services
from ..enums import ArticleProposalState
from ..forms import ConsultationForm, DeclineForm, VersionForm
from ..models import ArticleProposal, TextVersion
from ..perms import can_edit_text
from ..workflows import ARTICLE_PROPOSAL_WORKFLOW, workflow_of
from .common import breadcrumb, form_status, get_text, text_link


def _pending_choices(text) -> list[tuple[int, str]]:
    pending = (
        text.article_proposals.shown()
        .pending()
        .select_related("author__child_profile", "article")
        .order_by("created_at", "pk")
    )
    return [
        (p.pk, f"{p.article.label} — {public_name(p.author)} : « {p.body[:120]} »") for p in pending
    ]


def _started_from(request, text) -> TextVersion | None:
    """The version the editor's form was built from (its hidden ``based_on``): the form shown
    again after an error has the articles they filled in, even if a version came out since."""
    if request.method != "POST":
        return text.current_version
    try:
        return text.versions.get(number=int(request.POST.get("based_on", "")))
    except (ValueError, TextVersion.DoesNotExist):
        return None


def edit(request, slug, prefix):
    """A new version, from the whole text as it stands."""
    text = get_text(prefix, slug)
    require(request.user, can_edit_text, text)
    if not text.is_editable:
        messages.error(request, "Ce texte a été transmis : il ne change plus.")
        return redirect(text.get_absolute_url())
    current = text.current_version
    started_from = _started_from(request, text)
    articles = list((started_from or current).articles.order_by("number"))
    pending = _pending_choices(text)
    form = VersionForm(
        request.POST or None,
        articles=articles,
        pending=pending,
        initial={"title": current.title, "preamble": current.preamble, "based_on": current.number},
        preamble_label="Exposé des motifs" if text.is_law_proposal else "Préambule",
    )
    changed_since = None
    if request.method == "POST" and started_from is None:
        form.add_error(
            None, "La version de départ de ce formulaire est inconnue : rechargez la page."
        )
    if request.method == "POST" and form.is_valid():
        chosen = {int(pk) for pk in form.cleaned_data.get("integrated", [])}
        try:
            new = services.publish_version(
                text,
                by=request.user,
                articles=form.article_drafts(),
                summary=form.cleaned_data["summary"],
                preamble=form.cleaned_data["preamble"],
                title=form.cleaned_data["title"],
                integrated=list(text.article_proposals.shown().filter(pk__in=chosen)),
                based_on=started_from,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            if getattr(error, "code", None) == services.STALE_VERSION:
                changed_since = started_from
        else:
            messages.success(request, f"La version {new.number} est publiée.")
            return redirect(text.get_absolute_url())
    return render(
        request,
        "texts/edit.html",
        {
            "text": text,
            "form": form,
            "changed_since": changed_since,
            "breadcrumb_data": breadcrumb(prefix, text_link(text), current="Nouvelle version"),
        },
        status=form_status(form),
    )


def _proposal(text, pk) -> ArticleProposal:
    proposal = get_visible_or_404(
        text.article_proposals.shown().select_related("article", "author"), pk=pk
    )
    proposal.text = text
    return proposal


@require_POST
def integrate(request, slug, pk, prefix):
    text = get_text(prefix, slug)
    require(request.user, can_edit_text, text)
    proposal = _proposal(text, pk)
    try:
        new = services.integrate_proposal(proposal, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(text.url("article", proposal.article.key))
    messages.success(request, f"La proposition est intégrée : la version {new.number} est publiée.")
    return redirect(text.get_absolute_url())


def decline(request, slug, pk, prefix):
    text = get_text(prefix, slug)
    require(request.user, can_edit_text, text)
    proposal = _proposal(text, pk)
    if proposal.state != ArticleProposalState.PENDING:
        messages.info(request, "Cette proposition a déjà été traitée.")
        return redirect(text.url("article", proposal.article.key))
    refusal = ARTICLE_PROPOSAL_WORKFLOW.refusal(proposal, request.user, "decline")
    if refusal is not None:
        if refusal.error is PermissionDenied:
            raise refusal.exception()
        messages.error(request, refusal.reason)
        return redirect(text.url("article", proposal.article.key))
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decline_proposal(proposal, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "La proposition est marquée « non retenue », avec son motif.")
            return redirect(f"{text.url('article', proposal.article.key)}#propositions")
    return render(
        request,
        "texts/decline.html",
        {
            "text": text,
            "proposal": proposal,
            "form": form,
            "breadcrumb_data": breadcrumb(prefix, text_link(text), current="Ne pas retenir"),
        },
        status=form_status(form),
    )


def open_consultation(request, text, prefix):
    """The consultation opens today, until the day the person opening it chooses."""
    refusal = workflow_of(text).refusal(text, request.user, "open_consultation")
    if refusal is not None:
        if refusal.error is PermissionDenied:
            raise refusal.exception()
        messages.error(request, refusal.reason)
        return redirect(text.get_absolute_url())
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.open_consultation(
                text, by=request.user, closes_on=form.cleaned_data["closes_on"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "La consultation est ouverte.")
            return redirect(text.get_absolute_url())
    return render(
        request,
        "texts/open_consultation.html",
        {
            "text": text,
            "form": form,
            "breadcrumb_data": breadcrumb(prefix, text_link(text), current=form.page_title),
        },
        status=form_status(form),
    )


def transition(request, slug, name, prefix):
    text = get_text(prefix, slug)
    if name == "ouvrir-consultation":
        return open_consultation(request, text, prefix)
    actions = {"clore-consultation": services.close_consultation}
    if name not in actions:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        actions[name](text, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "C'est fait : l'état du texte est mis à jour.")
    return redirect(text.get_absolute_url())
