"""The life of a ballot (in preparation → open → closed, or cancelled) and what a person may do
with one (its abilities).

Rules of the ballot that the services check are written once here, so that the management page
offers exactly what they accept:
- the ballot's context may refuse that an open ballot closes now (``closing_refusal``: an
  interpellation's vote closes early only once every member has voted), the guard of « clore »;
- a ballot whose closing time has passed does not open;
- from its own page, a ballot opens with its context's electorate, which must exist and not be
  empty (``electorate_refusal``);
- paper ballots are entered while it is open and never beyond the size of the electorate,
  proxies recorded while it is in preparation.
"""

from datetime import datetime

from django.utils import timezone

from enfance.core.workflow import Transition, Workflow, abilities_for

from .enums import BallotState
from .models import Ballot, Elector, Vote
from .perms import can_manage_ballot


def closing_refusal(ballot: Ballot, *, at: datetime | None = None) -> str | None:
    """Why the ballot's context refuses that this open ballot closes at ``at`` (the caller's
    clock, now by default), in French; None when it may close (a context without
    ``ballot_closing_refusal`` always lets it)."""
    hook = getattr(ballot.context, "ballot_closing_refusal", None)
    if hook is None or ballot.state != BallotState.OPEN:
        return None
    return hook(ballot, at or timezone.now())


def closing_time_refusal(ballot: Ballot) -> str | None:
    if ballot.closes_at <= timezone.now():
        return "La date de clôture est déjà passée : modifiez le scrutin."
    return None


def electorate_refusal(ballot: Ballot) -> str | None:
    """Why the ballot cannot open from its own page with its context's electorate."""
    electorate = getattr(ballot.context, "ballot_electorate", None)
    if electorate is None:
        return "Ce scrutin s'ouvre depuis la page de son instance ou de son événement."
    if not electorate():
        return "Le corps électoral est vide : le scrutin ne peut s'ouvrir."
    return None


def paper_ballot_refusal(ballot: Ballot) -> str | None:
    if ballot.state != BallotState.OPEN:
        return "Les bulletins papier se saisissent tant que le scrutin est ouvert."
    if Vote.objects.filter(ballot=ballot).count() >= Elector.objects.filter(ballot=ballot).count():
        return "Il y aurait plus de bulletins que de personnes inscrites : saisie refusée."
    return None


def proxy_refusal(ballot: Ballot) -> str | None:
    if ballot.state != BallotState.DRAFT:
        return "Les procurations s'enregistrent avant l'ouverture du vote."
    return None


BALLOT_WORKFLOW = Workflow(
    [
        Transition("open", {BallotState.DRAFT}, BallotState.OPEN, "ouvrir le scrutin",
                   can_manage_ballot, public=True, guard=closing_time_refusal),
        Transition("close", {BallotState.OPEN}, BallotState.CLOSED, "clore le scrutin",
                   can_manage_ballot, public=True, guard=closing_refusal),
        Transition("cancel", {BallotState.DRAFT, BallotState.OPEN}, BallotState.CANCELLED,
                   "annuler le scrutin", can_manage_ballot, public=True),
    ]
)  # fmt: skip


@abilities_for(Ballot)
def ballot_abilities(user, ballot: Ballot) -> dict[str, bool]:
    """The transitions as the management page offers them (opening with the context's
    electorate), and the entries a manager makes there."""
    abilities = BALLOT_WORKFLOW.abilities(ballot, user)
    manager = can_manage_ballot(user, ballot)
    abilities["open"] = abilities["open"] and electorate_refusal(ballot) is None
    abilities["manage"] = manager
    abilities["record_paper_ballot"] = manager and paper_ballot_refusal(ballot) is None
    abilities["give_proxy"] = manager and proxy_refusal(ballot) is None
    return abilities
