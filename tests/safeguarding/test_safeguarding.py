"""A text flagged "danger pour un enfant" leaves public view at once and goes to a referent."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from enfance.accounts.models import Role
from enfance.core.models import LogEntry
from enfance.proposals.models import Comment, Proposal
from enfance.safeguarding import services
from enfance.safeguarding.enums import DangerReportState
from enfance.safeguarding.models import DangerReport
from enfance.safeguarding.workflows import DANGER_REPORT_WORKFLOW
from tests.factories import UserFactory, with_totp
from tests.proposals.factories import CommentFactory, ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def referent():
    person = with_totp(UserFactory(first_name="Rita", last_name="Référente"))
    Role.objects.create(user=person, kind="referent_protection", scope_level="national")
    return person


def test_a_flagged_comment_leaves_public_view_at_once(
    referent, mailoutbox, django_capture_on_commit_callbacks
):
    comment = CommentFactory()
    Proposal.objects.filter(pk=comment.proposal_id).update(comment_count=1)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.flag_danger(comment, by=UserFactory(), reason="Un enfant parle de coups")
    assert not Comment.objects.shown().filter(pk=comment.pk).exists()
    assert Proposal.objects.get(pk=comment.proposal_id).comment_count == 0
    assert report.state == DangerReportState.OPEN
    assert report.target_text == comment.body
    # The referent is told, without the text itself in the e-mail.
    assert [m.to for m in mailoutbox] == [[referent.email]]
    assert comment.body not in mailoutbox[0].body
    assert LogEntry.objects.filter(action="safeguarding.flag").exists()


def test_a_second_flag_joins_the_open_report():
    proposal = ProposalFactory()
    first = services.flag_danger(proposal, by=UserFactory(), reason="Premier")
    second = services.flag_danger(proposal, by=UserFactory(), reason="Second")
    assert first.pk == second.pk and DangerReport.objects.count() == 1
    assert not Proposal.objects.published().filter(pk=proposal.pk).exists()


def test_the_referent_transmits_or_restores(referent):
    comment = CommentFactory()
    report = services.flag_danger(comment, by=UserFactory())
    with pytest.raises(ValidationError):
        services.transmit(report, by=referent, to=" ")
    report = services.transmit(report, by=referent, to="CRIP du Rhône, 12/03")
    assert report.state == DangerReportState.TRANSMITTED and report.transmitted_at
    assert not Comment.objects.shown().filter(pk=comment.pk).exists()
    with pytest.raises(ValidationError):
        services.restore(report, by=referent)

    other = CommentFactory()
    report = services.restore(services.flag_danger(other, by=UserFactory()), by=referent)
    assert report.state == DangerReportState.RESTORED
    assert Comment.objects.shown().filter(pk=other.pk).exists()


def test_only_a_referent_handles_reports(admin_national):
    report = services.flag_danger(ProposalFactory(), by=UserFactory())
    for person in (UserFactory(), admin_national):
        with pytest.raises(PermissionDenied):
            services.transmit(report, by=person, to="119")


def test_anonymous_visitors_cannot_flag():

    with pytest.raises(PermissionDenied):
        services.flag_danger(ProposalFactory(), by=AnonymousUser())


@pytest.mark.parametrize("state", list(DangerReportState))
@pytest.mark.parametrize("name", ["transmit", "restore"])
def test_every_state_and_transition(state, name):
    allowed = state == DangerReportState.OPEN
    assert (state in DANGER_REPORT_WORKFLOW.get(name).sources) == allowed


def test_the_queue_is_for_referents_only(client, referent, django_assert_max_num_queries):
    for _ in range(20):
        services.flag_danger(CommentFactory(), by=UserFactory())
    client.force_login(UserFactory())
    assert client.get(reverse("safeguarding:queue")).status_code == 403
    client.force_login(referent)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("safeguarding:queue"))
    html = response.content.decode()
    assert response.status_code == 200 and "INVALID_TEMPLATE_VARIABLE" not in html
    assert "20 signalements à traiter" in html and "119" in html and "CRIP" in html


def test_the_referent_transmits_from_the_page(client, referent):
    report = services.flag_danger(CommentFactory(), by=UserFactory())
    client.force_login(UserFactory())
    assert client.get(reverse("safeguarding:detail", args=[report.pk])).status_code == 403
    client.force_login(referent)
    html = client.get(reverse("safeguarding:detail", args=[report.pk])).content.decode()
    assert "Reconnaître une révélation de danger" in html
    assert LogEntry.objects.filter(action="safeguarding.read").exists()
    response = client.post(
        reverse("safeguarding:detail", args=[report.pk]), {"action": "transmit", "to": ""}
    )
    assert "Ce champ est obligatoire" in response.content.decode()
    response = client.post(
        reverse("safeguarding:detail", args=[report.pk]),
        {"action": "transmit", "to": "119, appel du 12/03", "note": ""},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == DangerReportState.TRANSMITTED
    assert report.transmitted_to == "119, appel du 12/03"
