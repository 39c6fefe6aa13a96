"""A proposal's page: its text, its deliberation, its thread of comments (cached by kind of
visitor), and what the person may do there (``proposal.abilities``). Visitors who are not signed
in get the whole page from the cache (core.pagecache)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from enfance.accounts.naming import public_name
from enfance.assemblies.models import Instance
from enfance.core.cache import digest, rebuilt_once
from enfance.core.pagecache import is_shared_visitor, visitor_page

from .. import services
from ..caching import COMMENTS_TTL, PAGE_TTL, comments_key, page_versions
from ..enums import ProposalState
from ..forms import CommentForm, TakeUpForm
from ..models import Amendment, Comment, Follow, Proposal, Support
from ..perms import managed_instance_ids
from .common import breadcrumb, error_text, visible

COMMENTS_PER_PAGE = 30
# What the proposal page shows that may change without a bump of its page version (supports and
# comments are counted by update()); the rest is bumped by signals.py or waits PAGE_TTL.
_PAGE_FIELDS = (
    "state",
    "support_count",
    "comment_count",
    "updated_at",
    "decision_ballot_id",
    "taken_up_at",
    "decided_at",
    "transmitted_at",
    "is_flagship",
)


@login_not_required
def detail(request, pk):
    def build(**extra):
        proposal = visible(request, pk, Proposal.objects.select_related("decision_ballot"))
        return render(
            request, "proposals/detail.html", {**detail_context(request, proposal), **extra}
        )

    if not is_shared_visitor(request) or set(request.GET) - {"page"}:
        return build()
    # Not signed in: one query without joins says the proposal is still public, and what of it
    # may have changed; a hidden proposal is never read here, so it vanishes at once.
    shown = Proposal.objects.published().filter(pk=pk).values_list(*_PAGE_FIELDS).first()
    if shown is None:
        raise Http404("Cette page n'existe pas ou ne vous est pas accessible.")
    key = f"proposal-page:{pk}:{page_versions(pk)}:{digest(request.get_full_path())}"
    return visitor_page(request, key, build, fresh_for=PAGE_TTL, token=shown)


def _comment_page(request, proposal: Proposal):
    shown = Comment.objects.shown().select_related("author__child_profile")
    threads = (
        shown.filter(proposal=proposal, parent__isnull=True)
        .prefetch_related(Prefetch("replies", queryset=shown.order_by("created_at", "pk")))
        .order_by("created_at", "pk")
    )
    page = Paginator(threads, COMMENTS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    # What may be done with a comment depends on its proposal: known here, not read again.
    for thread in page.object_list:
        thread.proposal = proposal
        for reply in thread.replies.all():
            reply.proposal = proposal
    return page


def _comments_block(request, proposal: Proposal, abilities: dict) -> tuple[str, int]:
    """The rendered thread of the requested page of comments, and that page's number. What may
    be done with each comment depends only on being signed in, allowed to comment and to
    moderate: the thread is cached once for each such kind of visitor (caching.comments_key)."""
    if not proposal.is_public:
        return "", 1

    def render_page() -> tuple[str, int]:
        page = _comment_page(request, proposal)
        context = {
            "comments": page,
            "with_replies": True,
            "user": request.user,
            "request": request,
        }
        return render_to_string("discussions/thread.html", context), page.number

    requested = request.GET.get("page", "1")
    # Other parameters (?repondre=) go into the pagination links: that thread is not shared.
    if set(request.GET) - {"page"} or not requested.isdigit() or len(requested) > 6:
        return render_page()
    variant = (
        f"{int(request.user.is_authenticated)}{int(abilities['comment'])}"
        f"{int(abilities['moderate_comments'])}"
    )
    rendered = []

    def build():
        rendered.append(render_page())
        # A page beyond the last is answered with the last one, not kept under its number.
        return rendered[0] if rendered[0][1] == int(requested) else None

    cached = rebuilt_once(
        comments_key(proposal.pk, int(requested), variant), build, fresh_for=COMMENTS_TTL
    )
    html, number = cached if cached is not None else rendered[0]
    return mark_safe(html), number  # noqa: S308 - rendered by our template, escaped there


def _reply_to(request) -> int | None:
    value = request.GET.get("repondre", "")
    return int(value) if value.isdigit() else None


def detail_context(request, proposal: Proposal, **extra) -> dict:
    user = request.user
    if proposal.state != ProposalState.PUBLISHED:
        # Read once, for the page and for what its buttons allow (workflows.py).
        prefetch_related_objects(
            [proposal],
            Prefetch(
                "amendments",
                queryset=Amendment.objects.select_related("ballot").order_by("number"),
            ),
        )
    abilities = proposal.abilities(user)
    supported = following = False
    if user.is_authenticated:
        supported = Support.objects.filter(proposal=proposal, user=user).exists()
        following = Follow.objects.filter(proposal=proposal, user=user, active=True).exists()
    take_up_instances = []
    if abilities["take_up"]:
        ids = {proposal.instance_id} if proposal.instance_id else managed_instance_ids(user)
        take_up_instances = list(Instance.objects.filter(pk__in=ids).order_by("name"))
    pending_comments = (
        list(Comment.objects.awaiting_moderation().filter(proposal=proposal)
             .select_related("author__child_profile"))
        if abilities["moderate_comments"] else []
    )  # fmt: skip
    comments_block, comments_number = _comments_block(request, proposal, abilities)
    context = {
        "proposal": proposal,
        "abilities": abilities,
        "themes": list(proposal.themes.all()),
        # Where it went: the propositions de loi that consolidate it (texts app).
        "law_proposals": list(proposal.law_proposals.order_by("pk")),
        "comments_block": comments_block,
        "comments_number": comments_number,
        "pending_comments": pending_comments,
        "comment_form": CommentForm(initial={"parent": _reply_to(request)}),
        "supported": supported,
        "following": following,
        "take_up_form": TakeUpForm(instances=take_up_instances) if take_up_instances else None,
        "amendments": list(proposal.amendments.all())
        if proposal.state != ProposalState.PUBLISHED
        else [],
        "author_name": public_name(proposal.author) if proposal.author_id else "",
        "breadcrumb_data": breadcrumb(current=proposal.title),
    }
    context.update(extra)
    return context


@require_POST
def support(request, pk):
    proposal = visible(request, pk)
    try:
        if request.POST.get("action") == "withdraw":
            services.withdraw_support(proposal, by=request.user)
            messages.success(request, "Votre soutien est retiré.")
        else:
            services.support(proposal, by=request.user)
            messages.success(
                request,
                "Merci pour votre soutien ! Vous suivez désormais cette proposition : vous "
                "recevrez un résumé quotidien de ses nouvelles.",
            )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect(proposal)


@require_POST
def follow(request, pk):
    proposal = visible(request, pk)
    on = request.POST.get("action") != "stop"
    services.set_following(proposal, by=request.user, follow=on)
    messages.success(
        request,
        "Vous suivez cette proposition." if on else "Vous ne suivez plus cette proposition.",
    )
    return redirect(proposal)
