"""Every write on instances: one function per thing a person does, by sub-domain.

Each function takes the object acted on (or the instance a thing is created in) first and the
acting person as ``by=``, checks their permission, runs atomically, writes the event log and sends
its e-mails once the transaction commits. No child's name or date of birth ever reaches the event
log: members are referred to by their membership number.
"""

from .applications import (
    apply,
    conclude_cooptation,
    open_cooptation,
    reject,
    run_draw,
    seat_application,
    seat_elected,
    shortlist,
)
from .common import DEFAULT_MANDATE_YEARS, default_mandate_end
from .elections import conclude_college_election
from .instance_proposals import (
    REFUSAL_REASON_MAX_LENGTH,
    accept_instance_proposal,
    refuse_instance_proposal,
)
from .instances import change_instance_status, create_instance, refresh_constitution
from .meetings import (
    convene_meeting,
    members_for_meeting,
    publish_minutes,
    record_attendance,
    record_decision,
    save_minutes,
    schedule_meeting,
)
from .memberships import (
    PARENTAL_CONSENT_AGE,
    add_member,
    change_member_role,
    end_adult_child_mandates,
    end_expired_mandates,
    end_membership,
    leave_every_instance,
    record_parental_consent,
)
from .priorities import add_priority, close_priority_ranking, open_priority_ranking

__all__ = [
    "DEFAULT_MANDATE_YEARS",
    "PARENTAL_CONSENT_AGE",
    "REFUSAL_REASON_MAX_LENGTH",
    "accept_instance_proposal",
    "add_member",
    "add_priority",
    "apply",
    "change_instance_status",
    "change_member_role",
    "close_priority_ranking",
    "conclude_college_election",
    "conclude_cooptation",
    "convene_meeting",
    "create_instance",
    "default_mandate_end",
    "end_adult_child_mandates",
    "end_expired_mandates",
    "end_membership",
    "leave_every_instance",
    "members_for_meeting",
    "open_cooptation",
    "open_priority_ranking",
    "publish_minutes",
    "record_attendance",
    "record_decision",
    "record_parental_consent",
    "refresh_constitution",
    "refuse_instance_proposal",
    "reject",
    "run_draw",
    "save_minutes",
    "schedule_meeting",
    "seat_application",
    "seat_elected",
    "shortlist",
]
