"""The yes/no facts per département that the strategy aims at everywhere by 2022 (seed 003):
recorded by the national administrator, each dated and sourced, public. The latest statement
for a département and a fact is its state; a fact nobody recorded is unknown, never « absent »."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.urls import reverse

from enfance.core.access import permit
from enfance.core.eventlog import record_event
from enfance.core.text import bounded_text
from enfance.territories.models import Departement

from .contracts import can_manage, source_text
from .models import DepartementFact, FactKind
from .models.facts import DETAIL_MAX, OBSERVED_DAY

NOT_ADMINISTRATOR = "Seul l'administrateur national enregistre les faits départementaux."
TARGET_YEAR = 2022


@dataclass(frozen=True)
class Aim:
    """Where the strategy sets the target: a measure (« 2.6 ») or, for the steering bodies
    that are not among the engagements' measures, the section of the text."""

    measure: str
    where: str
    quote: str

    @property
    def url(self) -> str:
        if not self.measure:
            return ""
        return reverse("strategy:measure", args=[self.measure.replace(".", "-")])


AIMS = {
    FactKind.ODPE: Aim(
        "",
        "Pilotage : faire en sorte que chaque département dispose d'un ODPE",
        "D'ici 2022, l'objectif est d'avoir un ODPE pour chaque département.",
    ),
    FactKind.PARENTAL_CENTRE: Aim(
        "2.6",
        "Mesure 2.6 : développer les centres parentaux",
        "1 centre parental par département d'ici 2022.",
    ),
    FactKind.MOBILE_TEAM: Aim(
        "2.2",
        "Mesure 2.2 : dispositifs adaptés aux problématiques croisées",
        "Objectif : 1 équipe mobile par département […] d'ici 2022.",
    ),
    FactKind.FOUR_PARTY_BODY: Aim(
        "",
        "Pilotage : des instances ad hoc au niveau local",
        "D'ici 2022, il est ainsi prévu de généraliser dans l'ensemble des départements la "
        "mise en place d'une instance quadripartite restreinte au niveau local.",
    ),
}


def record_fact(
    *,
    by,
    departement: Departement,
    kind: str,
    present: bool,
    observed_on,
    source: str,
    source_url: str = "",
    detail: str = "",
) -> DepartementFact:
    permit(can_manage(by), NOT_ADMINISTRATOR)
    if kind not in FactKind.values:
        raise ValidationError({"kind": "Choisissez l'un des quatre dispositifs suivis."})
    refused = OBSERVED_DAY.refusal(observed_on)
    if refused:
        raise ValidationError({"observed_on": refused[1]})
    detail = bounded_text(detail, limit=DETAIL_MAX, field="detail")
    if kind == FactKind.ODPE and present and not detail:
        raise ValidationError(
            {
                "detail": "La stratégie attend un ODPE avec une personne nommée pour l'animer : "
                "précisez sa fonction (pas son nom)."
            }
        )
    if source_url:
        URLValidator(message="Donnez une adresse web complète, commençant par https://.")(
            source_url
        )
    fact = DepartementFact(
        departement=departement,
        kind=kind,
        present=present,
        observed_on=observed_on,
        source=source_text(source),
        source_url=source_url,
        detail=detail,
        recorded_by=by,
    )
    try:
        with transaction.atomic():
            fact.save()
            record_event(
                by=by,
                action="strategy.fact.record",
                summary=f"Fait départemental : {fact}",
                target=fact,
                public=True,
            )
    except IntegrityError as twice:
        raise ValidationError(
            {"observed_on": "Ce fait est déjà enregistré à cette date pour ce département."}
        ) from twice
    return fact


def _latest(facts) -> dict[tuple[int, str], DepartementFact]:
    """The latest statement per (département, fact), from facts ordered newest first."""
    latest = {}
    for fact in facts:
        latest.setdefault((fact.departement_id, fact.kind), fact)
    return latest


def _newest_first(queryset):
    return queryset.order_by("departement_id", "kind", "-observed_on", "-pk")


def latest_for(departement: Departement) -> list[dict]:
    """The four facts of one département: each with its latest statement (None if unknown)
    and where the strategy sets its target."""
    latest = _latest(_newest_first(DepartementFact.objects.filter(departement=departement)))
    return [
        {
            "kind": kind,
            "label": kind.label,
            "aim": AIMS[kind],
            "fact": latest.get((departement.pk, kind.value)),
        }
        for kind in FactKind
    ]


def national() -> dict:
    """Every département × the four facts, and per fact how many départements have it in place,
    have it not, or are unknown, against the target (all of them by 2022)."""
    departements = list(Departement.objects.order_by("code"))
    latest = _latest(_newest_first(DepartementFact.objects.all()))
    rows = [
        {
            "departement": departement,
            "facts": [latest.get((departement.pk, kind.value)) for kind in FactKind],
        }
        for departement in departements
    ]
    totals = []
    for position, kind in enumerate(FactKind):
        known = [row["facts"][position] for row in rows if row["facts"][position] is not None]
        present = sum(1 for fact in known if fact.present)
        totals.append(
            {
                "kind": kind,
                "label": kind.label,
                "aim": AIMS[kind],
                "present": present,
                "absent": len(known) - present,
                "unknown": len(rows) - len(known),
                "target": len(rows),
            }
        )
    return {"rows": rows, "totals": totals, "target_year": TARGET_YEAR}
