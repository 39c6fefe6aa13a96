"""What everyone reads about the control body: its référentiel, how a grade is given (with a
worked example), and the published reports, anonymised."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from enfance.care.models import Structure
from enfance.core.access import NOT_VISIBLE, get_visible_or_404
from enfance.core.cache import version
from enfance.core.charts import horizontal_bars
from enfance.core.csv_export import csv_response
from enfance.core.pagecache import visitor_page
from enfance.territories.tilemap import tile_map

from . import grading, reports, stats
from .enums import PUBLIC_STATUSES, Judgement, Level
from .models import Inspection, Referentiel, public_identifier
from .services import current_referentiel

PER_PAGE = 25
# A public page is rendered again at least this often, even if nothing was published.
PAGE_SECONDS = 10 * 60


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


def _public_key(*parts) -> str:
    """A public page's cache key: it changes with every publication or action answered
    (``stats.VERSION``) and every day (an action's deadline passes at midnight)."""
    day = timezone.localdate().isoformat()
    return ":".join(map(str, ("inspections", *parts, version(stats.VERSION), day)))


@login_not_required
def public_report(request, pk):
    inspection = get_visible_or_404(_published(), pk=pk)

    def build(**extra):
        return render(
            request,
            "inspections/public_report.html",
            {
                "inspection": inspection,
                "report": reports.detail(inspection),
                "actions": reports.actions(inspection),
                "breadcrumb_data": breadcrumb(current=f"Rapport {inspection.public_identifier}"),
                **extra,
            },
        )

    return visitor_page(request, _public_key("report", pk), build, fresh_for=PAGE_SECONDS)


def _structure_by_identifier(identifier: str):
    """The structure a public identifier (ES-<département>-<number>) names, if it has a
    published report; 404 otherwise."""
    prefix, _, rest = identifier.partition("-")
    code, _, number = rest.rpartition("-")
    if prefix != "ES" or not number.isdigit():
        raise Http404(NOT_VISIBLE)
    published = Structure.objects.filter(inspections__status__in=PUBLIC_STATUSES).distinct()
    return get_visible_or_404(
        published.select_related("departement"), pk=int(number), departement__code=code
    )


@login_not_required
def structure_history(request, identifier):
    structure = _structure_by_identifier(identifier)
    return visitor_page(
        request,
        _public_key("history", structure.pk),
        lambda **extra: _history_page(request, structure, extra),
        fresh_for=PAGE_SECONDS,
    )


def _history_page(request, structure, extra):
    reports = stats.history(structure)
    return render(
        request,
        "inspections/history.html",
        {
            "structure": structure,
            "identifier": public_identifier(structure),
            "reports": reports,
            "chart": horizontal_bars(
                (
                    (
                        f"{r.visit_on:%m/%Y}",
                        float(r.mean),
                        f"{mean_shown(r.mean)} — niveau {r.level}",
                    )
                    for r in reversed(reports)
                ),
                maximum=grading.MAX_SCORE,
            ),
            "breadcrumb_data": breadcrumb(current=public_identifier(structure)),
            **extra,
        },
    )


@login_not_required
def figures(request):
    data = stats.figures()
    return render(
        request,
        "inspections/figures.html",
        {
            "figures": data,
            "levels_chart": horizontal_bars(
                (
                    (row["level"], row["percent"], f"{row['percent']} %")
                    for row in data.national.level_rows()
                ),
                maximum=100,
                left=24,
            ),
            "map": tile_map(
                (d.code, row.reports, {"departement": d, "row": row})
                for d, row in data.by_departement
            ),
            "breadcrumb_data": breadcrumb(current="Les contrôles en chiffres"),
        },
    )


YEAR_HEADER = [
    "departement_code",
    "departement",
    "annee",
    "rapports_publies",
    "programmees",
    "apres_alerte",
    "secondes_visites",
    "conjointes",
    "actions_exigees_en_retard",
]
LEVEL_HEADER = ["departement_code", "departement", "niveau_A", "niveau_B", "niveau_C", "niveau_D"]


def _year_rows(data):
    names = {d.code: d.name for d, _ in data.by_departement}
    for (code, year), row in sorted(data.by_year.items()):
        yield [
            code,
            names.get(code, ""),
            year,
            row.reports,
            row.planned,
            row.reactive,
            row.follow_up,
            row.joint,
            row.overdue,
        ]


@login_not_required
def figures_csv(request, kind):
    if kind not in ("annees", "niveaux"):
        raise Http404(NOT_VISIBLE)
    data = stats.figures()
    if kind == "annees":
        return csv_response([YEAR_HEADER, *_year_rows(data)], filename="controles-par-annee.csv")
    rows = [
        [d.code, d.name, *(row.levels[level] for level in Level.values)]
        for d, row in data.by_departement
    ]
    return csv_response([LEVEL_HEADER, *rows], filename="controles-niveaux.csv")


@login_not_required
def figures_json(request):
    data = stats.figures()
    return JsonResponse(
        {
            "source": "Rapports d'inspection publiés par l'organe de contrôle",
            "niveaux_nationaux": {level: data.national.levels[level] for level in Level.values},
            "niveaux_par_departement": [
                dict(zip(LEVEL_HEADER, row, strict=True))
                for row in (
                    [d.code, d.name, *(r.levels[level] for level in Level.values)]
                    for d, r in data.by_departement
                )
            ],
            "par_annee": [dict(zip(YEAR_HEADER, row, strict=True)) for row in _year_rows(data)],
        },
        json_dumps_params={"ensure_ascii": False},
    )
