"""The path of an interpellation, transition by transition, from the right side and the wrong."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, IntegrityError, connection, transaction
from django.db.models import TextField
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from enfance.core.models import LogEntry
from enfance.core.workflow import apply_transition
from enfance.interpellations import services
from enfance.interpellations.enums import SENT_STATES, InstitutionKind, State
from enfance.interpellations.models import Institution, Interpellation
from enfance.interpellations.voting import vote_progress
from enfance.interpellations.workflows import INTERPELLATION_WORKFLOW
from enfance.votes import services as votes
from enfance.votes.enums import BallotState, Method
from enfance.votes.models import Result
from tests.factories import UserFactory

from .factories import InstitutionFactory, InterpellationFactory

pytestmark = pytest.mark.django_db

FIELDS = {
    "institution_kind": InstitutionKind.ASE,
    "institution_name": "Conseil départemental du Rhône",
    "contact_email": "direction.enfance@rhone.exemple.fr",
    "title": "Des placements loin des familles",
    "facts": "Douze enfants de Villeurbanne placés à plus de 80 km en 2025.",
    "failures": "Le maintien des liens n'est pas organisé.",
    "recommendations": "Ouvrir des places d'accueil dans la métropole.",
}


def _draft(instance, secretary):
    return services.create_interpellation(instance, by=secretary, **FIELDS)


def _voted(instance, members, choices=("pour", "pour", "contre")):
    secretary = members[0]
    interpellation = _draft(instance, secretary)
    ballot = services.submit_to_vote(
        interpellation, by=secretary, closes_at=timezone.now() + timedelta(days=7)
    )
    for member, choice in zip(members, choices, strict=False):
        votes.cast_vote(ballot, by=member, choice=choice)
    # Closed early when everyone voted; otherwise once its closing time has come (a clock given
    # to the service, so the test holds whatever the day it runs).
    everyone = len(choices) >= len(members)
    return services.conclude_vote(
        interpellation, by=secretary, now=None if everyone else ballot.closes_at
    )


def _token_from(message) -> str:
    return re.search(r"/interpellations/reponse/([0-9a-f]+)/", message.body).group(1)


# The table: every (state, transition) pair ------------------------------------------------------

NEEDS = {
    "sent": {"sent_at": timezone.now(), "answer_due_on": timezone.localdate()},
    "answered": {
        "answered_on": timezone.localdate(),
        "answer_text": "Réponse.",
        "answer_delay_days": 3,
        "answered_late": False,
    },
}


def _decided_by_a_closed_vote(item, secretary):
    """What the guard of « adopter » and « rejeter » asks: a closed ballot whose result may
    decide (here, every member voted)."""
    ballot = votes.create_ballot(
        item,
        by=secretary,
        title="Adoption",
        method=Method.MAJORITY,
        opens_at=timezone.now(),
        closes_at=timezone.now() + timedelta(days=1),
    )
    votes.open_ballot(ballot, by=secretary, electors=[secretary])
    votes.cast_vote(ballot, by=secretary, choice="pour")
    votes.close_ballot(ballot, by=secretary)
    item.ballot = ballot
    item.save(update_fields=["ballot"])


@pytest.mark.parametrize("state", State.values)
@pytest.mark.parametrize("transition", [t.name for t in INTERPELLATION_WORKFLOW.transitions])
def test_each_transition_applies_from_its_sources_only(state, transition, instance, secretary):
    extra = NEEDS["sent"] if state in SENT_STATES else {}
    if state == State.ANSWERED:
        extra = {**extra, **NEEDS["answered"]}
    item = InterpellationFactory(instance=instance, state=state, **extra)
    if state == State.VOTING and transition in ("adopt", "reject"):
        _decided_by_a_closed_vote(item, secretary)
    rule = INTERPELLATION_WORKFLOW.get(transition)
    by = None if rule.permission.name == "by_the_platform" else secretary
    also = {**NEEDS["sent"]}
    if rule.target == State.ANSWERED:
        also.update(NEEDS["answered"])
    if state in rule.sources:
        done = apply_transition(item, INTERPELLATION_WORKFLOW, transition, by=by, also_update=also)
        assert done.state == rule.target
        entry = LogEntry.objects.get(action=f"interpellations.interpellation.{transition}")
        assert entry.public == rule.public
    else:
        with pytest.raises(ValidationError, match="Impossible d"):
            apply_transition(item, INTERPELLATION_WORKFLOW, transition, by=by, also_update=also)
        item.refresh_from_db()
        assert item.state == state


@pytest.mark.parametrize("transition", [t.name for t in INTERPELLATION_WORKFLOW.transitions])
def test_no_transition_for_a_plain_member_or_a_stranger(transition, instance, members):
    rule = INTERPELLATION_WORKFLOW.get(transition)
    state = sorted(rule.sources)[0]
    extra = NEEDS["sent"] if state in SENT_STATES else {}
    item = InterpellationFactory(instance=instance, state=state, **extra)
    for person in (members[1], UserFactory()):
        with pytest.raises(PermissionDenied):
            apply_transition(
                item, INTERPELLATION_WORKFLOW, transition, by=person, also_update=NEEDS["sent"]
            )


# The whole path ---------------------------------------------------------------------------------


def test_only_the_secretariat_drafts(instance, members):
    with pytest.raises(PermissionDenied):
        services.create_interpellation(instance, by=members[1], **FIELDS)
    with pytest.raises(PermissionDenied):
        services.create_interpellation(instance, by=UserFactory(), **FIELDS)


def test_an_institution_named_twice_is_one_institution(instance, secretary):
    first = _draft(instance, secretary)
    second = services.create_interpellation(
        instance,
        by=secretary,
        **{**FIELDS, "institution_name": "  conseil DEPARTEMENTAL du  Rhone "},
    )
    assert first.institution_id == second.institution_id


def test_members_adopt_by_majority_and_the_result_is_logged(
    instance, members, django_capture_on_commit_callbacks, outbox
):
    with django_capture_on_commit_callbacks(execute=True):
        adopted = _voted(instance, members)
    assert adopted.state == State.ADOPTED and adopted.adopted_at is not None
    assert adopted.ballot.state == BallotState.CLOSED
    entry = LogEntry.objects.get(action="interpellations.interpellation.adopt")
    assert entry.public and (entry.data["pour"], entry.data["contre"]) == (2, 1)
    invited = sorted(m.to[0] for m in outbox if m.subject.startswith("[Interpellation] Vote"))
    assert invited == sorted(m.email for m in members)


def test_members_can_reject_and_the_draft_is_reworked(instance, members):
    rejected = _voted(instance, members, choices=("contre", "contre", "pour"))
    assert rejected.state == State.REJECTED
    assert not LogEntry.objects.get(action="interpellations.interpellation.reject").public
    again = services.back_to_draft(rejected, by=members[0])
    assert again.state == State.DRAFT


def test_without_quorum_the_text_is_not_adopted(instance, members):
    rejected = _voted(instance, members, choices=("pour",))
    assert rejected.state == State.REJECTED


def test_a_vote_by_someone_outside_the_instance_is_refused(instance, members, client):
    interpellation = _draft(instance, members[0])
    ballot = services.submit_to_vote(
        interpellation, by=members[0], closes_at=timezone.now() + timedelta(days=1)
    )
    stranger = UserFactory()
    with pytest.raises(PermissionDenied, match="corps électoral"):
        votes.cast_vote(ballot, by=stranger, choice="pour")
    # Through the page: the ballot of a draft is not even visible to a stranger.
    client.force_login(stranger)
    response = client.post(reverse("votes:ballot", args=[ballot.pk]), {"vote-choice": "pour"})
    assert response.status_code == 404
    assert ballot.participations.count() == 0


def test_a_vote_by_a_member_who_left_before_it_opened_is_refused(instance, members):
    leaver = members[2]
    leaver.memberships.update(ended_on=timezone.localdate())
    interpellation = _draft(instance, members[0])
    ballot = services.submit_to_vote(
        interpellation, by=members[0], closes_at=timezone.now() + timedelta(days=1)
    )
    with pytest.raises(PermissionDenied):
        votes.cast_vote(ballot, by=leaver, choice="pour")


def test_sending_mails_the_link_and_stores_only_a_hash(
    instance, members, django_capture_on_commit_callbacks, outbox
):
    adopted = _voted(instance, members)
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.send(adopted, by=members[0])
    assert sent.state == State.SENT
    assert sent.answer_due_on == services.add_months(timezone.localdate(), 2)
    message = next(m for m in outbox if m.to == [FIELDS["contact_email"]])
    token = _token_from(message)
    assert token not in str(Interpellation.objects.filter(pk=sent.pk).values().get())
    assert sent.answer_token_hash == services.token_hash(token)
    assert services.find_by_token(token) == sent
    assert LogEntry.objects.get(action="interpellations.interpellation.send").public


def test_the_institution_answers_once_through_its_link(
    instance, members, django_capture_on_commit_callbacks, outbox
):
    adopted = _voted(instance, members)
    with django_capture_on_commit_callbacks(execute=True):
        services.send(adopted, by=members[0])
    token = _token_from(outbox[-1])
    with django_capture_on_commit_callbacks(execute=True):
        answered = services.answer_by_link(
            token, text="Nous ouvrons 20 places.", signatory="M. Durand, directeur"
        )
    assert answered.state == State.ANSWERED
    assert (answered.answer_delay_days, answered.answered_late) == (0, False)
    assert outbox[-1].to == [members[0].email]
    assert "a répondu" in outbox[-1].subject
    with pytest.raises(ValidationError, match="Impossible d"):
        services.answer_by_link(token, text="Une autre réponse.", signatory="Quelqu'un")
    answered.refresh_from_db()
    assert answered.answer_text == "Nous ouvrons 20 places."
    with pytest.raises(PermissionDenied):
        tampered = token[:-1] + ("1" if token.endswith("0") else "0")
        services.answer_by_link(tampered, text="x", signatory="y")


def test_the_secretary_records_an_answer_received_by_post(instance, members):
    sent = services.send(_voted(instance, members), by=members[0])
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="future"):
        services.record_postal_answer(
            sent, by=members[0], received_on=today + timedelta(days=1), text="x"
        )
    with pytest.raises(PermissionDenied):
        services.record_postal_answer(sent, by=members[1], received_on=today, text="x")
    answered = services.record_postal_answer(
        sent, by=members[0], received_on=today, text="Réponse par courrier."
    )
    assert answered.state == State.ANSWERED and answered.answer_channel == "courrier"
    assert answered.answer_recorded_by == members[0]


def test_a_cancelled_vote_brings_the_text_back_to_draft(instance, members):
    interpellation = _draft(instance, members[0])
    services.submit_to_vote(
        interpellation, by=members[0], closes_at=timezone.now() + timedelta(days=1)
    )
    interpellation.refresh_from_db()
    back = services.back_to_draft(interpellation, by=members[0])
    assert back.state == State.DRAFT
    assert back.ballot.state == BallotState.CANCELLED


def test_only_a_draft_is_edited(instance, members):
    adopted = _voted(instance, members)
    with pytest.raises(ValidationError, match="Seul un brouillon"):
        services.update_interpellation(adopted, by=members[0], **FIELDS)


def test_the_service_refuses_what_a_form_would(instance, secretary):
    bad = {
        **FIELDS,
        "institution_kind": "ministere_imaginaire",
        "institution_name": "  ",
        "contact_email": "pas-une-adresse",
        "facts": "   ",
    }
    with pytest.raises(ValidationError) as error:
        services.create_interpellation(instance, by=secretary, **bad)
    assert set(error.value.message_dict) == {
        "institution_kind",
        "institution_name",
        "contact_email",
        "facts",
    }
    assert not Interpellation.objects.exists()


def test_the_service_bounds_every_text_as_the_form_does(
    instance, members, django_capture_on_commit_callbacks, outbox
):
    """Lengths are checked in the service, not only in the form (a TEXT column is unbounded)."""
    too_long = {
        **FIELDS,
        "title": "t" * 201,
        "facts": "f" * 20_001,
        "institution_name": "n" * 201,
    }
    with pytest.raises(ValidationError) as error:
        services.create_interpellation(instance, by=members[0], **too_long)
    assert set(error.value.message_dict) == {"title", "facts", "institution_name"}
    assert "dépasse 200 caractères" in error.value.message_dict["title"][0]
    assert not Interpellation.objects.exists()
    draft = _draft(instance, members[0])
    with pytest.raises(ValidationError, match="dépasse"):
        services.update_interpellation(
            draft, by=members[0], **{**FIELDS, "recommendations": "r" * 20_001}
        )
    draft.refresh_from_db()
    assert draft.recommendations == FIELDS["recommendations"]
    draft.delete()
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.send(_voted(instance, members), by=members[0])
    token = _token_from(outbox[-1])
    with pytest.raises(ValidationError) as error:
        services.answer_by_link(token, text="r" * 20_001, signatory="s" * 201)
    assert set(error.value.message_dict) == {"text", "signatory"}
    with pytest.raises(ValidationError, match="dépasse"):
        services.record_postal_answer(
            sent, by=members[0], received_on=timezone.localdate(), text="r" * 20_001
        )
    sent.refresh_from_db()
    assert sent.state == State.SENT and sent.answer_text == ""


# Closing the vote: early only once every member has voted ---------------------------------------


def _voting(instance, members, choices):
    interpellation = _draft(instance, members[0])
    ballot = services.submit_to_vote(
        interpellation, by=members[0], closes_at=timezone.now() + timedelta(days=7)
    )
    for member, choice in zip(members, choices, strict=False):
        votes.cast_vote(ballot, by=member, choice=choice)
    interpellation.refresh_from_db()
    return interpellation, ballot


def test_closing_early_is_refused_while_a_member_has_not_voted(instance, members):
    interpellation, ballot = _voting(instance, members, ("pour", "pour"))
    with pytest.raises(ValidationError) as error:
        services.conclude_vote(interpellation, by=members[0])
    assert error.value.messages == [
        "Le vote ne peut pas encore être clos : 2 membres sur 3 ont voté. Vous pourrez le clore "
        "dès que tous les membres auront voté, ou à partir du "
        f"{date_format(timezone.localtime(ballot.closes_at), 'j F Y à H:i')}."
    ]
    ballot.refresh_from_db()
    interpellation.refresh_from_db()
    assert ballot.state == BallotState.OPEN and not Result.objects.filter(ballot=ballot).exists()
    assert interpellation.state == State.VOTING
    # The last member votes: the secretary may close at once.
    votes.cast_vote(ballot, by=members[2], choice="contre")
    adopted = services.conclude_vote(interpellation, by=members[0])
    assert adopted.state == State.ADOPTED and adopted.ballot.state == BallotState.CLOSED


def test_a_paper_ballot_counts_as_a_member_who_voted(instance, members):
    """The count is the votes engine's: online participations and paper ballots together."""
    interpellation, ballot = _voting(instance, members, ("pour", "pour"))
    assert not vote_progress(ballot).may_close
    votes.record_paper_ballot(ballot, by=members[0], choice="pour")
    progress = vote_progress(ballot)
    assert (progress.cast, progress.electors, progress.may_close) == (3, 3, True)
    assert services.conclude_vote(interpellation, by=members[0]).state == (State.ADOPTED)


