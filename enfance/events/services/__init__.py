"""Every write on events and registrations: one function per thing a person does, by
sub-domain. The object acted on comes first, the acting person as ``by=``."""

from .common import format_when
from .elections import open_college_election
from .events import (
    DESCRIPTION_MAX_LENGTH,
    REASON_MAX_LENGTH,
    accept_event,
    add_host,
    cancel_event,
    finish_event,
    propose_event,
    refuse_event,
    schedule_members_event,
    withdraw_event,
)
from .instance_proposals import propose_instance
from .outcomes import (
    MINUTES_MAX_LENGTH,
    OUTCOME_LIST_MAX_LENGTH,
    PRIORITIES_MAX_LENGTH,
    open_priority_vote,
    record_attendance,
    record_outcome,
)
from .registrations import cancel_registration, register, send_reminders, waiting_position

__all__ = [
    "DESCRIPTION_MAX_LENGTH",
    "MINUTES_MAX_LENGTH",
    "OUTCOME_LIST_MAX_LENGTH",
    "PRIORITIES_MAX_LENGTH",
    "REASON_MAX_LENGTH",
    "accept_event",
    "add_host",
    "cancel_event",
    "cancel_registration",
    "finish_event",
    "format_when",
    "open_college_election",
    "open_priority_vote",
    "propose_event",
    "propose_instance",
    "record_attendance",
    "record_outcome",
    "refuse_event",
    "register",
    "schedule_members_event",
    "send_reminders",
    "waiting_position",
    "withdraw_event",
]
