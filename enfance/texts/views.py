import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache as fragment_cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from enfance.core.access import get_visible_or_404, require
from enfance.safeguarding import services as safeguarding
from enfance.safeguarding.forms import DangerFlagForm

from . import services
from .diff import diff_versions
from .enums import ArticleProposalState
from .forms import (
    CommentForm,
    CompareForm,
    DeclineForm,
    FollowUpForm,
    LawProposalForm,
    ReasonForm,
    TransmissionForm,
    VersionForm,
    WordingForm,
)
from .models import (
    Article,
    ArticleComment,
    ArticleProposal,
    LawProposal,
    Text,
    TextVersion,
)
from .pdf import law_proposal_pdf
from .perms import can_edit_text, can_manage_law_proposals, can_moderate, can_take_part
from .signals import texts_version

# What one person may post on texts (QUALITY.md: rate limits on comments).
POST_RATE = "10/m"
LAWS_PER_PAGE = 30
DIFF_CACHE_SECONDS = 24 * 3600
PREFIXES = {"text": "Textes participatifs", "law": "Propositions de loi"}


def _section(prefix: str) -> dict:
    name = "texts:law_list" if prefix == "law" else "texts:text_list"
    return {"url": reverse(name), "title": PREFIXES[prefix]}


def _breadcrumb(prefix: str, *links, current: str) -> dict:
    return {
        "links": [_section(prefix), *links],
        "current": current,
        "root_dir": reverse("core:home"),
    }


def _text_link(text) -> dict:
    return {"url": text.get_absolute_url(), "title": text.title}


def _text(prefix: str, slug: str):
    """A text under its own section: a law proposal's address is under /propositions-de-loi/."""
    queryset = LawProposal.objects.all() if prefix == "law" else Text.objects.participatory()
    return get_visible_or_404(queryset.select_related("current_version"), slug=slug)


def _too_many(request, group: str) -> bool:
    return is_ratelimited(
        request,
        group=f"texts.{group}",
        key="user_or_ip",
        rate=POST_RATE,
        method="POST",
        increment=True,
    )


def _count(queryset):
    """A correlated count, one per article: joining both comments and proposals would multiply
    their rows."""
    return Coalesce(
        Subquery(
            queryset.filter(article=OuterRef("pk"))
            .order_by()
            .values("article")
            .annotate(total=Count("pk"))
            .values("total")
        ),
        0,
    )


def _articles_with_counts(version):
    return version.articles.annotate(
        comment_total=_count(ArticleComment.objects.shown()),
        proposal_total=_count(ArticleProposal.objects.shown()),
    ).order_by("number")


def _abilities(user, text) -> dict:
    workflow = services.workflow_of(text)
    return {
        "can_edit": can_edit_text(user, text) and text.is_editable,
        "can_take_part": can_take_part(user, text),
        "can_manage_law": text.is_law_proposal and can_manage_law_proposals(user),
        # Transmissions and follow-ups have their own forms (recipients, dates).
        "transitions": [
            t
            for t in workflow.available(text, user)
            if t.name in ("open_consultation", "close_consultation")
        ]
        if user.is_authenticated
        else [],
    }


# Lists ------------------------------------------------------------------------------------------


@login_not_required
def text_list(request):
    texts = Text.objects.participatory().for_list()
    return render(
        request,
        "texts/text_list.html",
        {
            "texts": texts,
            "breadcrumb_data": {"links": [], "current": PREFIXES["text"], "root_dir": "/"},
        },
    )


@login_not_required
def law_list(request):
    laws = LawProposal.objects.for_list().annotate(source_total=Count("source_proposals"))
    return render(
        request,
        "texts/law_list.html",
        {
            "page_obj": Paginator(laws, LAWS_PER_PAGE).get_page(request.GET.get("page")),
            "can_create": can_manage_law_proposals(request.user),
            "breadcrumb_data": {"links": [], "current": PREFIXES["law"], "root_dir": "/"},
        },
    )


# A text and its articles -------------------------------------------------------------------------


@login_not_required
def detail(request, slug, prefix):
    text = _text(prefix, slug)
    version = text.current_version
    context = {
        "text": text,
        "version": version,
        "articles": _articles_with_counts(version),
        "pending_total": text.article_proposals.shown().pending().count(),
        "versions_total": text.versions.count(),
        "breadcrumb_data": _breadcrumb(prefix, current=text.title),
        **_abilities(request.user, text),
    }
    if prefix == "law":
        context["sources"] = text.source_proposals.select_related("instance").order_by("title")
        context["transmissions"] = text.transmissions.select_related("version")
        context["follow_ups"] = text.follow_ups.all()
    return render(request, "texts/detail.html", context)


