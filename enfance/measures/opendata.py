"""The waiting times as a dataset (core.opendata): the figures of the public page, by
département and by type of measure, under the same statistical secrecy (``stats``): a count from
1 to 4, or one that a total would give back, is left empty, and so are the delays of fewer than
5 measures started. Only the départements that send their measures are listed: a département
absent from the platform has no figure, not a zero."""

from django.utils import timezone

from enfance.core.cache import rebuilt_once, version
from enfance.core.opendata import Dataset, Field, register
from enfance.territories.models import Departement

from . import services, stats
from .enums import SHORT_LABELS, MeasureKind

ALL_KINDS = "Toutes"
# As the public page: rebuilt after a write (services.VERSION), when the day turns, and at least
# this often.
FRESH_SECONDS = 3600


def _row(departement, kind: str, cell: stats.Cell, since, today) -> dict:
    return {
        "departement": departement.code,
        "nom": departement.name,
        "type_de_mesure": kind,
        "debuts_du": since,
        "au": today,
        "mesures_en_attente": cell.waiting,
        "mesures_debutees": cell.started,
        "delai_median_jours": cell.median,
        "delai_90e_centile_jours": cell.p90,
        "part_debutees_sous_30_jours": cell.within_share,
    }


def _build(today) -> list[dict]:
    figures = stats.figures(today)
    by_kind = stats.by_departement_and_kind(today)
    empty = stats.Cell()
    rows = []
    for d in Departement.objects.filter(pk__in=figures.by_departement).order_by("code"):
        rows.append(_row(d, ALL_KINDS, figures.by_departement[d.pk], figures.since, today))
        rows += [
            _row(
                d, SHORT_LABELS[kind], by_kind.get((d.pk, kind.value), empty), figures.since, today
            )
            for kind in MeasureKind
        ]
    return rows


def _rows() -> list[dict]:
    today = timezone.localdate()
    key = f"measures:opendata:{version(services.VERSION)}:{today.isoformat()}"
    return rebuilt_once(key, lambda: _build(today), fresh_for=FRESH_SECONDS)


HIDDEN_COUNT = "Vide : secret statistique (de 1 à 4 mesures, ou déductible d'un total publié)."
NOT_COMPUTED = "Vide : moins de 5 mesures débutées sur la période, ou leur nombre est secret."

register(
    Dataset(
        slug="delais-d-attente-par-departement",
        title="Délais d'exécution des mesures, par département",
        description="Combien de temps attend un enfant entre la décision d'une mesure (AEMO, "
        "AED, placement, MJIE) et son début : les mesures en attente ce jour et les délais des "
        "mesures débutées sur les douze derniers mois, par département et par type, tels que "
        "la page publique les montre, sous secret statistique.",
        module="Places et accueil",
        frequency="quotidienne (chiffres du jour, recalculés à chaque envoi d'un département)",
        fields=(
            Field("departement", "string", "Code du département"),
            Field("nom", "string", "Nom du département"),
            Field("type_de_mesure", "string", "Type de mesure", "« Toutes » : leur total."),
            Field("debuts_du", "date", "Période : mesures débutées depuis le"),
            Field("au", "date", "Période : jusqu'au", "Date des chiffres."),
            Field("mesures_en_attente", "integer", "Mesures en attente ce jour", HIDDEN_COUNT),
            Field("mesures_debutees", "integer", "Mesures débutées sur la période", HIDDEN_COUNT),
            Field("delai_median_jours", "number", "Délai médian (jours)", NOT_COMPUTED),
            Field(
                "delai_90e_centile_jours", "number", "Délai du 90e centile (jours)", NOT_COMPUTED
            ),
            Field(
                "part_debutees_sous_30_jours",
                "integer",
                "Part des mesures débutées en 30 jours au plus (%)",
                NOT_COMPUTED,
            ),
        ),
        rows=_rows,
    )
)
