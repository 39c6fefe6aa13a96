"""Reading a text: the lists, a text with its articles, an article with what people wrote on
it, the versions, their comparison (cached) and a law proposal's PDF."""

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache as fragment_cache
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from enfance.core.access import get_visible_or_404
from enfance.core.cache import digest

from ..diff import diff_versions
from ..forms import CommentForm, CompareForm, ConsultationForm, WordingForm
from ..models import Article, ArticleComment, ArticleProposal, LawProposal, Text, TextVersion
from ..pdf import law_proposal_pdf
from ..perms import can_manage_law_proposals, can_moderate
from ..signals import texts_version
from ..timeline import path_of
from .common import PREFIXES, breadcrumb, get_text, text_link

LAWS_PER_PAGE = 30
DIFF_CACHE_SECONDS = 24 * 3600


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


@login_not_required
def text_list(request):
    texts = Text.objects.participatory().for_list()
    return render(
        request,
        "texts/text_list.html",
        {
            "texts": texts,
            "can_moderate": can_moderate(request.user),
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


@login_not_required
def detail(request, slug, prefix):
    text = get_text(prefix, slug)
    version = text.current_version
    abilities = text.abilities(request.user)
    context = {
        "text": text,
        "version": version,
        "articles": _articles_with_counts(version),
        "pending_total": text.article_proposals.shown().pending().count(),
        "versions_total": text.versions.count(),
        "abilities": abilities,
        "path": path_of(text),
        "consultation_form": ConsultationForm() if abilities["open_consultation"] else None,
        "breadcrumb_data": breadcrumb(prefix, current=text.title),
    }
    if prefix == "law":
        context["sources"] = text.source_proposals.select_related("instance").order_by("title")
        context["transmissions"] = text.transmissions.select_related("version")
        context["follow_ups"] = text.follow_ups.all()
    return render(request, "texts/detail.html", context)


def current_article(text, key) -> Article:
    return get_visible_or_404(
        Article.objects.filter(version=text.current_version_id).select_related("version"), key=key
    )


def article_page(
    request, text, article, prefix, *, comment_form=None, wording_form=None, status=200
):
    abilities = text.abilities(request.user)
    comments = list(
        article.comments.shown()
        .select_related("author__child_profile")
        .order_by("created_at", "pk")
    )
    pending_comments = (
        list(article.comments.awaiting_moderation().select_related("author__child_profile"))
        if abilities["moderate_comments"]
        else []
    )
    # Proposals made on any version of this article (it keeps its key across versions).
    proposals = list(
        ArticleProposal.objects.shown()
        .filter(text=text, article__key=article.key)
        .select_related("author__child_profile", "article__version", "integrated_in")
        .order_by("created_at", "pk")
    )
    # What may be done with a proposed wording depends on its text: known here, not read again.
    for proposal in proposals:
        proposal.text = text
    return render(
        request,
        "texts/article.html",
        {
            "text": text,
            "article": article,
            "comments": comments,
            "pending_comments": pending_comments,
            "proposals": proposals,
            "comment_form": comment_form or CommentForm(prefix="comment"),
            "wording_form": wording_form
            or WordingForm(prefix="wording", initial={"body": article.body}),
            "abilities": abilities,
            "breadcrumb_data": breadcrumb(prefix, text_link(text), current=article.label),
        },
        status=status,
    )


@login_not_required
def article(request, slug, key, prefix):
    text = get_text(prefix, slug)
    return article_page(request, text, current_article(text, key), prefix)


@login_not_required
def versions(request, slug, prefix):
    text = get_text(prefix, slug)
    history = (
        text.versions.select_related("created_by")
        .annotate(integrated_total=Count("integrated_proposals"))
        .order_by("-number")
    )
    numbers = [v.number for v in history]
    compare_form = CompareForm(
        numbers=sorted(numbers),
        initial={"de": max(text.current_version.number - 1, 1), "a": text.current_version.number},
    )
    return render(
        request,
        "texts/versions.html",
        {
            "text": text,
            "history": history,
            "compare_form": compare_form,
            "breadcrumb_data": breadcrumb(prefix, text_link(text), current="Historique"),
        },
    )


@login_not_required
def version(request, slug, number, prefix):
    text = get_text(prefix, slug)
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
            "breadcrumb_data": breadcrumb(
                prefix, text_link(text), current=f"Version {shown.number}"
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
    key = f"texts:compare:{texts_version()}:{digest(question)}"
    page = fragment_cache.get(key)
    if page is not None:
        return page
    text = get_text(prefix, slug)
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
        "link": text_link(text),
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
            "breadcrumb_data": breadcrumb(prefix, page["link"], current="Comparer deux versions"),
        },
        status=page["status"],
    )


@login_not_required
def pdf(request, slug, number, prefix):
    text = get_text(prefix, slug)
    shown = get_visible_or_404(text.versions.all(), number=number)
    content = law_proposal_pdf(shown, list(shown.articles.order_by("number")))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="proposition-de-loi-{text.slug}-v{shown.number}.pdf"'
    )
    return response
