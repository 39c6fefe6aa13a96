"""Instances locales de protection de l'enfance (seed 000): colleges, memberships, applications,
draws, meetings and local priorities.

The bounds of the colleges are data (``College``, ``CompositionRule``, ``CollegeSeat``), filled by
a data migration: a reform changes a number, not code. A membership holds one numbered seat of its
college while it lasts; "one current membership per seat" is a unique index, so a college can never
hold more members than it has seats, whatever the number of concurrent requests.
"""

from .applications import Application, ApplicationQuerySet, Draw
from .elections import CollegeElection
from .instances import (
    CONSENT_DAY,
    ChildProfile,
    College,
    CollegeSeat,
    CompositionRule,
    Instance,
    InstanceQuerySet,
    Membership,
    MembershipQuerySet,
)
from .meetings import (
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    MeetingQuerySet,
    Minutes,
    MinutesQuerySet,
)
from .priorities import Priority, PriorityRanking
from .proposals import InstanceProposal

__all__ = [
    "CONSENT_DAY",
    "AgendaItem",
    "Application",
    "ApplicationQuerySet",
    "Attendance",
    "ChildProfile",
    "College",
    "CollegeElection",
    "CollegeSeat",
    "CompositionRule",
    "Decision",
    "Draw",
    "Instance",
    "InstanceProposal",
    "InstanceQuerySet",
    "Meeting",
    "MeetingQuerySet",
    "Membership",
    "MembershipQuerySet",
    "Minutes",
    "MinutesQuerySet",
    "Priority",
    "PriorityRanking",
]
