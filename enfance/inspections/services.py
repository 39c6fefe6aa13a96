"""The rules of an inspection, from its opening to its anonymised publication. Views call these;
each checks the person's right, says a refusal in French, and is recorded in the event log."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from enfance.core import notifications
from enfance.core.access import permit
from enfance.core.cache import bump_on_commit
from enfance.core.eventlog import record_event
from enfance.core.text import bounded_text
from enfance.core.workflow import apply_transition

from . import perms, stats
from .enums import ActionKind, InspectionStatus, JointWith, Judgement, Level, Origin
from .models import (
    ACTION_TEXT_MAX,
    ANSWER_TEXT_MAX,
    DUE_DAY,
    FINDING_TEXT_MAX,
    LINK_DETAILS_MAX,
    OBSERVATIONS_MAX,
    REPORT_TEXT_MAX,
    SCORE_MAX,
    SCORE_MIN,
    VISIT_DAY,
    Criterion,
    Finding,
    Inspection,
    InspectionMember,
    InterestDeclaration,
    Referentiel,
    RequiredAction,
)
from .reports import grade_of
from .workflows import ACTION_WORKFLOW, INSPECTION_WORKFLOW, observations_open

SAME_DAY = (
    "Une inspection de cette structure est déjà prévue ce jour-là : ouvrez-la depuis la liste "
    "des inspections plutôt que d'en créer une autre."
)
LINKED = (
    "Vous avez déclaré un lien avec cette structure : vous ne pouvez pas faire partie de "
    "l'équipe qui l'inspecte. Un autre contrôleur ou une autre contrôleuse s'en charge."
)
LINK_DETAILS_REQUIRED = "Dites en quelques mots la nature du lien."


def current_referentiel() -> Referentiel:
    """The version new inspections use: the latest published."""
    return Referentiel.objects.order_by("-published_on", "-version").first()


def _declare(user, structure, *, has_link: bool, details: str) -> None:
    """Record what the contrôleur declares; a link refuses them (and stays on record, so a later
    declaration without it does not undo it)."""
    details = bounded_text(
        details,
        limit=LINK_DETAILS_MAX,
        field="details",
        label="La nature du lien",
        required=LINK_DETAILS_REQUIRED if has_link else None,
    )
    InterestDeclaration.objects.create(
        user=user, structure=structure, has_link=has_link, details=details
    )
    record_event(
        by=user,
        action="inspections.interest_declared",
        summary=f"Déclaration d'intérêts pour {structure} : "
        + ("lien déclaré" if has_link else "aucun lien"),
        target=structure,
        data={"has_link": has_link},
    )


def _linked(user, structure) -> bool:
    return InterestDeclaration.objects.filter(
        user=user, structure=structure, has_link=True
    ).exists()


def _joint_with(values) -> list[str]:
    unknown = set(values) - set(JointWith.values)
    if unknown:
        raise ValidationError({"joint_with": "Choisissez parmi les partenaires proposés."})
    return [value for value in JointWith.values if value in values]


def open_inspection(
    structure,
    *,
    by,
    visit_on,
    origin: str = Origin.PLANNED,
    announced: bool = True,
    joint_with=(),
    has_link: bool,
    link_details: str = "",
    plan_entry=None,
    alert=None,
) -> Inspection:
    """A contrôleur of the structure's territory opens an inspection and leads its team, once
    they have declared no link with the structure."""
    permit(
        perms.can_open_inspection(by, structure),
        "Seuls les contrôleurs du territoire de la structure ouvrent ses inspections.",
    )
    if origin not in Origin.values:
        raise ValidationError({"origin": "Choisissez l'origine de l'inspection."})
    VISIT_DAY.check(visit_on, field="visit_on")
    joint = _joint_with(joint_with)
    for source in (plan_entry, alert):
        if source is not None and source.structure_id != structure.pk:
            raise ValidationError("Le plan ou l'alerte concerne une autre structure.")
    if plan_entry is not None:
        origin = Origin.PLANNED
    if alert is not None:
        origin = Origin.ALERT
    with transaction.atomic():
        _declare(by, structure, has_link=has_link, details=link_details)
    if has_link or _linked(by, structure):
        raise ValidationError(LINKED)
    with transaction.atomic():
        try:
            with transaction.atomic():
                inspection = Inspection.objects.create(
                    structure=structure,
                    referentiel=current_referentiel(),
                    origin=origin,
                    announced=announced,
                    joint_with=joint,
                    visit_on=visit_on,
                    plan_entry=plan_entry,
                    alert=alert,
                    created_by=by,
                )
        except IntegrityError:
            raise ValidationError({"visit_on": SAME_DAY}) from None
        InspectionMember.objects.create(inspection=inspection, user=by, lead=True)
        record_event(
            by=by,
            action="inspections.open",
            summary=f"Inspection ouverte : {structure}, "
            + ("visite annoncée" if announced else "visite inopinée"),
            target=inspection,
            data={"origin": origin, "announced": announced, "joint_with": joint},
        )
    return inspection


def join_team(inspection: Inspection, *, by, has_link: bool, details: str = "") -> None:
    """Another contrôleur of the territory joins the team, once they have declared no link."""
    permit(
        perms.can_join_team(by, inspection),
        "Seuls les contrôleurs du territoire rejoignent l'équipe, avant la fin de la visite.",
    )
    with transaction.atomic():
        _declare(by, inspection.structure, has_link=has_link, details=details)
    if has_link or _linked(by, inspection.structure):
        raise ValidationError(LINKED)
    try:
        with transaction.atomic():
            InspectionMember.objects.create(inspection=inspection, user=by)
            record_event(
                by=by,
                action="inspections.join",
                summary=f"Rejoint l'équipe de l'inspection : {inspection.structure}",
                target=inspection,
            )
    except IntegrityError:
        raise ValidationError("Vous faites déjà partie de l'équipe.") from None


def _score(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        score = int(value)
    except (TypeError, ValueError):
        score = None
    if score is None or not SCORE_MIN <= score <= SCORE_MAX:
        raise ValidationError({"score": "Une note va de 1 à 4, ou « non concerné »."})
    return score


def save_finding(
    inspection: Inspection,
    criterion: Criterion,
    *,
    by,
    score=None,
    not_concerned: bool = False,
    evidence: str = "",
    voices: str = "",
) -> Finding:
    """Save what the team found on one criterion (as it is typed: a draft until the rapport
    provisoire)."""
    permit(
        perms.can_write_findings(by, inspection),
        "Seule l'équipe d'inspection note les critères, pendant la visite.",
    )
    if criterion.referentiel_id != inspection.referentiel_id:
        raise ValidationError(
            "Ce critère n'appartient pas à la version du référentiel de cette inspection."
        )
    value = _score(score)
    if not_concerned and value is not None:
        raise ValidationError({"score": "Un critère noté ne peut pas être « non concerné »."})
    texts = {
        "evidence": bounded_text(
            evidence, limit=FINDING_TEXT_MAX, field="evidence", label="Les constats"
        ),
        "voices": bounded_text(
            voices, limit=FINDING_TEXT_MAX, field="voices", label="Ce qui a été dit"
        ),
    }
    with transaction.atomic():
        finding, _ = Finding.objects.update_or_create(
            inspection=inspection,
            criterion=criterion,
            defaults={
                "score": value,
                "not_concerned": not_concerned,
                **texts,
                "updated_by": by,
                "updated_at": timezone.now(),
            },
        )
        record_event(
            by=by,
            action="inspections.finding",
            summary=f"Critère {criterion.code} : "
            + ("non concerné" if not_concerned else f"note {value}" if value else "sans note"),
            target=inspection,
            data={"criterion": criterion.code, "score": value, "not_concerned": not_concerned},
        )
    return finding


def save_report(inspection: Inspection, *, by, text: str) -> None:
    """The team's synthesis: the text that the rapport provisoire, then the rapport définitif,
    carry, and the only text published."""
    permit(
        perms.can_write_report(by, inspection),
        "Seule l'équipe d'inspection écrit le rapport, jusqu'à sa publication.",
    )
    text = bounded_text(text, limit=REPORT_TEXT_MAX, field="report", label="Le rapport")
    with transaction.atomic():
        Inspection.objects.filter(pk=inspection.pk).update(report=text)
        inspection.report = text
        record_event(
            by=by,
            action="inspections.report",
            summary=f"Rapport modifié : {inspection.structure}",
            target=inspection,
            data={"length": len(text)},
        )


def start_visit(inspection: Inspection, *, by, at=None) -> Inspection:
    return apply_transition(
        inspection,
        INSPECTION_WORKFLOW,
        "start",
        by=by,
        at=at,
        also_update={"started_at": at or timezone.now()},
    )


def _hundredths(value: Fraction) -> Decimal:
    """The mean as kept and shown (the grade itself compares the exact fraction)."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def send_provisional(inspection: Inspection, *, by, at=None) -> Inspection:
    """The rapport provisoire goes to the structure's gestionnaires, who have
    INSPECTION_OBSERVATION_DAYS days to send their observations. The grade is computed from the
    findings now, and kept."""
    moment = at or timezone.now()
    due = timezone.localdate(moment) + timedelta(days=settings.INSPECTION_OBSERVATION_DAYS)
    try:
        grade = grade_of(inspection)
    except ValueError:
        grade = None  # the transition's guard refuses, and says why in French
    grade_fields = (
        {
            "mean": _hundredths(grade.mean),
            "judgement": grade.judgement,
            "level": grade.level,
            "limited": grade.limited,
        }
        if grade
        else {}
    )
    inspection = apply_transition(
        inspection,
        INSPECTION_WORKFLOW,
        "send_provisional",
        by=by,
        at=moment,
        also_update={"provisional_at": moment, "observations_due": due, **grade_fields},
        data={"judgement": grade.judgement if grade else "", "level": grade.level if grade else ""},
    )
    url = notifications.absolute_url(inspection.get_absolute_url())
    for link in inspection.structure.manager_links.select_related("user"):
        notifications.send(
            "inspections/emails/provisional_report.txt",
            {"inspection": inspection, "due": due, "url": url},
            subject="Rapport provisoire d'inspection : vos observations sont attendues",
            to=link.user.email,
        )
    return inspection


