"""Who may do what with interpellations: pure predicates, composed with ``rules``.

An instance's secrétaire and animateur (or an administrateur national covering it) draft, submit
to the vote, send and record answers received by post; its current members read drafts and vote.
Two transitions belong to no account: the institution's answer through its secret link (the
service checks the link before applying it) and the daily job that marks missed deadlines.
"""

import rules

from enfance.assemblies.perms import can_manage_instance, is_instance_member


@rules.predicate
def can_manage_interpellation(user, interpellation) -> bool:
    if user is None or interpellation is None:
        return False
    return can_manage_instance(user, interpellation.instance)


@rules.predicate
def can_read_draft(user, interpellation) -> bool:
    """Members of the instance read its drafts and votes; so do the people who manage it."""
    if user is None or interpellation is None:
        return False
    return is_instance_member(user, interpellation.instance) or can_manage_interpellation(
        user, interpellation
    )


@rules.predicate
def by_the_platform(user, interpellation) -> bool:
    """No person's account: the secret link (checked by the service) or the scheduled job."""
    return user is None


rules.add_perm("interpellations.manage_interpellation", can_manage_interpellation)
