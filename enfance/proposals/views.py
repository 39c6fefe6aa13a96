import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from enfance.assemblies.models import Instance
from enfance.core import fulltext
from enfance.core.access import get_visible_or_404, require
from enfance.safeguarding import services as safeguarding
from enfance.safeguarding.forms import DangerFlagForm
from enfance.territories.services import cache_version
from enfance.texts.perms import can_manage_law_proposals

from . import services
from .caching import (
    CARD_TTL,
    COMMENTS_TTL,
    CachedResults,
    anonymous_page,
    comments_key,
    digest,
    page_version,
    proposals_version,
    shareable,
    themes_version,
)
from .enums import ADOPTED_STATES, AmendmentState, CommentState, ProposalState
from .forms import (
    AmendmentForm,
    CommentForm,
    ProposalFilterForm,
    ProposalForm,
    ReasonForm,
    TakeUpForm,
)
from .models import Amendment, Comment, Follow, Proposal, Support, public_name
from .perms import (
    can_comment,
    can_edit_proposal,
    can_manage_deliberation,
    can_moderate,
    can_propose_amendment,
    can_support,
    can_take_up,
    managed_instance_ids,
)
from .workflows import PROPOSAL_WORKFLOW

PROPOSALS_PER_PAGE = 20
# The ids of ten pages are read (and cached) at once: ranking costs the same for 20 as for 200.
RESULTS_WINDOW = PROPOSALS_PER_PAGE * 10
COMMENTS_PER_PAGE = 30
SIMILAR_COUNT = 3
# The similarity query needs a few words to mean something.
SIMILAR_MIN_CHARACTERS = 8
COMMENT_RATE = "10/m"


def _breadcrumb(*links, current: str) -> dict:
    root = {"url": reverse("proposals:list"), "title": "Propositions"}
    return {"links": [root, *links], "current": current, "root_dir": reverse("core:home")}


def _link(proposal: Proposal) -> dict:
    return {"url": proposal.get_absolute_url(), "title": proposal.title}


def _visible(request, pk, queryset=None) -> Proposal:
    queryset = queryset if queryset is not None else Proposal.objects.all()
    return get_visible_or_404(
        queryset.visible_to(request.user).select_related(
            "departement", "region", "instance__departement", "author__child_profile"
        ),
        pk=pk,
    )


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# The list -------------------------------------------------------------------------------------


@login_not_required
def proposal_list(request):
    form = ProposalFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    proposals = Proposal.objects.published()
    instance = None
    if filters.get("instance"):
        instance = Instance.objects.filter(slug=filters["instance"]).first()
        proposals = proposals.filter(instance=instance) if instance else proposals.none()
    if filters.get("region"):
        proposals = proposals.filter(
            Q(region=filters["region"]) | Q(departement__region=filters["region"])
        )
    if filters.get("departement"):
        proposals = proposals.filter(departement=filters["departement"])
    if filters.get("theme"):
        proposals = proposals.filter(themes=filters["theme"])
    if filters.get("etat"):
        proposals = proposals.filter(state=filters["etat"])
    query = (filters.get("q") or "").strip()
    sort = filters.get("tri") or ""
    if query:
        proposals = fulltext.search(proposals, query)
    if sort == "soutiens":
        proposals = proposals.order_by("-support_count", "-published_at", "-pk")
    elif query and not sort:
        proposals = proposals.order_by("-search_rank", "-pk")
    else:
        proposals = proposals.order_by("-published_at", "-pk")
    key = _list_key(filters, instance, query, sort)
    filtered = form.is_bound and any(filters.get(k) for k in ("q", *FILTER_KEYS))
    filters_version = f"{themes_version()}.{cache_version()}"

    def build(page, **extra):
        return render(
            request,
            "proposals/list.html",
            {
                "form": form,
                "page_obj": page,
                "cards": _cards(page.object_list),
                "filters_version": filters_version,
                "query": query,
                "filtered": filtered,
                "instance": instance,
                "flagship": Proposal.objects.published().flagship() if not filtered else [],
                **extra,
            },
        )

    number = request.GET.get("page")
    if not shareable(request):
        results = CachedResults(proposals, key, _fresh_proposals, RESULTS_WINDOW)
        return build(Paginator(results, PROPOSALS_PER_PAGE).get_page(number))
    # Not signed in: the whole page, under what a cheap fresh read of the proposals shown gives.
    rows = CachedResults(proposals, key, _fresh_rows, RESULTS_WINDOW)
    page = Paginator(rows, PROPOSALS_PER_PAGE).get_page(number)
    flagship = _flagship_rows() if not filtered else []
    shown = (page.number, page.object_list, flagship, filters_version, request.get_full_path())

    def build_page(**extra):
        found = _fresh_proposals([row[0] for row in page.object_list])
        page.object_list = [found[row[0]] for row in page.object_list if row[0] in found]
        return build(page, **extra)

    return anonymous_page(request, f"proposals-list-page:{key}:{digest(shown)}", build_page)


