"""The life of a support request: waiting in the queue, taken by a professional, closed."""

from enfance.core.workflow import Transition, Workflow, abilities_for

from . import perms
from .enums import GroupStatus, RequestStatus
from .models import SupportGroup, SupportRequest

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


GROUP_WORKFLOW = Workflow(
    state_field="status",
    transitions=[
        Transition(
            "close",
            {GroupStatus.OPEN},
            GroupStatus.CLOSED,
            "clore le groupe",
            perms.leads,
            public=True,
        ),
    ],
)


def refusal_to_join(user, group) -> str | None:
    """None when the person may join; otherwise why not, in French."""
    if not user.is_authenticated:
        return "Connectez-vous pour rejoindre un groupe de parole."
    if group.status != GroupStatus.OPEN:
        return "Ce groupe est clos : il n'accueille plus de membres."
    if perms.leads(user, group):
        return "Vous animez ce groupe."
    if perms.is_member(user, group):
        return "Vous êtes déjà membre de ce groupe."
    if hasattr(user, "child_profile"):
        return (
            "Les groupes de parole réunissent des parents. Pour être écouté, le 119 répond jour "
            "et nuit, gratuitement."
        )
    if group.memberships.filter(user=user, removed_by__isnull=False).exists():
        return "L'animateur vous a retiré de ce groupe : vous ne pouvez pas le rejoindre à nouveau."
    return None


@abilities_for(SupportGroup)
def group_abilities(user, group) -> dict[str, bool]:
    leads = perms.leads(user, group)
    open_ = group.status == GroupStatus.OPEN
    member = perms.is_member(user, group)
    return {
        **GROUP_WORKFLOW.abilities(group, user),
        "join": refusal_to_join(user, group) is None,
        "leave": member,
        "see_sessions": member or leads,
        "lead": leads,
        "announce": leads and open_,
        "schedule": leads and open_,
    }