def test_after_its_closing_time_the_vote_closes_whoever_voted(instance, members):
    interpellation, ballot = _voting(instance, members, ("pour", "pour"))
    just_before = ballot.closes_at - timedelta(seconds=1)
    with pytest.raises(ValidationError, match="2 membres sur 3 ont voté"):
        services.conclude_vote(interpellation, by=members[0], now=just_before)
    adopted = services.conclude_vote(interpellation, by=members[0], now=ballot.closes_at)
    assert adopted.state == State.ADOPTED and adopted.adopted_at == ballot.closes_at
    entry = LogEntry.objects.get(action="interpellations.interpellation.adopt")
    assert (entry.data["pour"], entry.data["contre"]) == (2, 0)


def closed_early_before_the_rule(ballot, *, by):
    """A ballot closed a day early before the votes engine asked its context (data of that
    time): closed at its closing time, then dated back as it was."""
    votes.close_ballot(ballot, by=by, now=ballot.closes_at)
    Result.objects.filter(ballot=ballot).update(computed_at=ballot.closes_at - timedelta(days=1))


def test_the_votes_engine_refuses_to_close_the_vote_early_with_the_same_reason(instance, members):
    """The ballot's own page goes through votes.close_ballot: it asks the interpellation, which
    answers with conclude_vote's rule (one function, VoteProgress.refusal)."""
    interpellation, ballot = _voting(instance, members, ("pour", "pour"))
    with pytest.raises(ValidationError) as from_the_ballot:
        votes.close_ballot(ballot, by=members[0])
    with pytest.raises(ValidationError) as from_the_interpellation:
        services.conclude_vote(interpellation, by=members[0])
    assert from_the_ballot.value.messages == from_the_interpellation.value.messages
    assert "2 membres sur 3 ont voté" in from_the_ballot.value.messages[0]
    ballot.refresh_from_db()
    assert ballot.state == BallotState.OPEN and not Result.objects.filter(ballot=ballot).exists()
    # At its closing time it closes whoever voted, and its result decides.
    votes.close_ballot(ballot, by=members[0], now=ballot.closes_at)
    assert services.conclude_vote(interpellation, by=members[0]).state == (State.ADOPTED)
    # Once everyone voted, it closes from the ballot's side at once, and its result decides.
    again, ballot = _voting(instance, members, ("pour", "pour", "contre"))
    votes.close_ballot(ballot, by=members[0])
    assert services.conclude_vote(again, by=members[0]).state == State.ADOPTED