# What a card or a flagship shows that may change without a bump of the proposals version.
_ROW_FIELDS = ("pk", "support_count", "comment_count", "state", "updated_at")


def _fresh_rows(ids: list[int]) -> dict:
    return {
        row[0]: row
        for row in Proposal.objects.published().filter(pk__in=ids).values_list(*_ROW_FIELDS)
    }


def _flagship_rows() -> list:
    return list(Proposal.objects.published().flagship().values_list(*_ROW_FIELDS))


FILTER_KEYS = ("region", "departement", "theme", "etat", "instance")


def _list_key(filters: dict, instance, query: str, sort: str) -> str:
    """One key per question: the search words (case and spaces do not matter to the search),
    filters and sort, under the version that every change of a published proposal bumps."""
    question = (
        " ".join(query[: fulltext.MAX_QUERY_CHARACTERS].casefold().split()),
        *(getattr(filters.get(name), "pk", None) for name in ("region", "departement", "theme")),
        filters.get("etat") or "",
        filters.get("instance") or "",
        instance.pk if instance else None,
        sort,
    )
    digest = hashlib.sha256(repr(question).encode()).hexdigest()[:32]
    return f"proposals-list:{proposals_version()}:{digest}"


def _cards(proposals: list[Proposal]) -> list[str]:
    """The cards of a page of proposals. A card is cached under the digest of everything it
    shows, read fresh with the page: any change gives a new key, so a card is never stale."""
    keys = {}
    for proposal in proposals:
        shown = (
            proposal.pk,
            proposal.title,
            proposal.problem,
            proposal.state,
            proposal.is_flagship,
            proposal.support_count,
            proposal.comment_count,
            proposal.territory_label,
            str(proposal.instance) if proposal.instance_id else "",
            [theme.label for theme in proposal.themes.all()],
        )
        keys[proposal.pk] = "proposal-card:" + hashlib.sha256(repr(shown).encode()).hexdigest()
    cached = cache.get_many(keys.values())
    missing = {}
    for proposal in proposals:
        if keys[proposal.pk] not in cached:
            html = render_to_string("proposals/_card.html", {"proposal": proposal})
            cached[keys[proposal.pk]] = missing[keys[proposal.pk]] = html
    if missing:
        cache.set_many(missing, CARD_TTL)
    return [mark_safe(cached[keys[proposal.pk]]) for proposal in proposals]  # noqa: S308


def _fresh_proposals(ids: list[int]) -> dict:
    """The proposals of a page, read now: current supports, and a proposal hidden since the ids
    were cached is left out at once."""
    # A card shows neither the proposal itself nor its expected effect: up to 20 KB a row unread.
    return Proposal.objects.published().for_list().defer("body", "expected_effect").in_bulk(ids)


