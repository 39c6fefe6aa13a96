"""The committee's transition table and what a person may do with a practice (its abilities,
read by the pages: a button shows only when the service would accept the action)."""

from enfance.core.workflow import Transition, Workflow, abilities_for

from .enums import PracticeState
from .models import Practice
from .perms import (
    can_decide_on_practice,
    can_declare_conflict,
    can_edit_practice,
    can_mark_practice,
    can_publish_onpe_fiche,
    can_rate_evidence,
    can_record_agreement,
    can_submit_practice,
    can_write_in_thread,
)


def departement_agreement_missing(practice: Practice) -> str | None:
    """Seed 004: a declared practice is published only with the prior agreement of a
    representative of its département."""
    if practice.has_departement_agreement:
        return None
    return (
        "Enregistrez d'abord l'accord du représentant du département : "
        "il est requis avant toute publication."
    )


_s = PracticeState
# The committee's transitions (issue #3); each is applied by one service of services.py.
PRACTICE_WORKFLOW = Workflow(
    state_field="state",
    transitions=[
        Transition(
            "submit", {_s.DRAFT}, _s.SUBMITTED, "transmettre au comité", can_submit_practice
        ),
        Transition(
            "take_for_review",
            {_s.SUBMITTED},
            _s.UNDER_REVIEW,
            "prendre en charge l'examen",
            can_decide_on_practice,
        ),
        Transition(
            "request_information",
            {_s.SUBMITTED, _s.UNDER_REVIEW},
            _s.INFORMATION_REQUESTED,
            "demander des compléments",
            can_decide_on_practice,
        ),
        Transition(
            "resubmit",
            {_s.INFORMATION_REQUESTED},
            _s.UNDER_REVIEW,
            "renvoyer au comité",
            can_submit_practice,
        ),
        Transition(
            "publish",
            {_s.UNDER_REVIEW},
            _s.PUBLISHED,
            "publier la fiche",
            can_decide_on_practice,
            public=True,
            guard=departement_agreement_missing,
        ),
        Transition(
            "refuse",
            {_s.SUBMITTED, _s.UNDER_REVIEW, _s.INFORMATION_REQUESTED},
            _s.REFUSED,
            "refuser la pratique",
            can_decide_on_practice,
        ),
        Transition(
            "publish_onpe",
            {_s.DRAFT},
            _s.PUBLISHED,
            "publier la fiche ONPE",
            can_publish_onpe_fiche,
            public=True,
        ),
        Transition(
            "unpublish",
            {_s.PUBLISHED},
            _s.DRAFT,
            "retirer la fiche de la bibliothèque",
            can_publish_onpe_fiche,
            public=True,
        ),
    ],
)


@abilities_for(Practice)
def practice_abilities(user, practice: Practice) -> dict[str, bool]:
    """The transitions, and the other things a person may do on the fiche's pages."""
    return {
        **PRACTICE_WORKFLOW.abilities(practice, user),
        "edit": can_edit_practice(user, practice),
        "write": can_write_in_thread(user, practice),
        # The committee's side of the page (the agreement, the decisions).
        "decide": can_decide_on_practice(user, practice),
        "record_agreement": can_record_agreement(user, practice),
        "declare_conflict": can_declare_conflict(user, practice),
        "rate": can_rate_evidence(user, practice),
        "mark": can_mark_practice(user, practice) and practice.is_published,
    }
