"""Every (state, role, action) of MINUTES_WORKFLOW and INSTANCE_PROPOSAL_WORKFLOW: the page
offers exactly what the service accepts (tests/workflow_matrix.py)."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from enfance.accounts.models import Role
from enfance.assemblies import services
from enfance.assemblies.enums import InstanceProposalStatus, MemberRole, MinutesStatus
from enfance.assemblies.models import InstanceProposal, Minutes
from enfance.events.enums import EventKind
from tests.assemblies.factories import InstanceFactory, seat_directly
from tests.events.factories import EventFactory
from tests.factories import CommuneFactory, RegionFactory, UserFactory, with_totp
from tests.workflow_matrix import assert_page_and_service_agree

pytestmark = pytest.mark.django_db


def _page(client, person, url) -> str:
    client.force_login(person)
    response = client.get(url)
    return response.content.decode() if response.status_code == 200 else ""


def _administrator(region=None):
    person = with_totp(UserFactory())
    if region is None:
        Role.objects.create(user=person, kind="administrateur_national", scope_level="national")
    else:
        Role.objects.create(
            user=person, kind="administrateur_national", scope_level="region", region=region
        )
    return person


# Minutes --------------------------------------------------------------------------------------

# Before anything is written, the page offers to write the draft and to publish it at once.
NOT_WRITTEN = "pas_encore_ecrit"
MINUTES_STATES = [NOT_WRITTEN, *MinutesStatus.values]
MINUTES_ROLES = ["secretaire", "administrateur_national", "membre", "citoyen"]


@pytest.mark.parametrize(("state", "role"), list(itertools.product(MINUTES_STATES, MINUTES_ROLES)))
def test_the_meeting_page_offers_what_the_minutes_services_accept(client, state, role):
    instance = InstanceFactory()
    secretary = seat_directly(instance, "associatifs", role=MemberRole.SECRETAIRE).user
    meeting = services.schedule_meeting(
        instance,
        by=secretary,
        title="Réunion plénière",
        starts_at=timezone.now() + timedelta(days=7),
        place="Maison des associations",
    )
    minutes = None
    if state != NOT_WRITTEN:
        minutes = services.save_minutes(meeting, by=secretary, text="Seize membres présents.")
        Minutes.objects.filter(pk=minutes.pk).update(status=state)
        minutes.refresh_from_db()
    person = {
        "secretaire": secretary,
        "administrateur_national": _administrator() if role == "administrateur_national" else None,
        "membre": seat_directly(instance, "parents").user if role == "membre" else None,
    }.get(role) or UserFactory()

    def publish():
        written = minutes or services.save_minutes(meeting, by=person, text="Compte rendu.")
        services.publish_minutes(written, by=person)

    html = _page(client, person, f"/instances/{instance.slug}/gestion/reunions/{meeting.pk}/")
    assert_page_and_service_agree(
        where=f"{state} / {role}",
        abilities=(minutes or Minutes(meeting=meeting)).abilities(person),
        attempts={
            "publier": publish,
            "edit": lambda: services.save_minutes(meeting, by=person, text="Nouvelle version."),
        },
        html=html,
        buttons={"publier": 'value="publier"', "edit": 'value="compte_rendu"'},
    )


# Instance proposals ---------------------------------------------------------------------------

PROPOSAL_ROLES = [
    "administrateur_national",
    "administrateur_de_la_region",
    "administrateur_autre_region",
    "animateur_du_forum",
    "citoyen",
]


@pytest.mark.parametrize(
    ("state", "role"), list(itertools.product(InstanceProposalStatus.values, PROPOSAL_ROLES))
)
def test_the_proposals_page_offers_what_the_services_accept(client, state, role):
    forum = EventFactory(kind=EventKind.FORUM, commune=CommuneFactory())
    host = forum.hosts.get()
    proposal = InstanceProposal.objects.create(
        event=forum,
        name="Instance locale de Lyon",
        departement=forum.departement,
        proposed_by=host,
        status=state,
    )
    person = {
        "administrateur_national": lambda: _administrator(),
        "administrateur_de_la_region": lambda: _administrator(forum.departement.region),
        "administrateur_autre_region": lambda: _administrator(
            RegionFactory(code="75", name="Nouvelle-Aquitaine")
        ),
        "animateur_du_forum": lambda: host,
        "citoyen": UserFactory,
    }[role]()
    html = _page(client, person, "/instances/propositions/")
    assert_page_and_service_agree(
        where=f"{state} / {role}",
        abilities=proposal.abilities(person),
        attempts={
            "accepter": lambda: services.accept_instance_proposal(proposal, by=person),
            "refuser": lambda: services.refuse_instance_proposal(
                proposal, by=person, reason="Une instance couvre déjà ce territoire."
            ),
        },
        html=html,
        buttons={
            "accepter": f"/propositions/{proposal.pk}/accepter/",
            "refuser": f"/propositions/{proposal.pk}/refuser/",
        },
    )
