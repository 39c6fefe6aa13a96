"""Who may do what with practices: pure predicates, composed with ``rules``.

The selection committee decides on declared practices; a member who declared a conflict of
interest on a fiche, or who declared it, never decides on it. Rédacteurs ONPE write and publish
the level-2 fiches.
"""

import rules

from enfance.accounts.enums import RoleKind
from enfance.accounts.perms import is_national_administrator

from .enums import EDITABLE_STATES, QUEUE_STATES, PracticeLevel, PracticeState


def _has_role(user, kind) -> bool:
    return user.is_authenticated and any(r.kind == kind for r in user.active_roles())


@rules.predicate
def is_committee_member(user, practice=None):
    return _has_role(user, RoleKind.COMITE_SELECTION)


@rules.predicate
def is_redacteur_onpe(user, practice=None):
    return _has_role(user, RoleKind.REDACTEUR_ONPE)


@rules.predicate
def is_declarant(user, practice):
    return user.is_authenticated and practice is not None and practice.declarant_id == user.pk


@rules.predicate
def is_onpe_fiche(user, practice):
    return practice is not None and practice.level == PracticeLevel.ONPE


@rules.predicate
def is_under_examination(user, practice):
    """Transmitted and not decided yet: the committee's queue."""
    return practice is not None and practice.state in QUEUE_STATES


@rules.predicate
def lacks_departement_agreement(user, practice):
    return practice is not None and not practice.has_departement_agreement


def has_conflict(user, practice) -> bool:
    if not user.is_authenticated or practice is None:
        return False
    cache = practice.__dict__.setdefault("_conflicted_member_ids", None)
    if cache is None:
        cache = set(practice.conflicts.values_list("member_id", flat=True))
        practice.__dict__["_conflicted_member_ids"] = cache
    return user.pk in cache


@rules.predicate
def is_free_of_conflict(user, practice):
    return not has_conflict(user, practice)


# Deciding on a declared fiche: a committee member who neither declared it nor declared a
# conflict of interest on it. A declarant who also sits on the committee never decides alone on
# their own fiche.
can_decide_on_practice = is_committee_member & ~is_declarant & is_free_of_conflict & ~is_onpe_fiche
# Level-2 fiches are written and published by the rédacteurs ONPE.
can_write_onpe_fiche = is_redacteur_onpe
can_publish_onpe_fiche = is_redacteur_onpe & is_onpe_fiche


@rules.predicate
def can_submit_practice(user, practice):
    return is_declarant(user, practice) and practice.level == PracticeLevel.DECLARED


# The prior agreement of the département is recorded once, while the committee examines the
# fiche (publishing requires it: the guard of "publish" in workflows.py).
can_record_agreement = can_decide_on_practice & is_under_examination & lacks_departement_agreement
# A member declares a conflict on a fiche they did not declare, once.
can_declare_conflict = is_committee_member & ~is_declarant & is_free_of_conflict

# Evidence levels are set by the committee and by ONPE (its own fiches), on a fiche they read.
can_mark_practice = is_committee_member & ~is_declarant & is_free_of_conflict
can_see_queue = is_committee_member


@rules.predicate
def can_manage_options(user, obj=None):
    # The option lists are national: a delegate of a région or a département may not edit them.
    return is_national_administrator(user)


@rules.predicate
def can_edit_practice(user, practice):
    """The declarant edits a draft, or when the committee asked for more; ONPE its fiches."""
    if practice is None:
        return False
    if practice.level == PracticeLevel.ONPE:
        return is_redacteur_onpe(user)
    return is_declarant(user, practice) and practice.state in EDITABLE_STATES


@rules.predicate
def can_follow_practice(user, practice):
    """Who reads a fiche that is not published yet: its declarant, the committee (once it is
    submitted) and the rédacteurs ONPE for their fiches. A draft is its declarant's only."""
    if practice is None or not user.is_authenticated:
        return False
    if is_declarant(user, practice):
        return True
    if practice.level == PracticeLevel.ONPE:
        return is_redacteur_onpe(user)
    return practice.state != PracticeState.DRAFT and is_committee_member(user)


@rules.predicate
def can_read_practice(user, practice):
    """A published fiche, or one this person follows: its pages open for them."""
    if practice is None:
        return False
    return practice.state == PracticeState.PUBLISHED or can_follow_practice(user, practice)


can_rate_evidence = (can_mark_practice | can_publish_onpe_fiche) & can_read_practice


@rules.predicate
def can_write_in_thread(user, practice):
    if practice is None or practice.level != PracticeLevel.DECLARED:
        return False
    if practice.state in (PracticeState.DRAFT, PracticeState.PUBLISHED):
        return False
    return is_declarant(user, practice) or can_decide_on_practice(user, practice)


rules.add_perm("practices.decide", can_decide_on_practice)
rules.add_perm("practices.edit", can_edit_practice)
rules.add_perm("practices.follow", can_follow_practice)
rules.add_perm("practices.see_queue", can_see_queue)
rules.add_perm("practices.mark", can_mark_practice)
rules.add_perm("practices.manage_options", can_manage_options)