def test_a_ballot_closed_early_before_the_rule_does_not_decide(instance, members):
    interpellation, ballot = _voting(instance, members, ("pour", "pour"))
    closed_early_before_the_rule(ballot, by=members[0])
    with pytest.raises(ValidationError, match=r"clos avant le .* \(2 membres sur 3 ont voté\)"):
        services.conclude_vote(interpellation, by=members[0])
    interpellation.refresh_from_db()
    assert interpellation.state == State.VOTING and interpellation.adopted_at is None
    assert services.back_to_draft(interpellation, by=members[0]).state == (State.DRAFT)


def test_only_the_secretariat_closes_the_vote(instance, members):
    interpellation, ballot = _voting(instance, members, ("pour", "pour", "pour"))
    for person in (members[1], UserFactory()):
        with pytest.raises(PermissionDenied):
            services.conclude_vote(interpellation, by=person)
    ballot.refresh_from_db()
    assert ballot.state == BallotState.OPEN


# The database bounds every text, whoever writes ---------------------------------------------------

BOUNDED = [
    ("title", 200),
    ("contact_email", 254),
    ("facts", 20_000),
    ("failures", 20_000),
    ("recommendations", 20_000),
    ("answer_signatory", 200),
    ("answer_text", 20_000),
]


def _refusal(model, field: str) -> type[Exception]:
    """A CHECK constraint refuses with IntegrityError; on PostgreSQL a bounded VARCHAR column
    refuses even before it, with DataError."""
    char = not isinstance(model._meta.get_field(field), TextField)
    return DataError if char and connection.vendor == "postgresql" else IntegrityError


@pytest.mark.parametrize(("field", "limit"), BOUNDED)
def test_an_over_long_text_written_around_the_services_is_refused(field, limit, instance):
    item = InterpellationFactory(instance=instance)
    rows = Interpellation.objects.filter(pk=item.pk)
    at_limit = (
        "a" * (limit - len("@exemple.fr")) + "@exemple.fr"
        if field == "contact_email"
        else ("é" * limit)
    )
    assert rows.update(**{field: at_limit}) == 1
    with pytest.raises(_refusal(Interpellation, field)), transaction.atomic():
        rows.update(**{field: at_limit + "x"})
    assert len(getattr(rows.get(), field)) == limit


def test_an_over_long_institution_name_is_refused_by_the_database(db):
    institution = InstitutionFactory()
    with pytest.raises(_refusal(Institution, "name")), transaction.atomic():
        Institution.objects.filter(pk=institution.pk).update(name="n" * 201)
    institution.refresh_from_db()
    assert institution.name.startswith("Conseil départemental")
