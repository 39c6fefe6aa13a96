"""An election of college members held at an atelier: the people present elect, by majority
judgment, among the applications the instance shortlisted (seed 001). The instance concludes it
(``assemblies.services.conclude_college_election``)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from enfance.assemblies.composition import composition
from enfance.assemblies.enums import ApplicationStatus
from enfance.assemblies.models import Application, CollegeElection, Instance
from enfance.assemblies.perms import can_manage_instance
from enfance.core.eventlog import record_event
from enfance.votes import services as votes
from enfance.votes.enums import Method

from ..enums import EventKind


def open_college_election(
    instance: Instance, *, by, college, event, opens_at, closes_at
) -> CollegeElection:
    """The people present at an atelier elect members of a college by majority judgment: the
    candidates are the shortlisted applications to that college, the electors the attendees the
    hosts marked present, the seats those free in the college today."""
    if not can_manage_instance(by, instance):
        raise PermissionDenied(
            "Seuls le secrétariat de l'instance et l'administrateur national peuvent "
            "organiser une élection."
        )
    if event.kind != EventKind.ATELIER or event.departement_id != instance.departement_id:
        raise ValidationError(
            "L'élection se tient lors d'un atelier citoyen du département de l'instance."
        )
    applications = list(
        instance.applications.filter(college=college, status=ApplicationStatus.RETENUE)
        .select_related("applicant", "college")
        .order_by("created_at", "pk")
    )
    if not applications:
        raise ValidationError(
            f"Aucune candidature retenue au collège {college.of_label} : retenez d'abord "
            "les candidatures."
        )
    line = composition(instance).line(college.code)
    if not line.free_seats:
        raise ValidationError(f"Le collège {college.of_label} n'a plus de siège libre.")
    electors = event.ballot_electorate()
    if not electors:
        raise ValidationError(
            "Personne n'est encore noté présent à cet atelier : les animateurs notent les "
            "présences avant le vote."
        )
    labels = Application.ballot_labels(applications)
    if instance.elections.filter(college=college, concluded_at__isnull=True).exists():
        raise ValidationError(
            f"Une élection au collège {college.of_label} est déjà en cours : concluez-la d'abord."
        )
    with transaction.atomic():
        ballot = votes.create_ballot(
            event,
            by=by,
            title=f"Élection au collège {college.of_label} — {instance.name}",
            method=Method.MAJORITY_JUDGMENT,
            secret=True,
            opens_at=opens_at,
            closes_at=closes_at,
            candidates=[a.applicant for a in applications],
            options=labels,
            description=(
                f"{line.free_seats} siège{'s' if line.free_seats > 1 else ''} à pourvoir. "
                "Donnez une mention à chaque candidature."
            ),
        )
        options = list(ballot.options.order_by("position"))
        election = CollegeElection.objects.create(
            instance=instance,
            college=college,
            event=event,
            ballot=ballot,
            seats=line.free_seats,
            options={str(o.pk): a.pk for o, a in zip(options, applications, strict=True)},
        )
        votes.open_ballot(ballot, by=by, electors=electors)
        record_event(
            by=by,
            action="assemblies.election_opened",
            summary=f"Élection ouverte au collège {college.of_label} : {instance.name}",
            target=instance,
            data={"ballot": ballot.pk, "event": event.pk, "seats": line.free_seats},
            public=True,
        )
    return election
