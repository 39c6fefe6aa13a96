"""Who may do what with participatory texts and law proposals: pure predicates, with ``rules``."""

import rules

from enfance.accounts.perms import is_national_administrator


@rules.predicate
def can_manage_law_proposals(user, obj=None):
    """Law proposals are consolidated and carried by the national administration (seed 000:
    "soumettre au gouvernement et aux députés")."""
    return is_national_administrator(user)


@rules.predicate
def is_named_editor(user, text):
    if not user.is_authenticated or text is None or text.is_law_proposal:
        return False
    # Read once per object: a page asks this for every article and every proposal.
    if not hasattr(text, "_editor_ids"):
        text._editor_ids = set(text.editors.values_list("pk", flat=True))
    return user.pk in text._editor_ids


can_edit_text = is_national_administrator | is_named_editor


@rules.predicate
def can_decide_wording(user, proposal):
    """The editors of a text integrate or decline the wordings proposed on it."""
    return proposal is not None and can_edit_text(user, proposal.text)


@rules.predicate
def can_take_part(user, text):
    """Registered people comment on articles and propose wordings while a consultation runs."""
    return user.is_authenticated and text is not None and text.is_in_consultation


@rules.predicate
def is_the_platform(user, obj=None):
    """The platform itself, on its clock (a scheduled command), not a person."""
    return user is None


@rules.predicate
def can_moderate(user, obj=None):
    return is_national_administrator(user)


rules.add_perm("texts.edit_text", can_edit_text)
rules.add_perm("texts.manage_law_proposals", can_manage_law_proposals)
rules.add_perm("texts.moderate", can_moderate)