def send_observations(inspection: Inspection, *, by, text: str, at=None) -> Inspection:
    """The gestionnaire's observations on the rapport provisoire, within the set time; they are
    attached to the report."""
    permit(
        perms.can_send_observations(by, inspection),
        "Seuls les gestionnaires de la structure envoient des observations sur son rapport.",
    )
    moment = at or timezone.now()
    text = bounded_text(
        text,
        limit=OBSERVATIONS_MAX,
        field="observations",
        label="Vos observations",
        required="Écrivez vos observations.",
    )
    with transaction.atomic():
        locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
        if refusal := observations_open(locked, at=moment):
            raise ValidationError(refusal)
        locked.observations = text
        locked.observations_at = moment
        locked.observations_by = by
        locked.save(update_fields=["observations", "observations_at", "observations_by"])
        record_event(
            by=by,
            action="inspections.observations",
            summary=f"Observations du gestionnaire sur le rapport provisoire : {locked.structure}",
            target=locked,
            data={"length": len(text)},
        )
        lead = locked.members.filter(lead=True).select_related("user").first()
        if lead is not None:
            notifications.send(
                "inspections/emails/observations_received.txt",
                {
                    "inspection": locked,
                    "url": notifications.absolute_url(
                        reverse("inspections:inspection", kwargs={"pk": locked.pk})
                    ),
                },
                subject="Observations reçues sur un rapport provisoire",
                to=lead.user.email,
            )
    return locked


