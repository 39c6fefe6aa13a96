"""The supervising instance and its SCIC: the structures of the registry the SCIC runs (and their
places, shown to the instance), the annual report and accounts (public) with the instance's yearly
opinion by vote, questions put on record and answered by the SCIC's representatives, and the
minutes of the general assemblies, published to the associates."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from enfance.assemblies.perms import can_manage_instance
from enfance.core import notifications, uploads
from enfance.core.access import permit
from enfance.core.dates import written_date
from enfance.core.eventlog import record_event
from enfance.core.text import bounded_text
from enfance.votes import services as votes
from enfance.votes.enums import BallotState, Method
from enfance.votes.models import Ballot

from .cooperatives import NOT_SUPERVISOR
from .enums import StructureStatus
from .models import (
    AnnualReport,
    Cooperative,
    GeneralAssembly,
    PlaceCategory,
    RunStructure,
    Structure,
    SupervisionQuestion,
)
from .models.supervision import ANSWER_MAX, FIRST_REPORT_YEAR, QUESTION_MAX

NOT_REPRESENTATIVE = "Seuls les représentants de la SCIC, inscrits au registre, lui répondent."


def representatives(cooperative: Cooperative):
    return cooperative.associates.current().filter(represents=True, user__isnull=False)


def is_representative(user, cooperative: Cooperative) -> bool:
    return user.is_authenticated and representatives(cooperative).filter(user=user).exists()


def supervises(user, cooperative: Cooperative) -> bool:
    return bool(can_manage_instance(user, cooperative.instance))


# The structures it runs -------------------------------------------------------------------------


def attach_structure(cooperative: Cooperative, *, by, finess: str) -> RunStructure:
    """A structure of the registry, validated, in the SCIC's département, run by no other
    SCIC, found by its FINESS number."""
    permit(supervises(by, cooperative), NOT_SUPERVISOR)
    structure = Structure.objects.filter(
        finess=(finess or "").strip(),
        departement_id=cooperative.departement_id,
        status=StructureStatus.VALIDATED,
    ).first()
    if structure is None:
        raise ValidationError(
            {
                "finess": "Aucune structure validée de ce département ne porte ce numéro FINESS "
                "dans le registre."
            }
        )
    try:
        with transaction.atomic():
            run = RunStructure.objects.create(cooperative=cooperative, structure=structure)
            record_event(
                by=by,
                action="care.cooperative.structure",
                summary=f"{structure.name} est gérée par la SCIC {cooperative}",
                target=cooperative,
                data={"structure": structure.pk},
                public=True,
            )
    except IntegrityError as taken:
        raise ValidationError(
            {"finess": f"{structure.name} est déjà gérée par une SCIC."}
        ) from taken
    return run


def detach_structure(run: RunStructure, *, by) -> None:
    permit(supervises(by, run.cooperative), NOT_SUPERVISOR)
    with transaction.atomic():
        run.delete()
        record_event(
            by=by,
            action="care.cooperative.structure_detached",
            summary=f"{run.structure.name} n'est plus gérée par la SCIC {run.cooperative}",
            target=run.cooperative,
            public=True,
        )


@dataclass(frozen=True)
class StructurePlaces:
    structure: Structure
    installed: int
    free: int | None
    declared_at: object


def places_of(cooperative: Cooperative, now=None) -> list[StructurePlaces]:
    """Each structure's installed places and its free places when every figure is fresh
    (unknown otherwise: a stale figure never counts as free)."""
    now = now or timezone.now()
    runs = list(cooperative.run_structures.select_related("structure").order_by("structure__name"))
    categories = PlaceCategory.objects.filter(structure__in=[r.structure for r in runs])
    by_structure: dict[int, list] = {}
    for category in categories:
        by_structure.setdefault(category.structure_id, []).append(category)
    rows = []
    for run in runs:
        found = by_structure.get(run.structure_id, [])
        known = [c.known_free(now) for c in found]
        rows.append(
            StructurePlaces(
                structure=run.structure,
                installed=sum(c.open_capacity for c in found),
                free=sum(known) if found and None not in known else None,
                declared_at=min((c.declared_at for c in found if c.declared_at), default=None),
            )
        )
    return rows


# Annual report and the instance's opinion ------------------------------------------------------


def publish_report(cooperative: Cooperative, *, by, year: int, report, accounts) -> AnnualReport:
    permit(
        supervises(by, cooperative) or is_representative(by, cooperative),
        "Seuls les représentants de la SCIC et le secrétariat de l'instance qui la supervise "
        "publient son rapport annuel.",
    )
    this_year = timezone.localdate().year
    if not FIRST_REPORT_YEAR <= (year or 0) <= this_year:
        raise ValidationError(
            {"year": f"Choisissez un exercice de {FIRST_REPORT_YEAR} à {this_year}."}
        )
    files = {
        field: uploads.checked(
            upload, kinds=[uploads.PDF], max_bytes=settings.CARE_STATUTES_MAX_BYTES, field=field
        )[2]
        for field, upload in (("report", report), ("accounts", accounts))
    }
    try:
        with transaction.atomic():
            published = AnnualReport(cooperative=cooperative, year=year, published_by=by)
            published.report.save(
                f"rapport-{cooperative.siren}-{year}.pdf", ContentFile(files["report"]), save=False
            )
            published.accounts.save(
                f"comptes-{cooperative.siren}-{year}.pdf",
                ContentFile(files["accounts"]),
                save=False,
            )
            published.save()
            record_event(
                by=by,
                action="care.cooperative.report",
                summary=f"Rapport annuel {year} et comptes publiés : SCIC {cooperative}",
                target=cooperative,
                data={"year": year},
                public=True,
            )
    except IntegrityError as twice:
        raise ValidationError({"year": "Le rapport de cet exercice est déjà publié."}) from twice
    return published


def report_ballots(report: AnnualReport):
    return Ballot.objects.for_context(report).exclude(state=BallotState.CANCELLED)


def can_put_report_to_vote(user, report: AnnualReport) -> bool:
    return supervises(user, report.cooperative) and not report_ballots(report).exists()


def put_report_to_vote(report: AnnualReport, *, by, opens_at, closes_at) -> Ballot:
    """The instance's members give their opinion on the report: « pour » is a favourable
    opinion (majority of the votes cast)."""
    permit(
        can_put_report_to_vote(by, report),
        "Seul le secrétariat de l'instance qui supervise la SCIC met son rapport au vote, une "
        "fois par exercice.",
    )
    return votes.create_ballot(
        report,
        by=by,
        title=f"Avis de l'instance sur le rapport annuel {report.year} de {report.cooperative}",
        description="Votez « pour » pour un avis favorable, « contre » pour un avis défavorable.",
        method=Method.MAJORITY,
        secret=True,
        opens_at=opens_at,
        closes_at=closes_at,
    )


def opinion(ballot: Ballot | None) -> str | None:
    """« favorable » or « défavorable » once the vote is closed and counted."""
    result = getattr(ballot, "result", None) if ballot is not None else None
    if ballot is None or ballot.state != BallotState.CLOSED or result is None:
        return None
    return "favorable" if result.data.get("adopted") else "défavorable"


# Questions on record ---------------------------------------------------------------------------


def ask(cooperative: Cooperative, *, by, question: str, now=None) -> SupervisionQuestion:
    """The supervising instance's question, public, answered within the deadline by the SCIC's
    representatives, who are told by e-mail."""
    permit(
        supervises(by, cooperative),
        "Seul le secrétariat de l'instance qui supervise la SCIC lui pose une question.",
    )
    now = now or timezone.now()
    text = bounded_text(
        question,
        limit=QUESTION_MAX,
        field="question",
        label="La question",
        required="Écrivez la question posée à la SCIC.",
    )
    due_on = timezone.localdate(now) + timedelta(days=settings.CARE_QUESTION_ANSWER_DAYS)
    with transaction.atomic():
        # A double click asks once: the cooperative's row, locked, serialises the askers.
        Cooperative.objects.select_for_update().filter(pk=cooperative.pk).first()
        if cooperative.questions.filter(question=text, answered_at__isnull=True).exists():
            raise ValidationError({"question": "Cette question est déjà posée à la SCIC."})
        asked = SupervisionQuestion.objects.create(
            cooperative=cooperative, question=text, asked_by=by, asked_at=now, due_on=due_on
        )
        record_event(
            by=by,
            action="care.cooperative.question",
            summary=f"Question de l'instance à la SCIC {cooperative}",
            target=cooperative,
            data={"question": asked.pk},
            public=True,
        )
        url = notifications.absolute_url(cooperative.get_absolute_url() + f"#question-{asked.pk}")
        for associate in representatives(cooperative).select_related("user"):
            notifications.send(
                "care/emails/question_asked.txt",
                {"question": asked, "url": url, "due": written_date(due_on)},
                subject=f"Question de l'instance à la SCIC {cooperative.name}",
                to=associate.user.email,
            )
    return asked


def answer(question: SupervisionQuestion, *, by, text: str, now=None) -> SupervisionQuestion:
    permit(is_representative(by, question.cooperative), NOT_REPRESENTATIVE)
    now = now or timezone.now()
    text = bounded_text(
        text, limit=ANSWER_MAX, field="text", label="La réponse", required="Écrivez la réponse."
    )
    with transaction.atomic():
        locked = SupervisionQuestion.objects.select_for_update().get(pk=question.pk)
        if locked.answered_at is not None:
            raise ValidationError("La SCIC a déjà répondu à cette question.")
        locked.answer, locked.answered_by, locked.answered_at = text, by, now
        locked.save(update_fields=["answer", "answered_by", "answered_at"])
        record_event(
            by=by,
            action="care.cooperative.answer",
            summary=f"Réponse de la SCIC {locked.cooperative} à la question de l'instance",
            target=locked.cooperative,
            data={"question": locked.pk, "late": locked.late()},
            public=True,
        )
        if locked.asked_by is not None:
            notifications.send(
                "care/emails/question_answered.txt",
                {
                    "question": locked,
                    "url": notifications.absolute_url(locked.get_absolute_url()),
                },
                subject=f"La SCIC {locked.cooperative.name} a répondu",
                to=locked.asked_by.email,
            )
    return locked


# Minutes of the general assemblies --------------------------------------------------------------


def publish_minutes(assembly: GeneralAssembly, *, by, upload, today: date | None = None):
    """The minutes, after the assembly is held, to its associates and its instance only."""
    cooperative = assembly.cooperative
    permit(supervises(by, cooperative), NOT_SUPERVISOR)
    if assembly.held_on > (today or timezone.localdate()):
        raise ValidationError({"minutes": "Le procès-verbal se publie une fois l'assemblée tenue."})
    _name, _type, data = uploads.checked(
        upload, kinds=[uploads.PDF], max_bytes=settings.CARE_STATUTES_MAX_BYTES, field="minutes"
    )
    with transaction.atomic():
        assembly.minutes.save(f"pv-{assembly.pk}.pdf", ContentFile(data), save=False)
        assembly.minutes_published_at = timezone.now()
        assembly.save(update_fields=["minutes", "minutes_published_at"])
        record_event(
            by=by,
            action="care.cooperative.minutes",
            summary=f"Procès-verbal publié : {assembly}",
            target=assembly,
        )
        url = notifications.absolute_url(assembly.get_absolute_url())
        for person in assembly.ballot_electorate():
            notifications.send(
                "care/emails/minutes_published.txt",
                {"assembly": assembly, "url": url},
                subject=f"Procès-verbal : {assembly.title}",
                to=person.email,
            )
    return assembly
