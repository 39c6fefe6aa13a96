"""The life of a support request: waiting in the queue, taken by a professional, closed."""

from enfance.core.workflow import Transition, Workflow, abilities_for

from . import perms
from .enums import RequestStatus
from .models import SupportRequest

REQUEST_WORKFLOW = Workflow(
    state_field="status",
    transitions=[
        Transition(
            "take",
            {RequestStatus.NEW},
            RequestStatus.TAKEN,
            "prendre la demande",
            perms.can_take,
        ),
        Transition(
            "release",
            {RequestStatus.TAKEN},
            RequestStatus.NEW,
            "remettre la demande dans la file",
            perms.handles,
        ),
        Transition(
            "close",
            {RequestStatus.NEW, RequestStatus.TAKEN},
            RequestStatus.CLOSED,
            "clore la demande",
            perms.can_close,
        ),
    ],
)


@abilities_for(SupportRequest)
def request_abilities(user, request) -> dict[str, bool]:
    return {
        **REQUEST_WORKFLOW.abilities(request, user),
        "read": perms.can_read(user, request),
        "write": perms.can_write(user, request),
        "see_reads": perms.is_parent(user, request),
        "disclose": perms.handles(user, request),
    }
