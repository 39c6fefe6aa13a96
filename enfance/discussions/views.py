"""The pages of a comment, for any module: its views load the comment (404 for what the person
may not see) and call these with their own addresses and breadcrumbs."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.shortcuts import redirect, render
from django_ratelimit.core import is_ratelimited

from enfance.core.access import require
from enfance.core.forms import add_service_errors

from . import services
from .forms import ReasonForm
from .models import ABUSE_REASON_MAX_LENGTH, MODERATION_REASON_MAX_LENGTH
from .perms import can_moderate_comment
from .services import AlreadyReported

# What one person may report in a minute (QUALITY.md: rate limits on what people post).
REPORT_RATE = "10/m"


def reason_page(request, obj, *, form, title, intro, button, back_url, breadcrumb, about=""):
    """A page that asks for a reason about ``obj`` (a comment, a proposal), quoting it; a
    refused reason comes back as typed."""
    return render(
        request,
        "discussions/reason_form.html",
        {
            "form": form,
            "title": title,
            "intro": intro,
            "about": about,
            "button": button,
            "object": obj,
            "back_url": back_url,
            "breadcrumb_data": breadcrumb,
        },
    )


def report_page(request, comment, *, reportable: QuerySet, done_url: str, breadcrumb, about=""):
    """Report abuse on a published comment (``reportable``: see ``services.report``)."""
    form = ReasonForm(
        request.POST or None,
        limit=ABUSE_REASON_MAX_LENGTH,
        label="Ce qui pose problème dans ce commentaire",
    )
    if request.method == "POST" and form.is_valid():
        if is_ratelimited(
            request,
            group="discussions.report",
            key="user_or_ip",
            rate=REPORT_RATE,
            method="POST",
            increment=True,
        ):
            return render(request, "429.html", status=429)
        try:
            services.report(
                comment, by=request.user, reason=form.cleaned_data["reason"], reportable=reportable
            )
        except AlreadyReported:
            messages.info(
                request, "Vous aviez déjà signalé ce commentaire : la modération l'examinera."
            )
            return redirect(done_url)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Merci : la modération examinera ce commentaire.")
            return redirect(done_url)
    return reason_page(
        request,
        comment,
        form=form,
        title="Signaler un abus",
        intro="Insulte, propos haineux, données personnelles, publicité : dites ce qui pose "
        "problème. Si le commentaire révèle qu'un enfant est en danger, utilisez plutôt "
        "« Danger pour un enfant ».",
        button="Envoyer le signalement",
        back_url=done_url,
        breadcrumb=breadcrumb,
        about=about,
    )


def remove_page(request, comment, *, done_url: str, back_url: str, breadcrumb, about=""):
    """The moderation removes a comment; its public reason is shown in its place."""
    require(request.user, can_moderate_comment, comment)
    form = ReasonForm(
        request.POST or None,
        limit=MODERATION_REASON_MAX_LENGTH,
        label="Motif public",
        help_text="Il s'affiche à la place du commentaire "
        f"({MODERATION_REASON_MAX_LENGTH} caractères au plus).",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.remove(comment, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Le commentaire est retiré ; le motif est affiché.")
            return redirect(done_url)
    return reason_page(
        request,
        comment,
        form=form,
        title="Retirer un commentaire",
        intro="Le commentaire ne sera plus lisible ; le motif public s'affichera à sa place.",
        button="Retirer le commentaire",
        back_url=back_url,
        breadcrumb=breadcrumb,
        about=about,
    )


def publish(request, comment, *, done_url: str, publish=services.publish):
    """A held comment goes into the thread (a POST from the moderation's list), by ``publish``:
    the module's service when it keeps counters, the shared one otherwise."""
    try:
        publish(comment, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Le commentaire est publié.")
    return redirect(done_url)
