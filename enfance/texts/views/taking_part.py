"""Taking part in a consultation: a comment or a proposed wording on an article; the
moderation of comments through the shared pages of ``enfance.discussions``; « danger pour un
enfant »."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from enfance.core.access import get_visible_or_404, require
from enfance.core.forms import add_service_errors
from enfance.discussions import views as discussions
from enfance.discussions.enums import CommentState
from enfance.safeguarding import views as safeguarding_views

from .. import services
from ..forms import CommentForm, WordingForm
from ..models import ArticleComment, ArticleProposal
from ..perms import can_moderate, can_take_part
from .common import breadcrumb, get_text, text_link, too_many
from .reading import article_page, current_article


@require_POST
def comment(request, slug, key, prefix):
    text = get_text(prefix, slug)
    article = current_article(text, key)
    require(request.user, can_take_part, text)
    if too_many(request, "comment"):
        return render(request, "429.html", status=429)
    form = CommentForm(request.POST, prefix="comment")
    if form.is_valid():
        try:
            created = services.comment_article(
                article, by=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if created.state == CommentState.PENDING_MODERATION:
                messages.success(
                    request, "Merci ! Votre commentaire sera publié après une relecture."
                )
            else:
                messages.success(
                    request, "Votre commentaire est publié. Merci pour votre contribution."
                )
            return redirect(f"{text.url('article', article.key)}#commentaires")
    return article_page(request, text, article, prefix, comment_form=form, status=400)


@require_POST
def propose(request, slug, key, prefix):
    text = get_text(prefix, slug)
    article = current_article(text, key)
    require(request.user, can_take_part, text)
    if too_many(request, "propose"):
        return render(request, "429.html", status=429)
    form = WordingForm(request.POST, prefix="wording")
    if form.is_valid():
        try:
            services.propose_wording(article, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "Votre proposition de rédaction est publiée. L'équipe de rédaction du texte vous "
                "répondra en l'intégrant ou en expliquant pourquoi elle n'est pas retenue.",
            )
            return redirect(f"{text.url('article', article.key)}#propositions")
    return article_page(request, text, article, prefix, wording_form=form, status=400)


def _comment(pk, *, states) -> ArticleComment:
    return get_visible_or_404(
        ArticleComment.objects.filter(
            state__in=states, danger_hidden_at__isnull=True
        ).select_related("article__version__text"),
        pk=pk,
    )


def _comment_breadcrumb(comment_: ArticleComment, current: str) -> dict:
    text = comment_.article.version.text
    return breadcrumb(text.url_prefix, text_link(text), current=current)


def _about(comment_: ArticleComment) -> str:
    return f"Commentaire sur l'{comment_.thread_label[0].lower()}{comment_.thread_label[1:]}"


def report(request, pk):
    # A comment withdrawn by the moderation shows only its reason: nothing left to report.
    comment_ = _comment(pk, states=[CommentState.PUBLISHED])
    return discussions.report_page(
        request,
        comment_,
        reportable=ArticleComment.objects.shown(),
        done_url=f"{comment_.article_url}#commentaires",
        breadcrumb=_comment_breadcrumb(comment_, "Signaler un abus"),
        about=_about(comment_),
    )


def _moderated(request, pk) -> ArticleComment:
    require(request.user, can_moderate)
    return _comment(pk, states=[CommentState.PUBLISHED, CommentState.PENDING_MODERATION])


def remove(request, pk):
    comment_ = _moderated(request, pk)
    done_url = f"{comment_.article_url}#commentaires"
    return discussions.remove_page(
        request,
        comment_,
        done_url=done_url,
        back_url=done_url,
        breadcrumb=_comment_breadcrumb(comment_, "Retirer un commentaire"),
        about=_about(comment_),
    )


@require_POST
def publish(request, pk):
    comment_ = _moderated(request, pk)
    return discussions.publish(request, comment_, done_url=f"{comment_.article_url}#commentaires")


def moderation(request):
    require(request.user, can_moderate)
    comments = ArticleComment.objects.select_related(
        "article__version__text", "author__child_profile"
    )
    return render(
        request,
        "texts/moderation.html",
        {
            "pending": comments.awaiting_moderation().order_by("created_at")[:100],
            "reported": comments.reported()[:100],
            "breadcrumb_data": breadcrumb("text", current="Modération des commentaires"),
        },
    )


def flag_comment(request, pk):
    comment_ = _comment(pk, states=[CommentState.PUBLISHED, CommentState.REMOVED])
    back_url = f"{comment_.article_url}#commentaires"
    return safeguarding_views.flag_page(
        request,
        comment_,
        back_url=back_url,
        done_url=back_url,
        breadcrumb=_comment_breadcrumb(comment_, "Danger pour un enfant"),
    )


def flag_proposal(request, pk):
    proposal = get_visible_or_404(
        ArticleProposal.objects.shown().select_related("text", "article"), pk=pk
    )
    back_url = f"{proposal.text.url('article', proposal.article.key)}#propositions"
    return safeguarding_views.flag_page(
        request,
        proposal,
        back_url=back_url,
        done_url=back_url,
        breadcrumb=breadcrumb(
            proposal.text.url_prefix, text_link(proposal.text), current="Danger pour un enfant"
        ),
    )
