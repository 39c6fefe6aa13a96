"""The open-data catalogue and its downloads (core.opendata)."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from . import opendata
from .csv_export import csv_response
from .navigation import breadcrumb


def _dataset(slug: str) -> opendata.Dataset:
    found = opendata.get(slug)
    if found is None:
        raise Http404("Ce jeu de données n'existe pas.")
    return found


@login_not_required
def catalogue(request):
    return render(
        request,
        "core/opendata.html",
        {
            "datasets": opendata.datasets(),
            "licence": opendata.LICENCE,
            "licence_url": opendata.LICENCE_URL,
            "breadcrumb_data": breadcrumb(current="Données ouvertes"),
        },
    )


@login_not_required
def download_csv(request, slug):
    dataset = _dataset(slug)
    names = dataset.names
    rows = ([row[name] for name in names] for row in dataset.rows())
    return csv_response([names, *rows], filename=f"{slug}-{timezone.localdate().isoformat()}.csv")


@login_not_required
def download_json(request, slug):
    dataset = _dataset(slug)
    return JsonResponse(
        {
            "jeu_de_donnees": dataset.slug,
            "titre": dataset.title,
            "licence": opendata.LICENCE,
            "date_des_donnees": timezone.localdate().isoformat(),
            "schema": request.build_absolute_uri(reverse("core:opendata_schema", args=[slug])),
            "lignes": [
                {name: opendata.json_value(row[name]) for name in dataset.names}
                for row in dataset.rows()
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@login_not_required
def schema(request, slug):
    return JsonResponse(
        opendata.table_schema(_dataset(slug)), json_dumps_params={"ensure_ascii": False}
    )