def _article(text, key) -> Article:
    return get_visible_or_404(
        Article.objects.filter(version=text.current_version_id).select_related("version"), key=key
    )


def _article_page(
    request, text, article, prefix, *, comment_form=None, wording_form=None, status=200
):
    comments = (
        article.comments.shown()
        .select_related("author__child_profile")
        .order_by("created_at", "pk")
    )
    # Proposals made on any version of this article (it keeps its key across versions).
    proposals = (
        ArticleProposal.objects.shown()
        .filter(text=text, article__key=article.key)
        .select_related("author__child_profile", "article__version", "integrated_in")
        .order_by("created_at", "pk")
    )
    abilities = _abilities(request.user, text)
    return render(
        request,
        "texts/article.html",
        {
            "text": text,
            "article": article,
            "comments": comments,
            "proposals": proposals,
            "comment_form": comment_form or CommentForm(prefix="comment"),
            "wording_form": wording_form
            or WordingForm(prefix="wording", initial={"body": article.body}),
            "can_moderate": can_moderate(request.user),
            "breadcrumb_data": _breadcrumb(prefix, _text_link(text), current=article.label),
            **abilities,
        },
        status=status,
    )


@login_not_required
def article(request, slug, key, prefix):
    text = _text(prefix, slug)
    return _article_page(request, text, _article(text, key), prefix)


@require_POST
def comment(request, slug, key, prefix):
    text = _text(prefix, slug)
    article = _article(text, key)
    require(request.user, can_take_part, text)
    if _too_many(request, "comment"):
        return render(request, "429.html", status=429)
    form = CommentForm(request.POST, prefix="comment")
    if form.is_valid():
        try:
            services.comment_article(
                by=request.user, article=article, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, "Votre commentaire est publié. Merci pour votre contribution."
            )
            return redirect(f"{text.url('article', article.key)}#commentaires")
    return _article_page(request, text, article, prefix, comment_form=form, status=400)


@require_POST
def propose(request, slug, key, prefix):
    text = _text(prefix, slug)
    article = _article(text, key)
    require(request.user, can_take_part, text)
    if _too_many(request, "propose"):
        return render(request, "429.html", status=429)
    form = WordingForm(request.POST, prefix="wording")
    if form.is_valid():
        try:
            services.propose_wording(by=request.user, article=article, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                "Votre proposition de rédaction est publiée. Les rédacteurs du texte vous "
                "répondront en l'intégrant ou en expliquant pourquoi elle n'est pas retenue.",
            )
            return redirect(f"{text.url('article', article.key)}#propositions")
    return _article_page(request, text, article, prefix, wording_form=form, status=400)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# Versions and their comparison -------------------------------------------------------------------


@login_not_required
def versions(request, slug, prefix):
    text = _text(prefix, slug)
    history = (
        text.versions.select_related("created_by")
        .annotate(integrated_total=Count("integrated_proposals"))
        .order_by("-number")
    )
    numbers = [v.number for v in history]
    compare = CompareForm(
        numbers=sorted(numbers),
        initial={"de": max(text.current_version.number - 1, 1), "a": text.current_version.number},
    )
    return render(
        request,
        "texts/versions.html",
        {
            "text": text,
            "history": history,
            "compare_form": compare,
            "breadcrumb_data": _breadcrumb(prefix, _text_link(text), current="Historique"),
        },
    )


@login_not_required
def version(request, slug, number, prefix):
    text = _text(prefix, slug)
    shown = get_visible_or_404(text.versions.select_related("created_by"), number=number)
    return render(
        request,
        "texts/version.html",
        {
            "text": text,
            "version": shown,
            "articles": shown.articles.order_by("number"),
            "integrated": shown.integrated_proposals.select_related(
                "author__child_profile", "article"
            ),
            "breadcrumb_data": _breadcrumb(
                prefix, _text_link(text), current=f"Version {shown.number}"
            ),
        },
    )