def is_weak(inspection: Inspection) -> bool:
    """A grade that calls for a second visit within the year."""
    return inspection.judgement == Judgement.INSUFFISANT or inspection.level == Level.D


def _visited(structure, day) -> bool:
    return (
        Inspection.objects.filter(structure=structure, visit_on=day)
        .exclude(status=InspectionStatus.CANCELLED)
        .exists()
    )


def finalise(inspection: Inspection, *, by, at=None) -> Inspection:
    """The rapport définitif; after a weak grade, a second visit, unannounced, is scheduled
    INSPECTION_SECOND_VISIT_DAYS later with the same lead."""
    moment = at or timezone.now()
    with transaction.atomic():
        inspection = apply_transition(
            inspection,
            INSPECTION_WORKFLOW,
            "finalise",
            by=by,
            at=moment,
            also_update={"final_at": moment},
        )
        second_on = timezone.localdate(moment) + timedelta(
            days=settings.INSPECTION_SECOND_VISIT_DAYS
        )
        if is_weak(inspection) and not _visited(inspection.structure, second_on):
            second = Inspection.objects.create(
                structure=inspection.structure,
                referentiel=current_referentiel(),
                origin=Origin.FOLLOW_UP,
                announced=False,
                visit_on=second_on,
                created_by=by,
            )
            InspectionMember.objects.create(inspection=second, user=by, lead=True)
            record_event(
                by=by,
                action="inspections.second_visit",
                summary=f"Seconde visite programmée après une note faible : {inspection.structure}",
                target=second,
                data={"after": inspection.pk},
            )
    return inspection


