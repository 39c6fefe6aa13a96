"""What everyone reads about the control body: its référentiel, how a grade is given (with a
worked example), and the published reports, anonymised."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse

from enfance.core.access import get_visible_or_404

from . import grading, reports
from .enums import Judgement, Level
from .models import Inspection, Referentiel
from .services import current_referentiel

PER_PAGE = 25


def breadcrumb(*links, current: str) -> dict:
    root = {"url": reverse("inspections:home"), "title": "Contrôle des lieux d'accueil"}
    return {"links": [root, *links], "current": current, "root_dir": reverse("core:home")}


def _published():
    return Inspection.objects.published().select_related("structure__departement", "referentiel")


@login_not_required
def home(request):
    reports = Paginator(_published().order_by("-published_at", "-pk"), PER_PAGE)
    return render(
        request,
        "inspections/home.html",
        {
            "referentiel": current_referentiel(),
            "page_obj": reports.get_page(request.GET.get("page")),
            "breadcrumb_data": {
                "links": [],
                "current": "Contrôle des lieux d'accueil",
                "root_dir": reverse("core:home"),
            },
        },
    )


@login_not_required
def referentiel(request, version):
    version = get_visible_or_404(Referentiel.objects.all(), version=version)
    themes = version.themes.prefetch_related("criteria")
    return render(
        request,
        "inspections/referentiel.html",
        {
            "referentiel": version,
            "themes": themes,
            "imperatives": sum(c.imperative for t in themes for c in t.criteria.all()),
            "versions": Referentiel.objects.all(),
            "breadcrumb_data": breadcrumb(current=f"Référentiel, version {version.version}"),
        },
    )


def mean_shown(value) -> str:
    """A mean as people read it: « 3,5 », « 3,67 » (the grade compares the exact value)."""
    return f"{float(value):.2f}".rstrip("0").rstrip(".").replace(".", ",")


def _thresholds():
    return [
        {"from": mean_shown(threshold), "judgement": judgement.label}
        for threshold, judgement in grading.JUDGEMENT_THRESHOLDS
    ]


@login_not_required
def grading_rules(request):
    scores, example = grading.worked_example()
    referentiel = current_referentiel()
    titles = {theme.code: theme.title for theme in referentiel.themes.all()}
    criteria = {c.code: c.text for c in referentiel.criteria.all()}
    return render(
        request,
        "inspections/grading.html",
        {
            "thresholds": _thresholds(),
            "imperative_met_from": grading.IMPERATIVE_MET_FROM,
            "levels": Level,
            "insuffisant": Judgement.INSUFFISANT.label,
            "example_rows": [
                {
                    "score": s,
                    "theme": titles.get(s.theme, s.theme),
                    "text": criteria.get(s.criterion),
                }
                for s in scores
            ],
            "example": example,
            "example_themes": [
                {"grade": t, "title": titles[t.theme], "mean": mean_shown(t.mean)}
                for t in example.themes
            ],
            "example_mean": mean_shown(example.mean),
            "by_mean": grading.judgement_of(example.mean),
            "breadcrumb_data": breadcrumb(current="Comment une note est donnée"),
        },
    )


@login_not_required
def public_report(request, pk):
    inspection = get_visible_or_404(_published(), pk=pk)
    return render(
        request,
        "inspections/public_report.html",
        {
            "inspection": inspection,
            "report": reports.detail(inspection),
            "actions": reports.actions(inspection),
            "breadcrumb_data": breadcrumb(current=f"Rapport {inspection.public_identifier}"),
        },
    )
