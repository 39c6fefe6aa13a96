"""The public figures of waiting times (« Délais d'exécution des mesures »), each département's
page, the detail for the people who follow a département's measures, and the recording and the
import by the département's services. Business rules are in services.py and stats.py."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from enfance.core.access import get_visible_or_404, require
from enfance.core.cache import rebuilt_once, version
from enfance.core.csv_export import csv_response
from enfance.core.dates import written_date
from enfance.core.forms import add_service_errors
from enfance.core.navigation import breadcrumb, crumb
from enfance.core.pagecache import visitor_page
from enfance.territories.models import Departement
from enfance.territories.tilemap import tile_map

from . import services, stats
from .chart import month_chart
from .enums import SHORT_LABELS, MeasureKind
from .forms import ImportForm, MeasureForm
from .models import Measure, MeasureImport
from .perms import FOLLOWING_ROLES, can_follow_measures, can_record_measures, departements_of

# The figures are rebuilt at least this often, at once after a write (services.VERSION) and
# when the day turns (waiting times grow with the date).
FIGURES_SECONDS = 3600
PER_PAGE = 50
TITLE = "Délais d'exécution des mesures"


def _breadcrumb(*links, current: str) -> dict:
    return breadcrumb(crumb("measures:index", TITLE), *links, current=current)


MONTHS_SHORT = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin",
    "juil.", "août", "sept.", "oct.", "nov.", "déc.",
]  # fmt: skip


def month_label(month, short: bool = False) -> str:
    """« mars 2026 »; short, for the chart's axis: « mars »."""
    if short:
        return MONTHS_SHORT[month.month - 1]
    return f"{date_format(month, 'F')} {month.year}"


def _cached_figures(today, departement=None) -> stats.Figures:
    scope = departement.code if departement is not None else "france"
    key = f"measures:figures:{scope}:{version(services.VERSION)}:{today.isoformat()}"
    return rebuilt_once(key, lambda: stats.figures(today, departement), fresh_for=FIGURES_SECONDS)


def _common(figures: stats.Figures) -> dict:
    return {
        "figures": figures,
        "today_label": written_date(figures.today),
        "since_label": written_date(figures.since),
        "chart": month_chart(figures.by_month, label=month_label),
        "months": [
            {"label": month_label(m.month), "cell": m.cell, "current": m.current}
            for m in figures.by_month
        ],
        "wait_bands": [label for _, label in stats.WAIT_BANDS],
    }


def _own_departements(user):
    ids = departements_of(user, FOLLOWING_ROLES)
    return list(Departement.objects.filter(pk__in=ids).order_by("code")) if ids else []


@login_not_required
def index(request):
    today = timezone.localdate()

    def build(**extra):
        figures = _cached_figures(today)
        departements = list(Departement.objects.order_by("code"))
        empty = stats.Cell()
        rows = [(d, figures.by_departement.get(d.pk, empty)) for d in departements]
        drawn = tile_map(
            (
                d.code,
                # 0 is the legend's « no figure »: a median under a day still colours.
                max(round(cell.median), 1) if cell.median is not None else 0,
                {
                    "departement": d,
                    "cell": cell,
                    "url": reverse("measures:departement", args=[d.code]),
                },
            )
            for d, cell in rows
        )
        return render(
            request,
            "measures/index.html",
            {
                **_common(figures),
                "rows": rows,
                "map": drawn,
                "own_departements": _own_departements(request.user),
                "breadcrumb_data": {
                    "links": [],
                    "current": TITLE,
                    "root_dir": reverse("core:home"),
                },
                **extra,
            },
        )

    return visitor_page(
        request,
        f"measures:index:{version(services.VERSION)}:{today.isoformat()}",
        build,
        fresh_for=FIGURES_SECONDS,
    )


@login_not_required
def departement_page(request, code):
    departement = get_visible_or_404(Departement.objects.all(), code=code)
    today = timezone.localdate()

    def build(**extra):
        figures = _cached_figures(today, departement)
        return render(
            request,
            "measures/departement.html",
            {
                **_common(figures),
                "departement": departement,
                "can_follow": can_follow_measures(request.user, departement),
                "breadcrumb_data": _breadcrumb(current=str(departement)),
                **extra,
            },
        )

    return visitor_page(
        request,
        f"measures:departement:{code}:{version(services.VERSION)}:{today.isoformat()}",
        build,
        fresh_for=FIGURES_SECONDS,
    )


def _departement_link(departement) -> dict:
    return {
        "url": reverse("measures:departement", args=[departement.code]),
        "title": str(departement),
    }


def _followed(request, code) -> Departement:
    departement = get_visible_or_404(Departement.objects.all(), code=code)
    require(request.user, can_follow_measures, departement)
    return departement


def _recorded(request, code) -> Departement:
    departement = get_visible_or_404(Departement.objects.all(), code=code)
    require(request.user, can_record_measures, departement)
    return departement