def close_follow_up(inspection: Inspection, *, by) -> Inspection:
    with transaction.atomic():
        inspection = apply_transition(inspection, INSPECTION_WORKFLOW, "close", by=by)
        bump_on_commit(stats.VERSION)
    return inspection


def add_action(
    inspection: Inspection, *, by, criterion: Criterion, kind: str, text: str, due_on=None
) -> RequiredAction:
    """The team writes what the report asks of the structure, until the report is published."""
    permit(
        perms.can_write_report(by, inspection),
        "Seule l'équipe d'inspection écrit les actions demandées, jusqu'à la publication.",
    )
    if criterion.referentiel_id != inspection.referentiel_id:
        raise ValidationError(
            "Ce critère n'appartient pas à la version du référentiel de cette inspection."
        )
    if kind not in ActionKind.values:
        raise ValidationError({"kind": "Choisissez une action exigée ou une recommandation."})
    text = bounded_text(
        text,
        limit=ACTION_TEXT_MAX,
        field="text",
        label="L'action",
        required="Dites ce qui est demandé.",
    )
    if kind == ActionKind.REQUIRED and due_on is None:
        raise ValidationError({"due_on": "Une action exigée a une échéance."})
    DUE_DAY.check(due_on, field="due_on")
    with transaction.atomic():
        action = RequiredAction.objects.create(
            inspection=inspection,
            criterion=criterion,
            kind=kind,
            text=text,
            due_on=due_on,
            created_by=by,
        )
        record_event(
            by=by,
            action="inspections.action",
            summary=f"{action.get_kind_display()} sur {criterion.code} : {inspection.structure}",
            target=inspection,
            data={"criterion": criterion.code, "kind": kind, "due_on": due_on},
        )
    return action


def answer_action(action: RequiredAction, *, by, plan: str, evidence: str = "") -> RequiredAction:
    """The gestionnaire's plan and its evidence; the team is told."""
    texts = {
        "plan": bounded_text(
            plan,
            limit=ANSWER_TEXT_MAX,
            field="plan",
            label="Le plan d'action",
            required="Décrivez ce que la structure fait ou fera.",
        ),
        "evidence": bounded_text(
            evidence, limit=ANSWER_TEXT_MAX, field="evidence", label="Les preuves"
        ),
    }
    with transaction.atomic():
        bump_on_commit(stats.VERSION)
        action = apply_transition(
            action,
            ACTION_WORKFLOW,
            "answer",
            by=by,
            also_update={**texts, "answered_at": timezone.now(), "answered_by": by},
            data={"criterion": action.criterion.code},
        )
        lead = action.inspection.members.filter(lead=True).select_related("user").first()
        if lead is not None and lead.user is not None:
            notifications.send(
                "inspections/emails/action_answered.txt",
                {
                    "action": action,
                    "url": notifications.absolute_url(action.inspection.get_absolute_url()),
                },
                subject="Une structure a répondu à une action demandée",
                to=lead.user.email,
            )
    return action


def judge_action(action: RequiredAction, *, by, accept: bool, note: str = "") -> RequiredAction:
    """The team accepts the answer, or asks for more and says what."""
    note = bounded_text(
        note,
        limit=ANSWER_TEXT_MAX,
        field="decision_note",
        label="L'avis",
        required=None if accept else "Dites ce qui manque encore.",
    )
    with transaction.atomic():
        action = apply_transition(
            action,
            ACTION_WORKFLOW,
            "accept" if accept else "ask_more",
            by=by,
            also_update={"decision_note": note, "decided_at": timezone.now(), "decided_by": by},
            data={"criterion": action.criterion.code},
        )
        bump_on_commit(stats.VERSION)
    return action


def publish(inspection: Inspection, *, by, at=None) -> Inspection:
    """Publish the rapport définitif, anonymised: refused while the text cites a name of the
    structure's records (workflows.publishable)."""
    moment = at or timezone.now()
    with transaction.atomic():
        inspection = apply_transition(
            inspection,
            INSPECTION_WORKFLOW,
            "publish",
            by=by,
            at=moment,
            summary=f"Rapport d'inspection publié : {inspection.public_identifier}",
            also_update={"published_at": moment},
        )
        bump_on_commit(stats.VERSION)
    return inspection


def cancel(inspection: Inspection, *, by) -> Inspection:
    return apply_transition(inspection, INSPECTION_WORKFLOW, "cancel", by=by)