def _diff_html(text, old_pk: int, new_pk: int) -> str:
    """The comparison of two versions, rendered once: a published version never changes, so
    the pair of versions is the whole cache key."""
    key = f"texts:diff:{old_pk}:{new_pk}"
    html = fragment_cache.get(key)
    if html is None:
        pair = {
            v.pk: v
            for v in TextVersion.objects.filter(pk__in=[old_pk, new_pk]).prefetch_related(
                Prefetch("articles", queryset=Article.objects.order_by("number"))
            )
        }
        old, new = pair[old_pk], pair[new_pk]
        diff = diff_versions(old, list(old.articles.all()), new, list(new.articles.all()))
        html = render_to_string("texts/_diff.html", {"text": text, "diff": diff})
        fragment_cache.set(key, html, timeout=DIFF_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by our own template, escaped there


def _compare_page(request, slug: str, prefix: str) -> dict:
    """The comparison page's content, the same for everyone asking for the same two versions
    (a GET form, no CSRF): rendered once and cached until a text or a version changes
    (signals.py bumps the version)."""
    # The version is read before the data: a write committed meanwhile bumps it past this key.
    question = (prefix, slug, bool(request.GET), request.GET.get("de"), request.GET.get("a"))
    digest = hashlib.sha256(repr(question).encode()).hexdigest()
    key = f"texts:compare:{texts_version()}:{digest}"
    page = fragment_cache.get(key)
    if page is not None:
        return page
    text = _text(prefix, slug)
    pks = dict(text.versions.order_by("number").values_list("number", "pk"))
    numbers = list(pks)
    form = CompareForm(request.GET or None, numbers=numbers)
    diff_html = ""
    if len(numbers) >= 2 and not request.GET:
        form = CompareForm({"de": numbers[-2], "a": numbers[-1]}, numbers=numbers)
    if form.is_bound and form.is_valid():
        chosen = sorted({form.cleaned_data["de"], form.cleaned_data["a"]})
        if len(chosen) == 2:
            diff_html = _diff_html(text, pks[chosen[0]], pks[chosen[1]])
        else:
            form.add_error("a", "Choisissez deux versions différentes.")
    page = {
        "title": text.title,
        "link": _text_link(text),
        "body": render_to_string(
            "texts/_compare_body.html", {"text": text, "form": form, "diff_html": diff_html}
        ),
        "status": 400 if form.is_bound and form.errors else 200,
    }
    fragment_cache.set(key, page, timeout=DIFF_CACHE_SECONDS)
    return page


@login_not_required
def compare(request, slug, prefix):
    page = _compare_page(request, slug, prefix)
    return render(
        request,
        "texts/compare.html",
        {
            "title": page["title"],
            "body": mark_safe(page["body"]),  # noqa: S308 - rendered by our own template
            "breadcrumb_data": _breadcrumb(prefix, page["link"], current="Comparer deux versions"),
        },
        status=page["status"],
    )


@login_not_required
def pdf(request, slug, number, prefix):
    text = _text(prefix, slug)
    shown = get_visible_or_404(text.versions.all(), number=number)
    content = law_proposal_pdf(shown, list(shown.articles.order_by("number")))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="proposition-de-loi-{text.slug}-v{shown.number}.pdf"'
    )
    return response


# Editing ----------------------------------------------------------------------------------------


def _pending_choices(text) -> list[tuple[int, str]]:
    pending = (
        text.article_proposals.shown()
        .pending()
        .select_related("author__child_profile", "article")
        .order_by("created_at", "pk")
    )
    return [
        (p.pk, f"{p.article.label} — {services.public_name(p.author)} : « {p.body[:120]} »")
        for p in pending
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
    text = _text(prefix, slug)
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
                by=request.user,
                text=text,
                articles=form.article_drafts(),
                summary=form.cleaned_data["summary"],
                preamble=form.cleaned_data["preamble"],
                title=form.cleaned_data["title"],
                integrated=list(text.article_proposals.shown().filter(pk__in=chosen)),
                based_on=started_from,
            )
        except ValidationError as error:
            _add_errors(form, error)
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
            "breadcrumb_data": _breadcrumb(prefix, _text_link(text), current="Nouvelle version"),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _proposal(text, pk) -> ArticleProposal:
    return get_visible_or_404(
        text.article_proposals.shown().select_related("article", "author", "text"), pk=pk
    )


@require_POST
def integrate(request, slug, pk, prefix):
    text = _text(prefix, slug)
    require(request.user, can_edit_text, text)
    proposal = _proposal(text, pk)
    try:
        new = services.integrate_proposal(by=request.user, proposal=proposal)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(text.url("article", proposal.article.key))
    messages.success(request, f"La proposition est intégrée : la version {new.number} est publiée.")
    return redirect(text.get_absolute_url())


def decline(request, slug, pk, prefix):
    text = _text(prefix, slug)
    require(request.user, can_edit_text, text)
    proposal = _proposal(text, pk)
    if proposal.state != ArticleProposalState.PENDING:
        messages.info(request, "Cette proposition a déjà été traitée.")
        return redirect(text.url("article", proposal.article.key))
    if not text.is_editable:
        messages.error(
            request, "Ce texte a été transmis : les propositions de rédaction ne se traitent plus."
        )
        return redirect(text.url("article", proposal.article.key))
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decline_proposal(
                by=request.user, proposal=proposal, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _add_errors(form, error)
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
            "breadcrumb_data": _breadcrumb(prefix, _text_link(text), current="Ne pas retenir"),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
def transition(request, slug, name, prefix):
    text = _text(prefix, slug)
    actions = {
        "ouvrir-consultation": services.open_consultation,
        "clore-consultation": services.close_consultation,
    }
    if name not in actions:
        raise Http404
    try:
        actions[name](by=request.user, text=text)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "C'est fait : l'état du texte est mis à jour.")
    return redirect(text.get_absolute_url())