def my_proposals(request):
    proposals = (
        Proposal.objects.filter(author=request.user).for_list().order_by("-updated_at", "-pk")
    )
    page = Paginator(proposals, PROPOSALS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "proposals/mine.html",
        {"page_obj": page, "breadcrumb_data": _breadcrumb(current="Mes propositions")},
    )


# The proposal page ------------------------------------------------------------------------------


def _comment_page(request, proposal: Proposal):
    shown = Comment.objects.shown().select_related("author__child_profile")
    threads = (
        shown.filter(proposal=proposal, parent__isnull=True)
        .prefetch_related(Prefetch("replies", queryset=shown.order_by("created_at", "pk")))
        .order_by("created_at", "pk")
    )
    return Paginator(threads, COMMENTS_PER_PAGE).get_page(request.GET.get("page"))


def _comments_block(request, proposal: Proposal, *, can_comment, can_moderate) -> tuple[str, int]:
    """The rendered thread of the requested page of comments, and that page's number. Under each
    comment, the links depend only on being signed in, allowed to comment and to moderate: the
    thread is cached once for each such kind of visitor (caching.comments_key)."""
    if not proposal.is_public:
        return "", 1

    def render_page() -> tuple[str, int]:
        page = _comment_page(request, proposal)
        context = {
            "comments": page,
            "user": request.user,
            "request": request,
            "can_comment": can_comment,
            "can_moderate": can_moderate,
        }
        return render_to_string("proposals/_comments.html", context), page.number

    requested = request.GET.get("page", "1")
    # Other parameters (?repondre=) go into the pagination links: that thread is not shared.
    if set(request.GET) - {"page"} or not requested.isdigit() or len(requested) > 6:
        return render_page()
    variant = f"{int(request.user.is_authenticated)}{int(can_comment)}{int(can_moderate)}"
    key = comments_key(proposal.pk, int(requested), variant)
    cached = cache.get(key)
    if cached is None:
        cached = render_page()
        # A page beyond the last is answered with the last one, not kept under its number.
        if cached[1] == int(requested):
            cache.set(key, cached, COMMENTS_TTL)
    html, number = cached
    return mark_safe(html), number  # noqa: S308 - rendered by our template, escaped there


def _reply_to(request) -> int | None:
    value = request.GET.get("repondre", "")
    return int(value) if value.isdigit() else None


def _detail_context(request, proposal: Proposal, **extra) -> dict:
    user = request.user
    supported = following = False
    if user.is_authenticated:
        supported = Support.objects.filter(proposal=proposal, user=user).exists()
        following = Follow.objects.filter(proposal=proposal, user=user, active=True).exists()
    amendments = list(
        proposal.amendments.select_related("ballot").order_by("number")
    ) if proposal.state != ProposalState.PUBLISHED else []  # fmt: skip
    take_up_instances = []
    if proposal.state == ProposalState.PUBLISHED and can_take_up(user, proposal):
        ids = managed_instance_ids(user)
        if proposal.instance_id:
            ids = {proposal.instance_id}
        take_up_instances = list(Instance.objects.filter(pk__in=ids).order_by("name"))
    may_comment, may_moderate = can_comment(user, proposal), can_moderate(user)
    pending_comments = (
        list(Comment.objects.awaiting_moderation().filter(proposal=proposal)
             .select_related("author"))
        if may_moderate else []
    )  # fmt: skip
    comments_block, comments_number = _comments_block(
        request, proposal, can_comment=may_comment, can_moderate=may_moderate
    )
    context = {
        "proposal": proposal,
        "themes": list(proposal.themes.all()),
        # Where it went: the propositions de loi that consolidate it (texts app).
        "law_proposals": list(proposal.law_proposals.order_by("pk")),
        "comments_block": comments_block,
        "comments_number": comments_number,
        "pending_comments": pending_comments,
        "comment_form": CommentForm(initial={"parent": _reply_to(request)}),
        "supported": supported,
        "following": following,
        "can_support": can_support(user, proposal),
        "can_comment": may_comment,
        "can_edit": can_edit_proposal(user, proposal),
        "can_moderate": may_moderate,
        "can_amend": can_propose_amendment(user, proposal),
        "can_manage": can_manage_deliberation(user, proposal),
        "can_consolidate": proposal.state in ADOPTED_STATES and can_manage_law_proposals(user),
        "transitions": [t.name for t in PROPOSAL_WORKFLOW.available(proposal, user)],
        "take_up_form": TakeUpForm(instances=take_up_instances) if take_up_instances else None,
        "amendments": amendments,
        "amendments_waiting": any(
            a.state in (AmendmentState.PROPOSED, AmendmentState.VOTING) for a in amendments
        ),
        "author_name": public_name(proposal.author) if proposal.author_id else "",
        "breadcrumb_data": _breadcrumb(current=proposal.title),
    }
    context.update(extra)
    return context


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
        proposal = _visible(request, pk, Proposal.objects.select_related("decision_ballot"))
        return render(
            request, "proposals/detail.html", {**_detail_context(request, proposal), **extra}
        )

    if not shareable(request) or set(request.GET) - {"page"}:
        return build()
    # Not signed in: one query without joins says the proposal is still public, and what of it
    # may have changed; a hidden proposal is never read here, so it vanishes at once.
    shown = Proposal.objects.published().filter(pk=pk).values_list(*_PAGE_FIELDS).first()
    if shown is None:
        raise Http404("Cette page n'existe pas ou ne vous est pas accessible.")
    token = digest((shown, request.get_full_path()))
    return anonymous_page(request, f"proposal-page:{pk}:{page_version(pk)}:{token}", build)


