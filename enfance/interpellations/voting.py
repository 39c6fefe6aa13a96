"""Where the instance's adoption vote stands, as the votes engine counts it, and the rule that
decides when it may close: early only once every member has voted, otherwise at its closing time.

One rule, asked in three places: the votes engine before it closes the ballot
(``Interpellation.ballot_closing_refusal``), the workflow before the vote's result decides the
interpellation (the guard of « adopter » and « rejeter », workflows.py), and the page, which
offers to close the vote only when the rule allows it (the abilities).
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format

from enfance.votes.counting import participation_counts
from enfance.votes.enums import BallotState
from enfance.votes.models import Result

from .enums import State


@dataclass(frozen=True)
class VoteProgress:
    """The electors frozen when the ballot opened and the ballots cast (online and on paper).
    ``moment`` is the time that decides whether the vote may close: now while the ballot is
    open, the closing itself once it was closed."""

    state: str
    electors: int
    cast: int
    closes_at: datetime
    moment: datetime

    @property
    def everyone_voted(self) -> bool:
        return self.cast >= self.electors

    @property
    def time_is_up(self) -> bool:
        return self.moment >= self.closes_at

    @property
    def may_close(self) -> bool:
        """The rule the secretariat is told: closed early only once every member has voted."""
        return self.everyone_voted or self.time_is_up

    @property
    def turnout(self) -> str:
        if self.cast == 0:
            return "aucun membre n'a encore voté"
        plural = self.cast > 1
        return (
            f"{self.cast} membre{'s' if plural else ''} sur {self.electors} "
            f"{'ont' if plural else 'a'} voté"
        )

    @property
    def refusal(self) -> str | None:
        """Why the vote may not decide the interpellation now; None when it may."""
        if self.may_close:
            return None
        closes_at = date_format(timezone.localtime(self.closes_at), "j F Y à H:i")
        if self.state == BallotState.CLOSED:
            return (
                f"Le scrutin a été clos avant le {closes_at} alors que tous les membres n'avaient "
                f"pas voté ({self.turnout}) : son résultat ne peut pas décider de "
                "l'interpellation. Reprenez le brouillon pour la soumettre à un nouveau vote."
            )
        return (
            f"Le vote ne peut pas encore être clos : {self.turnout}. Vous pourrez le clore dès "
            f"que tous les membres auront voté, ou à partir du {closes_at}."
        )


def vote_progress(ballot, *, now=None) -> VoteProgress:
    counts = participation_counts(ballot)
    moment = now or timezone.now()
    if ballot.state == BallotState.CLOSED:
        closed_at = Result.objects.filter(ballot=ballot).values_list("computed_at", flat=True)
        moment = closed_at.first() or moment
    return VoteProgress(
        state=ballot.state,
        electors=counts["electors"],
        cast=counts["online"] + counts["paper"],
        closes_at=ballot.closes_at,
        moment=moment,
    )


NO_VOTE = "Aucun vote n'est en cours pour cette interpellation."


def conclusion_refusal(interpellation, *, now=None) -> str | None:
    """Why the secretariat may not conclude the vote now (close it and record its result), or
    None. A cancelled ballot concludes too: the text goes back to draft."""
    ballot = interpellation.ballot if interpellation.ballot_id else None
    if interpellation.state != State.VOTING or ballot is None:
        return NO_VOTE
    if ballot.state == BallotState.CANCELLED:
        return None
    return vote_progress(ballot, now=now).refusal


def decision_refusal(interpellation) -> str | None:
    """Why the ballot's result may not decide the interpellation (adopted or rejected) now:
    the guard of both transitions."""
    ballot = interpellation.ballot if interpellation.ballot_id else None
    if ballot is None:
        return NO_VOTE
    if ballot.state != BallotState.CLOSED:
        return "Le vote n'est pas encore clos : son résultat ne peut pas encore décider."
    return vote_progress(ballot).refusal
