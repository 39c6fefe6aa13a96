"""Declaring practices, the dispositif's pages, the ONPE fiches and the option lists. The
committee's review is in review_views.py, the public library in library_views.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from enfance.core.access import get_visible_or_404, require

from . import services
from .enums import (
    CONDITIONS,
    CONDITIONS_VERSION,
    EvidenceLevel,
    EvidenceStage,
    MarkCriterion,
    PracticeLevel,
    PracticeState,
    ReferenceList,
)
from .forms import ConditionsForm, OnpeFicheForm, OptionForm, PracticeForm
from .models import Practice, PracticeMark, ReferenceOption
from .perms import (
    can_edit_practice,
    can_follow_practice,
    can_manage_options,
    can_see_queue,
    can_write_onpe_fiche,
)

PER_PAGE = 20


def posted(request):
    # An empty POST is still a submission: its errors must show.
    return request.POST if request.method == "POST" else None


def breadcrumb(*links, current: str) -> dict:
    root = {"url": reverse("practices:about"), "title": "Pratiques inspirantes"}
    return {"links": [root, *links], "current": current, "root_dir": reverse("core:home")}


def followed_practice(request, pk) -> Practice:
    queryset = Practice.objects.visible_to(request.user).with_labels().select_related("declarant")
    practice = get_visible_or_404(queryset, pk=pk)
    if not practice.is_published:
        require(request.user, can_follow_practice, practice)
    return practice


# Public pages ---------------------------------------------------------------------------------


def _spaces(user) -> list[tuple[str, str]]:
    """The working pages this person may open, linked from the dispositif's page."""
    if not user.is_authenticated:
        return []
    spaces = [("Mes déclarations", reverse("practices:mine"))]
    if can_see_queue(user):
        spaces.append(("Comité de sélection : pratiques à examiner", reverse("practices:queue")))
    if can_write_onpe_fiche(user):
        spaces.append(("Fiches dispositifs ONPE", reverse("practices:onpe_fiches")))
    if can_manage_options(user):
        spaces.append(("Listes du formulaire", reverse("practices:options")))
    return spaces


@login_not_required
def about(request):
    return render(
        request,
        "practices/about.html",
        {
            "conditions": CONDITIONS[CONDITIONS_VERSION],
            "spaces": _spaces(request.user),
            "breadcrumb_data": {
                "current": "Pratiques inspirantes",
                "root_dir": reverse("core:home"),
            },
        },
    )


@login_not_required
def evidence_scale(request):
    return render(
        request,
        "practices/evidence_scale.html",
        {
            "stages": EvidenceStage.choices,
            "levels": EvidenceLevel.choices,
            "breadcrumb_data": breadcrumb(current="L'échelle de preuve"),
        },
    )


@login_not_required
def highlights(request, year=None):
    this_year = timezone.localdate().year
    year = year or this_year
    years = sorted(
        set(PracticeMark.objects.values_list("year", flat=True).distinct()) | {this_year},
        reverse=True,
    )
    counts = {
        criterion: Count("marks", filter=Q(marks__year=year, marks__criterion=criterion))
        for criterion in MarkCriterion.values
    }
    practices = (
        Practice.objects.published()
        .filter(marks__year=year)
        .distinct()
        .with_labels()
        .annotate(**{f"marks_{c}": n for c, n in counts.items()})
        .annotate(marks_total=Count("marks", filter=Q(marks__year=year), distinct=True))
        .order_by("-marks_total", "title")
    )
    rows = [
        {
            "practice": p,
            "counts": [
                (label, getattr(p, f"marks_{value}")) for value, label in MarkCriterion.choices
            ],
        }
        for p in practices
    ]
    return render(
        request,
        "practices/highlights.html",
        {
            "year": year,
            "years": years,
            "rows": rows,
            "breadcrumb_data": breadcrumb(current=f"Pratiques distinguées en {year}"),
        },
    )


# Declaring ------------------------------------------------------------------------------------


# Never from the browser's cache: the page's acceptance token must be new each time it is shown.
@never_cache
def declare(request):
    """Seed 004's "Informations préalables": the conditions come before the form."""
    form = ConditionsForm(posted(request))
    if request.method == "POST" and form.is_valid():
        practice = services.start_declaration(
            by=request.user, accepted=True, token=form.cleaned_data["acceptance"]
        )
        messages.success(request, "Merci. Vous pouvez maintenant présenter votre pratique.")
        return redirect("practices:edit", pk=practice.pk)
    return render(
        request,
        "practices/declare.html",
        {
            "form": form,
            "conditions": CONDITIONS[CONDITIONS_VERSION],
            "breadcrumb_data": breadcrumb(current="Déclarer une pratique"),
        },
    )