def follow(request, code):
    """The measures waiting now in the département: for its services and its magistrates."""
    departement = _followed(request, code)
    today = timezone.localdate()
    waiting = (
        Measure.objects.waiting()
        .filter(departement=departement)
        .order_by("ordered_on", "pk")
        .only("kind", "age_band", "ordered_on", "started_on")
    )
    kind = request.GET.get("type", "")
    if kind in MeasureKind.values:
        waiting = waiting.filter(kind=kind)
    else:
        kind = ""
    page = Paginator(waiting, PER_PAGE).get_page(request.GET.get("page"))
    for measure in page.object_list:
        measure.waited = measure.waited_days(today)
    can_record = can_record_measures(request.user, departement)
    title = f"Mesures en attente : {departement}"
    return render(
        request,
        "measures/follow.html",
        {
            "departement": departement,
            "today_label": written_date(today),
            "by_kind": stats.waiting_by_kind(departement, today),
            "wait_bands": [label for _, label in stats.WAIT_BANDS],
            "page_obj": page,
            "kinds": [(k.value, SHORT_LABELS[k]) for k in MeasureKind],
            "kind": kind,
            "can_record": can_record,
            "imports": (
                MeasureImport.objects.filter(departement=departement).select_related("imported_by")[
                    :5
                ]
                if can_record
                else []
            ),
            "title": title,
            "breadcrumb_data": _breadcrumb(_departement_link(departement), current="Suivi"),
        },
    )


def record(request, code):
    departement = _recorded(request, code)
    form = MeasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            done = services.record_measure(departement, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if done.created:
                messages.success(request, "La mesure est enregistrée.")
            elif done.changed:
                messages.success(
                    request, "Cette référence était connue : la mesure est mise à jour."
                )
            else:
                messages.info(
                    request, "Cette mesure était déjà enregistrée ainsi : rien n'a changé."
                )
            return redirect("measures:follow", code=departement.code)
    title = "Enregistrer une mesure"
    return render(
        request,
        "measures/record.html",
        {
            "form": form,
            "departement": departement,
            "title": title,
            "breadcrumb_data": _breadcrumb(
                _departement_link(departement),
                {"url": reverse("measures:follow", args=[departement.code]), "title": "Suivi"},
                current=title,
            ),
        },
        status=400 if form.errors else 200,
    )


def import_file(request, code):
    departement = _recorded(request, code)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = services.import_measures(departement, by=request.user, data=upload.read())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            form = ImportForm()
    title = "Importer un fichier de mesures"
    return render(
        request,
        "measures/import.html",
        {
            "form": form,
            "report": report,
            "departement": departement,
            "title": title,
            "breadcrumb_data": _breadcrumb(
                _departement_link(departement),
                {"url": reverse("measures:follow", args=[departement.code]), "title": "Suivi"},
                current=title,
            ),
        },
        status=400 if form.errors else 200,
    )


# Open data -----------------------------------------------------------------------------------

DOWNLOAD_COLUMNS = [
    "date_des_donnees",
    "debuts_depuis",
    "niveau",
    "code",
    "nom",
    "type_de_mesure",
    "mesures_en_attente",
    "mesures_debutees",
    "delai_median_jours",
    "delai_90e_centile_jours",
    "part_debutees_sous_30_jours_pourcent",
]
HIDDEN_COUNT = "secret"


def _open_rows(today) -> list[dict]:
    """One row for France and each type, then for each département and each type: the public
    figures, secret counts written « secret », their delays left empty."""

    def build():
        figures = _cached_figures(today)
        cells = stats.by_departement_and_kind(today)
        empty = stats.Cell()

        def row(level, code, name, kind, cell):
            return {
                "date_des_donnees": today.isoformat(),
                "debuts_depuis": figures.since.isoformat(),
                "niveau": level,
                "code": code,
                "nom": name,
                "type_de_mesure": kind,
                "mesures_en_attente": HIDDEN_COUNT if cell.waiting is None else cell.waiting,
                "mesures_debutees": HIDDEN_COUNT if cell.started is None else cell.started,
                "delai_median_jours": cell.median,
                "delai_90e_centile_jours": cell.p90,
                "part_debutees_sous_30_jours_pourcent": cell.within_share,
            }

        rows = [row("france", "", "France", "toutes", figures.total)]
        rows += [row("france", "", "France", kind, cell) for kind, _, cell in figures.by_kind]
        for d in Departement.objects.order_by("code"):
            rows.append(
                row(
                    "departement", d.code, d.name, "toutes", figures.by_departement.get(d.pk, empty)
                )
            )
            rows += [
                row("departement", d.code, d.name, kind, cells.get((d.pk, kind), empty))
                for kind in MeasureKind.values
            ]
        return rows

    key = f"measures:open:{version(services.VERSION)}:{today.isoformat()}"
    return rebuilt_once(key, build, fresh_for=FIGURES_SECONDS)


@login_not_required
def download_csv(request):
    today = timezone.localdate()
    rows = _open_rows(today)
    return csv_response(
        [DOWNLOAD_COLUMNS, *([row[c] for c in DOWNLOAD_COLUMNS] for row in rows)],
        filename=f"delais-mesures-{today.isoformat()}.csv",
    )


@login_not_required
def download_json(request):
    today = timezone.localdate()
    payload = {
        "titre": TITLE,
        "date_des_donnees": today.isoformat(),
        "secret_statistique": (
            "Un nombre de 1 à 4 est remplacé par « secret », comme un second nombre quand le "
            "premier se déduirait d'un total ; aucun délai n'est calculé pour moins de 5 "
            "mesures débutées, ni pour un nombre caché."
        ),
        "lignes": _open_rows(today),
        "france_par_mois_de_debut": [
            {
                "mois": month.month.strftime("%Y-%m"),
                "en_cours": month.current,
                "mesures_debutees": HIDDEN_COUNT if cell.started is None else cell.started,
                "delai_median_jours": cell.median,
                "delai_90e_centile_jours": cell.p90,
                "part_debutees_sous_30_jours_pourcent": cell.within_share,
            }
            for month in _cached_figures(today).by_month
            for cell in [month.cell]
        ],
    }
    response = HttpResponse(
        json.dumps(payload, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="delais-mesures-{today}.json"'
    return response
