"""The life of an interpellation, and what a person may do with one (its abilities).

The secretariat drafts → the members vote → adopted or rejected → sent to the institution with a
deadline → answered through the secret link or by post, or past its deadline. Two rules of the
object are guards, so that the page offers exactly what the services accept: a vote is opened
only if the instance has members to vote, and the vote's result decides only once the vote may
close (voting.py: early only when every member has voted).
"""

from enfance.core.workflow import Transition, Workflow, abilities_for

from .enums import State
from .models import Interpellation
from .perms import by_the_platform, can_manage_interpellation
from .voting import conclusion_refusal, decision_refusal


def electorate_refusal(interpellation) -> str | None:
    if interpellation.instance.memberships.current().exists():
        return None
    return "L'instance n'a aucun membre en fonction : personne ne peut voter."


INTERPELLATION_WORKFLOW = Workflow(
    state_field="state",
    transitions=[
        Transition("submit_to_vote", {State.DRAFT}, State.VOTING, "soumettre au vote",
                   can_manage_interpellation, guard=electorate_refusal),
        Transition("adopt", {State.VOTING}, State.ADOPTED, "adopter", can_manage_interpellation,
                   public=True, guard=decision_refusal),
        Transition("reject", {State.VOTING}, State.REJECTED, "rejeter",
                   can_manage_interpellation, guard=decision_refusal),
        Transition("back_to_draft", {State.VOTING, State.REJECTED}, State.DRAFT,
                   "reprendre le brouillon", can_manage_interpellation),
        Transition("send", {State.ADOPTED}, State.SENT, "envoyer à l'institution",
                   can_manage_interpellation, public=True),
        Transition("answer", {State.SENT, State.OVERDUE}, State.ANSWERED,
                   "enregistrer la réponse de l'institution", by_the_platform, public=True),
        Transition("record_postal_answer", {State.SENT, State.OVERDUE}, State.ANSWERED,
                   "enregistrer la réponse reçue par courrier", can_manage_interpellation,
                   public=True),
        Transition("expire", {State.SENT}, State.OVERDUE, "constater le dépassement du délai",
                   by_the_platform, public=True),
    ],
)  # fmt: skip


@abilities_for(Interpellation)
def interpellation_abilities(user, interpellation) -> dict[str, bool]:
    """The transitions, plus editing the draft and concluding the vote (closing it and
    recording its result: services.conclude_vote)."""
    abilities = INTERPELLATION_WORKFLOW.abilities(interpellation, user)
    manager = can_manage_interpellation(user, interpellation)
    abilities["edit"] = manager and interpellation.state == State.DRAFT
    abilities["conclude"] = manager and conclusion_refusal(interpellation) is None
    return abilities