# Law proposals ----------------------------------------------------------------------------------


def law_create(request):
    from enfance.proposals.models import Proposal

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
            _add_errors(form, error)
        else:
            messages.success(request, "La proposition de loi est créée (version 1, en rédaction).")
            return redirect(law.get_absolute_url())
    return render(
        request,
        "texts/law_create.html",
        {
            "form": form,
            "has_adopted": bool(adopted),
            "breadcrumb_data": _breadcrumb("law", current="Nouvelle proposition de loi"),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _law_form_page(request, slug, form_class, template, service, success):
    law = _text("law", slug)
    require(request.user, can_manage_law_proposals, law)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(by=request.user, law_proposal=law, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(law.get_absolute_url())
    return render(
        request,
        template,
        {
            "text": law,
            "form": form,
            "breadcrumb_data": _breadcrumb("law", _text_link(law), current=form.page_title),
        },
        status=400 if form.is_bound and form.errors else 200,
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


# Moderation of comments -------------------------------------------------------------------------


def _comment(pk) -> ArticleComment:
    return get_visible_or_404(
        ArticleComment.objects.shown().select_related("article__version__text"), pk=pk
    )


def report(request, pk):
    # A comment withdrawn by the moderation shows only its reason: nothing left to report.
    comment_ = get_visible_or_404(
        ArticleComment.objects.shown()
        .filter(hidden_at__isnull=True)
        .select_related("article__version__text"),
        pk=pk,
    )
    text = comment_.article.version.text
    form = ReasonForm(request.POST or None)
    form.fields["reason"].label = "Ce qui pose problème dans ce commentaire"
    if request.method == "POST" and form.is_valid():
        if _too_many(request, "report"):
            return render(request, "429.html", status=429)
        try:
            first = services.report_comment(
                by=request.user, comment=comment_, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                "Merci, la modération examinera ce commentaire."
                if first
                else "Vous aviez déjà signalé ce commentaire : la modération l'examinera.",
            )
            return redirect(f"{_article_url(comment_)}#commentaires")
    return render(
        request,
        "texts/comment_action.html",
        {
            "comment": comment_,
            "form": form,
            "heading": "Signaler un abus",
            "button": "Signaler ce commentaire",
            "breadcrumb_data": _breadcrumb(
                text.url_prefix, _text_link(text), current="Signaler un abus"
            ),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def hide(request, pk):
    require(request.user, can_moderate)
    comment_ = _comment(pk)
    text = comment_.article.version.text
    form = ReasonForm(request.POST or None)
    form.fields["reason"].label = "Motif public du retrait"
    if request.method == "POST" and form.is_valid():
        try:
            services.hide_comment(
                by=request.user, comment=comment_, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Le commentaire est retiré ; son motif est affiché.")
            return redirect(f"{_article_url(comment_)}#commentaires")
    return render(
        request,
        "texts/comment_action.html",
        {
            "comment": comment_,
            "form": form,
            "heading": "Retirer un commentaire",
            "button": "Retirer le commentaire",
            "breadcrumb_data": _breadcrumb(
                text.url_prefix, _text_link(text), current="Retirer un commentaire"
            ),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _flag(request, obj, text, back_url):
    """ "Danger pour un enfant" (PRODUCT.md, cross-cutting safety): the text leaves public view at
    once and goes to the safeguarding referents."""
    form = DangerFlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            safeguarding.flag_danger(obj, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason", error)
        else:
            messages.success(
                request,
                "Merci. Le texte est retiré de l'affichage public et un référent protection de "
                "l'enfance va l'examiner. En cas de danger immédiat, appelez le 119.",
            )
            return redirect(back_url)
    return render(
        request,
        "safeguarding/flag.html",
        {
            "form": form,
            "label": obj.safeguarding_label(),
            "back_url": back_url,
            "breadcrumb_data": _breadcrumb(
                text.url_prefix, _text_link(text), current="Danger pour un enfant"
            ),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def flag_comment(request, pk):
    comment_ = _comment(pk)
    return _flag(
        request, comment_, comment_.article.version.text, f"{_article_url(comment_)}#commentaires"
    )


def flag_proposal(request, pk):
    proposal = get_visible_or_404(
        ArticleProposal.objects.shown().select_related("text", "article"), pk=pk
    )
    back_url = f"{proposal.text.url('article', proposal.article.key)}#propositions"
    return _flag(request, proposal, proposal.text, back_url)


def _article_url(comment_) -> str:
    text = comment_.article.version.text
    return text.url("article", comment_.article.key)
