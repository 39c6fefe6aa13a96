"""Who may do what with practices: pure predicates, composed with ``rules``.

The selection committee decides on declared practices; a member who declared a conflict of
interest on a fiche, or who declared it, never decides on it. Rédacteurs ONPE write and publish
the level-2 fiches.
"""

import rules

from enfance.accounts.enums import RoleKind
from enfance.accounts.perms import is_administrateur_national


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
    return practice is not None and practice.level == 2


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
    return is_declarant(user, practice) and practice.level == 1


# Evidence levels are set by the committee (declared fiches) and by ONPE (its own fiches).
can_mark_practice = is_committee_member & ~is_declarant & is_free_of_conflict
can_rate_evidence = can_mark_practice | can_publish_onpe_fiche
can_see_queue = is_committee_member


@rules.predicate
def can_manage_options(user, obj=None):
    return is_administrateur_national(user)


@rules.predicate
def can_edit_practice(user, practice):
    """The declarant edits a draft, or when the committee asked for more; ONPE its fiches."""
    if practice is None:
        return False
    if practice.level == 2:
        return is_redacteur_onpe(user)
    return is_declarant(user, practice) and practice.state in ("draft", "information_requested")


@rules.predicate
def can_follow_practice(user, practice):
    """Who reads a fiche that is not published yet: its declarant, the committee (once it is
    submitted) and the rédacteurs ONPE for their fiches. A draft is its declarant's only."""
    if practice is None or not user.is_authenticated:
        return False
    if is_declarant(user, practice):
        return True
    if practice.level == 2:
        return is_redacteur_onpe(user)
    return practice.state != "draft" and is_committee_member(user)


@rules.predicate
def can_write_in_thread(user, practice):
    if practice is None or practice.level != 1 or practice.state in ("draft", "published"):
        return False
    return is_declarant(user, practice) or can_decide_on_practice(user, practice)


rules.add_perm("practices.decide", can_decide_on_practice)
rules.add_perm("practices.edit", can_edit_practice)
rules.add_perm("practices.follow", can_follow_practice)
rules.add_perm("practices.see_queue", can_see_queue)
rules.add_perm("practices.mark", can_mark_practice)
rules.add_perm("practices.manage_options", can_manage_options)