# Writing ----------------------------------------------------------------------------------------


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
            form.add_error(None, exc) if not hasattr(exc, "error_dict") else _add_errors(form, exc)
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
    links = [_link(proposal)] if proposal else []
    return render(
        request,
        "proposals/write.html",
        {
            "form": form,
            "proposal": proposal,
            "title": title,
            "similar": similar_list,
            "checked": checked,
            "breadcrumb_data": _breadcrumb(*links, current=title),
        },
    )


def _add_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def write(request):
    return _write(request)


def edit(request, pk):
    proposal = _visible(request, pk)
    require(request.user, can_edit_proposal, proposal)
    return _write(request, proposal)


@require_POST
def publish(request, pk):
    proposal = _visible(request, pk)
    try:
        proposal = services.publish_proposal(proposal, by=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        if proposal.state == ProposalState.PUBLISHED:
            messages.success(request, "Votre proposition a été publiée. Merci !")
        else:
            messages.success(request, "Votre proposition sera publiée après relecture.")
    return redirect(proposal)


# Supports, follows ------------------------------------------------------------------------------


@require_POST
def support(request, pk):
    proposal = _visible(request, pk)
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
        messages.error(request, _error_text(exc))
    return redirect(proposal)


@require_POST
def follow(request, pk):
    proposal = _visible(request, pk)
    on = request.POST.get("action") != "stop"
    services.set_following(proposal, by=request.user, follow=on)
    messages.success(
        request,
        "Vous suivez cette proposition." if on else "Vous ne suivez plus cette proposition.",
    )
    return redirect(proposal)


# Comments ---------------------------------------------------------------------------------------


@require_POST
@ratelimit(key="user", rate=COMMENT_RATE, method="POST", block=False)
def comment(request, pk):
    proposal = _visible(request, pk)
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
            _add_errors(form, exc) if hasattr(exc, "error_dict") else form.add_error(None, exc)
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
        _detail_context(request, proposal, comment_form=form),
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
    _visible(request, comment.proposal_id)
    return comment


def _reason_page(request, obj, proposal, *, form, title, intro, button, back_url=None):
    return render(
        request,
        "proposals/reason.html",
        {
            "form": form,
            "title": title,
            "intro": intro,
            "button": button,
            "object": obj,
            "back_url": back_url or obj.get_absolute_url(),
            "proposal": proposal,
            "breadcrumb_data": _breadcrumb(_link(proposal), current=title),
        },
    )


def report_comment(request, pk):
    comment = _comment(request, pk)
    form = ReasonForm(request.POST or None, max_length=services.ABUSE_REASON_MAX_LENGTH)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_abuse(comment, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.info(request, _error_text(exc))
        else:
            messages.success(request, "Merci : la modération examinera ce commentaire.")
        return redirect(comment.get_absolute_url())
    return _reason_page(
        request,
        comment,
        comment.proposal,
        form=form,
        title="Signaler un abus",
        intro="Insulte, propos haineux, données personnelles, publicité : dites ce qui pose "
        "problème. Si le commentaire révèle qu'un enfant est en danger, utilisez plutôt "
        "« Danger pour un enfant ».",
        button="Envoyer le signalement",
    )


def remove_comment(request, pk):
    comment = _comment(request, pk)
    require(request.user, lambda user, _obj: can_moderate(user), comment)
    form = ReasonForm(request.POST or None, max_length=services.MODERATION_REASON_MAX_LENGTH)
    form.fields["reason"].label = "Motif public"
    form.fields["reason"].help_text = (
        "Il s'affiche à la place du commentaire "
        f"({services.MODERATION_REASON_MAX_LENGTH} caractères au plus)."
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.remove_comment(comment, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _add_errors(form, exc) if hasattr(exc, "error_dict") else form.add_error(None, exc)
        else:
            messages.success(request, "Le commentaire est retiré ; le motif est affiché.")
            return redirect(comment.proposal)
    return _reason_page(
        request,
        comment,
        comment.proposal,
        form=form,
        title="Retirer un commentaire",
        intro="Le commentaire ne sera plus lisible ; le motif public s'affichera à sa place.",
        button="Retirer le commentaire",
    )


@require_POST
def approve_comment(request, pk):
    comment = _comment(request, pk)
    try:
        services.approve_comment(comment, by=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, "Le commentaire est publié.")
    return redirect(comment.proposal)


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
            .select_related("proposal", "author")
            .order_by("created_at")[:100],
            "reported_comments": Comment.objects.filter(
                report_count__gt=0, state=CommentState.PUBLISHED, danger_hidden_at__isnull=True
            )
            .select_related("proposal", "author")
            .order_by("-report_count", "created_at")[:100],
            "breadcrumb_data": _breadcrumb(current="Modération"),
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
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, "La proposition est publiée.")
        return redirect("proposals:moderation")
    form = ReasonForm(request.POST or None, max_length=services.MODERATION_REASON_MAX_LENGTH)
    form.fields["reason"].label = "Motif du renvoi"
    if request.method == "POST" and form.is_valid():
        try:
            services.moderate_proposal(
                proposal, by=request.user, approve=False, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _add_errors(form, exc) if hasattr(exc, "error_dict") else form.add_error(None, exc)
        else:
            messages.success(request, "La proposition est renvoyée au brouillon.")
            return redirect("proposals:moderation")
    return _reason_page(
        request,
        proposal,
        proposal,
        form=form,
        title="Renvoyer au brouillon",
        intro="La proposition redevient un brouillon que son auteur ou son autrice pourra "
        "reprendre. Le motif est gardé dans l'historique de la proposition.",
        button="Renvoyer au brouillon",
        back_url=reverse("proposals:moderation"),
    )


# "Danger pour un enfant" ------------------------------------------------------------------------


def _flag(request, obj, proposal, redirect_to):
    form = DangerFlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            safeguarding.flag_danger(obj, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error("reason", exc)
        else:
            messages.success(
                request,
                "Merci. Le texte est retiré de l'affichage public et un référent protection de "
                "l'enfance va l'examiner. En cas de danger immédiat, appelez le 119.",
            )
            return redirect(redirect_to)
    return render(
        request,
        "safeguarding/flag.html",
        {
            "form": form,
            "label": obj.safeguarding_label(),
            "back_url": obj.get_absolute_url(),
            "breadcrumb_data": _breadcrumb(_link(proposal), current="Danger pour un enfant"),
        },
    )


def flag_proposal(request, pk):
    proposal = _visible(request, pk)
    return _flag(request, proposal, proposal, "proposals:list")


def flag_comment(request, pk):
    comment = _comment(request, pk)
    return _flag(request, comment, comment.proposal, comment.proposal)


# Deliberation -----------------------------------------------------------------------------------


def _run(request, proposal, action, success: str):
    try:
        action()
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or "Vous n'avez pas le droit de faire cela.")
    else:
        messages.success(request, success)
    return redirect(proposal)


@require_POST
def take_up(request, pk):
    proposal = _visible(request, pk)
    require(request.user, can_take_up, proposal)
    ids = {proposal.instance_id} if proposal.instance_id else managed_instance_ids(request.user)
    form = TakeUpForm(request.POST, instances=Instance.objects.filter(pk__in=ids))
    if not form.is_valid():
        messages.error(request, "Choisissez l'instance qui délibère.")
        return redirect(proposal)
    instance = form.cleaned_data["instance"]
    return _run(
        request,
        proposal,
        lambda: services.take_up(proposal, by=request.user, instance=instance),
        f"La proposition est en délibération à {instance}.",
    )


def new_amendment(request, pk):
    proposal = _visible(request, pk)
    require(request.user, can_propose_amendment, proposal)
    form = AmendmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            amendment = services.propose_amendment(proposal, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc) if hasattr(exc, "error_dict") else form.add_error(None, exc)
        else:
            messages.success(request, f"L'amendement n° {amendment.number} est déposé.")
            return redirect(amendment.get_absolute_url())
    return render(
        request,
        "proposals/amendment_form.html",
        {
            "form": form,
            "proposal": proposal,
            "breadcrumb_data": _breadcrumb(_link(proposal), current="Déposer un amendement"),
        },
    )


def _amendment(request, pk) -> Amendment:
    amendment = get_visible_or_404(Amendment.objects.select_related("proposal"), pk=pk)
    amendment.proposal = _visible(request, amendment.proposal_id)
    require(request.user, can_manage_deliberation, amendment.proposal)
    return amendment


@require_POST
def open_amendment_vote(request, pk):
    amendment = _amendment(request, pk)
    return _run(
        request,
        amendment.proposal,
        lambda: services.open_amendment_vote(amendment, by=request.user),
        f"Le vote sur l'amendement n° {amendment.number} est ouvert aux membres.",
    )


@require_POST
def conclude_amendment_vote(request, pk):
    amendment = _amendment(request, pk)
    return _run(
        request,
        amendment.proposal,
        lambda: services.conclude_amendment_vote(amendment, by=request.user),
        f"Le vote sur l'amendement n° {amendment.number} est clos.",
    )


@require_POST
def open_decision_vote(request, pk):
    proposal = _visible(request, pk)
    require(request.user, can_manage_deliberation, proposal)
    return _run(
        request,
        proposal,
        lambda: services.open_decision_vote(proposal, by=request.user),
        "Le vote final est ouvert aux membres de l'instance.",
    )


@require_POST
def conclude_decision(request, pk):
    proposal = _visible(request, pk)
    require(request.user, can_manage_deliberation, proposal)
    return _run(
        request,
        proposal,
        lambda: services.conclude_decision(proposal, by=request.user),
        "Le vote final est clos : la décision de l'instance est enregistrée.",
    )


@require_POST
def transmit(request, pk):
    proposal = _visible(request, pk)
    require(request.user, can_manage_deliberation, proposal)
    return _run(
        request,
        proposal,
        lambda: services.transmit(proposal, by=request.user),
        "La proposition est transmise au niveau national avec la décision de l'instance.",
    )
