"""Who may do what with a ballot: pure predicates over the ballot's context.

The context (an instance meeting, an atelier, a college election, a national consultation) decides
who manages its ballots through ``context.can_manage_ballots(user)``. It may also say who sees
them with ``context.is_visible_to(user)``; a context without that method is public.
"""

import rules

from .models import Ballot, Elector, Proxy


@rules.predicate
def can_view_ballot(user, ballot: Ballot) -> bool:
    is_visible_to = getattr(ballot.context, "is_visible_to", None)
    return is_visible_to is None or bool(is_visible_to(user))


@rules.predicate
def can_manage_ballot(user, ballot: Ballot) -> bool:
    return bool(user.is_authenticated and ballot.context.can_manage_ballots(user))


@rules.predicate
def is_elector(user, ballot: Ballot) -> bool:
    return bool(user.is_authenticated and Elector.objects.filter(ballot=ballot, user=user).exists())


def holds_proxy_for(user, ballot: Ballot, giver) -> bool:
    return bool(
        user.is_authenticated
        and Proxy.objects.filter(ballot=ballot, holder=user, giver=giver).exists()
    )


rules.add_perm("votes.view_ballot", can_view_ballot)
rules.add_perm("votes.manage_ballot", can_manage_ballot)
