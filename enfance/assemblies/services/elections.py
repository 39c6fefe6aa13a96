"""Concluding an election held at an atelier: the elected take the free seats of their college.
(The election is opened from the events module, which holds the atelier.)"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from enfance.core.eventlog import record_event
from enfance.votes import services as votes
from enfance.votes.enums import BallotState, Grade

from ..models import Application, CollegeElection, Membership
from .applications import seat_elected
from .common import require_manager


def conclude_college_election(election: CollegeElection, *, by) -> list[Membership]:
    """Close the vote and seat the elected, best ranked first, up to the seats to fill.

    A candidate whose majority grade is "À rejeter" is not elected. When candidates tied for
    the last seats outnumber them, none of the tied is seated: the instance decides (a new vote
    or a draw), and the page says so.
    """
    require_manager(by, election.instance, "clore une élection")
    with transaction.atomic():
        # Locked: a double click concludes once, the second sees it concluded.
        election = (
            CollegeElection.objects.select_for_update(of=("self",))
            .select_related("ballot", "college", "instance")
            .get(pk=election.pk)
        )
        if election.concluded_at is not None:
            raise ValidationError("Cette élection est déjà conclue.")
        ballot = election.ballot
        result = (
            votes.close_ballot(ballot, by=by)
            if ballot.state == BallotState.OPEN
            else votes.tally(ballot)
        )
        grades = {o["id"]: o["majority_grade"] for o in result.data["options"]}
        elected_ids, tied = [], []
        for group in result.ranking:
            acceptable = [o for o in group if (grades.get(o) or Grade.A_REJETER) > Grade.A_REJETER]
            if len(elected_ids) + len(acceptable) <= election.seats:
                elected_ids += acceptable
            else:
                tied = acceptable
                break
        applications = {
            a.pk: a
            for a in Application.objects.filter(pk__in=election.options.values()).select_related(
                "applicant", "college", "instance"
            )
        }
        # An elected candidate who deleted their account meanwhile has no application left:
        # their seat stays free.
        memberships = [
            seat_elected(applications[application_id], by=by, ballot=ballot)
            for option_id in elected_ids
            if (application_id := election.options[str(option_id)]) in applications
        ]
        election.concluded_at = timezone.now()
        election.save(update_fields=["concluded_at"])
        record_event(
            by=by,
            action="assemblies.election_concluded",
            summary=(
                f"Élection conclue au collège {election.college.of_label} : "
                f"{len(memberships)} élu{'s' if len(memberships) > 1 else ''}"
                + (f", {len(tied)} à départager" if tied else "")
            ),
            target=election.instance,
            data={"ballot": ballot.pk, "elected": len(memberships), "tied": len(tied)},
            public=True,
        )
    return memberships