def edit(request, pk):
    practice = followed_practice(request, pk)
    require(request.user, can_edit_practice, practice)
    form_class = OnpeFicheForm if practice.is_onpe_fiche else PracticeForm
    action = request.POST.get("action", "draft")
    form = form_class(posted(request), instance=practice, saving_draft=action == "draft")
    if request.method == "POST" and form.is_valid():
        try:
            practice = services.save_practice(practice, by=request.user, fields=form.values())
            if action == "submit" and practice.state == PracticeState.DRAFT:
                if practice.is_onpe_fiche:
                    services.publish_onpe_fiche(practice, by=request.user)
                    messages.success(request, "La fiche dispositif est publiée.")
                else:
                    services.submit_practice(practice, by=request.user)
                    messages.success(
                        request,
                        "Votre pratique est transmise au comité de sélection. "
                        "Vous recevrez un courriel à chaque étape.",
                    )
                return redirect("practices:review", pk=practice.pk)
            if action == "submit" and practice.state == PracticeState.INFORMATION_REQUESTED:
                services.resubmit_practice(
                    practice, by=request.user, message=request.POST.get("reply", "")
                )
                messages.success(request, "Votre pratique complétée est renvoyée au comité.")
                return redirect("practices:review", pk=practice.pk)
            messages.success(request, "Brouillon enregistré. Vous pouvez reprendre plus tard.")
            return redirect("practices:edit", pk=practice.pk)
        except ValidationError as error:
            form.add_error(None, error.messages)
    return render(
        request,
        "practices/edit.html",
        {
            "form": form,
            "practice": practice,
            "abilities": practice.abilities(request.user),
            "reply": request.POST.get("reply", ""),
            "breadcrumb_data": breadcrumb(
                {"url": reverse("practices:onpe_fiches"), "title": "Fiches dispositifs ONPE"}
                if practice.is_onpe_fiche
                else {"url": reverse("practices:mine"), "title": "Mes déclarations"},
                current=str(practice),
            ),
        },
    )


def mine(request):
    practices = Practice.objects.declared_by(request.user).with_labels()
    page = Paginator(practices, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "practices/mine.html",
        {"page_obj": page, "breadcrumb_data": breadcrumb(current="Mes déclarations")},
    )


# Level 2 ------------------------------------------------------------------------------------


def onpe_fiches(request):
    require(request.user, can_write_onpe_fiche)
    practices = (
        Practice.objects.filter(level=PracticeLevel.ONPE)
        .with_labels()
        .order_by("-updated_at", "-pk")
    )
    page = Paginator(practices, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "practices/onpe_list.html",
        {"page_obj": page, "breadcrumb_data": breadcrumb(current="Fiches dispositifs ONPE")},
    )


def onpe_new(request):
    require(request.user, can_write_onpe_fiche)
    practice = Practice(level=PracticeLevel.ONPE, declarant=request.user)
    form = OnpeFicheForm(posted(request), instance=practice, saving_draft=True)
    if request.method == "POST" and form.is_valid():
        practice = services.create_onpe_fiche(by=request.user, fields=form.values())
        messages.success(request, "Fiche enregistrée comme brouillon.")
        return redirect("practices:edit", pk=practice.pk)
    return render(
        request,
        "practices/edit.html",
        {
            "form": form,
            "practice": None,
            "abilities": {},
            "breadcrumb_data": breadcrumb(
                {"url": reverse("practices:onpe_fiches"), "title": "Fiches dispositifs ONPE"},
                current="Nouvelle fiche",
            ),
        },
    )


# The option lists -----------------------------------------------------------------------------


def options(request):
    require(request.user, can_manage_options)
    by_list = {value: [] for value in ReferenceList.values}
    for option in ReferenceOption.objects.order_by("list", "position", "pk"):
        by_list[option.list].append(option)
    return render(
        request,
        "practices/options.html",
        {
            "lists": [(ReferenceList(value), items) for value, items in by_list.items()],
            "breadcrumb_data": breadcrumb(current="Listes du formulaire"),
        },
    )


def option_edit(request, list_name, pk=None):
    require(request.user, can_manage_options)
    if list_name not in ReferenceList.values:
        raise Http404
    if pk is None:
        option = ReferenceOption(list=list_name)
    else:
        option = get_visible_or_404(ReferenceOption.objects.filter(list=list_name), pk=pk)
    form = OptionForm(posted(request), instance=option)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_option(option, by=request.user, fields=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, f"Option « {option.label} » enregistrée.")
            return redirect("practices:options")
    title = f"{ReferenceList(list_name).label} : " + (
        "nouvelle option" if pk is None else f"« {option.label} »"
    )
    return render(
        request,
        "practices/option_edit.html",
        {
            "form": form,
            "title": title,
            "breadcrumb_data": breadcrumb(
                {"url": reverse("practices:options"), "title": "Listes du formulaire"},
                current=title,
            ),
        },
    )
