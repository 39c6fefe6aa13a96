import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connections, transaction
from django.utils import timezone

from enfance.core.models import LogEntry
from enfance.votes import services
from enfance.votes.enums import BallotState, Grade, Method
from enfance.votes.models import (
    Ballot,
    Elector,
    PaperBallot,
    Participation,
    Proxy,
    Result,
    Vote,
    VoteMark,
)
from enfance.votes.workflows import closing_refusal
from tests.factories import UserFactory
from tests.testapp.models import VotingBody

from .factories import make_ballot, open_ballot, voting_body

pytestmark = pytest.mark.django_db


def _grades(ballot, *grades):
    return {option.pk: grade for option, grade in zip(ballot.options.all(), grades, strict=True)}


def _state_after_refusal(ballot):
    return (
        Participation.objects.filter(ballot=ballot).count(),
        Vote.objects.filter(ballot=ballot).count(),
    )


def test_a_vote_is_stored_apart_from_its_participation_and_its_receipt_verifies():
    body = voting_body()
    ballot = open_ballot(body)
    voter = body.members.first()
    receipt = services.cast_vote(ballot, by=voter, choice=_grades(ballot, 6, 3, 0))
    assert Participation.objects.get(ballot=ballot).voter == voter
    vote = Vote.objects.get(ballot=ballot)
    assert vote.voter is None and not vote.paper
    assert sorted(VoteMark.objects.filter(vote=vote).values_list("value", flat=True)) == [0, 3, 6]
    assert services.verify_receipt(ballot, receipt.code)
    assert services.verify_receipt(ballot, receipt.code.lower().replace("-", " "))
    assert not services.verify_receipt(ballot, "AAAA-BBBB-CCCC-DDDD")
    event = LogEntry.objects.get(action="votes.participation")
    assert str(vote.pk) not in str(event.data) and event.target_id == str(ballot.pk)


def test_a_receipt_of_one_ballot_does_not_verify_on_another():
    body = voting_body()
    first, second = open_ballot(body), open_ballot(body)
    receipt = services.cast_vote(first, by=body.members.first(), choice={})
    assert not services.verify_receipt(second, receipt.code)


def test_secret_vote_model_has_no_path_to_the_voter():
    fields = {field.name for field in Vote._meta.get_fields()}
    assert "voter" in fields  # only filled for public ballots, checked below
    assert not {"created_at", "participation", "updated_at"} & fields
    assert all(field.related_model is not Participation for field in Vote._meta.get_fields())
    assert Vote._meta.pk.get_internal_type() == "UUIDField"
    assert [f.name for f in VoteMark._meta.pk_fields] == ["vote", "option"]


def test_vote_ids_do_not_follow_the_order_of_participations():
    body = voting_body(members=12)
    ballot = open_ballot(body, method=Method.MAJORITY)
    for member in body.members.order_by("pk"):
        services.cast_vote(ballot, by=member, choice="pour")
    participation_order = list(Participation.objects.filter(ballot=ballot).order_by("pk"))
    assert len(participation_order) == 12
    # UUID4 ids: sorting votes by id gives a random order, unrelated to who came first.
    vote_ids = list(Vote.objects.filter(ballot=ballot).order_by("pk").values_list("pk", flat=True))
    assert all(vote_id.version == 4 for vote_id in vote_ids)
    assert len(set(vote_ids)) == 12


def test_a_public_ballot_keeps_the_voter_on_the_vote():
    body = voting_body()
    ballot = open_ballot(body, method=Method.MAJORITY, secret=False)
    voter = body.members.first()
    services.cast_vote(ballot, by=voter, choice="contre")
    assert Vote.objects.get(ballot=ballot).voter == voter


def test_majority_judgment_missing_grades_count_as_a_rejeter():
    body = voting_body()
    ballot = open_ballot(body)
    first = ballot.options.first()
    services.cast_vote(ballot, by=body.members.first(), choice={first.pk: Grade.EXCELLENT})
    values = dict(VoteMark.objects.values_list("option_id", "value"))
    assert values.pop(first.pk) == Grade.EXCELLENT
    assert set(values.values()) == {Grade.A_REJETER}


@pytest.mark.parametrize(
    ("method", "choice", "message"),
    [
        (Method.MAJORITY, "peut-être", "pour"),
        (Method.MAJORITY_JUDGMENT, {999999: 3}, "n'appartient pas"),
        (Method.MAJORITY_JUDGMENT, "excellent", "mention"),
        (Method.APPROVAL, {999999}, "n'appartient pas"),
        (Method.APPROVAL, "tout", "Cochez"),
    ],
)
def test_malformed_choices_are_refused(method, choice, message):
    body = voting_body()
    ballot = open_ballot(body, method=method)
    with pytest.raises(ValidationError, match=message):
        services.cast_vote(ballot, by=body.members.first(), choice=choice)
    assert _state_after_refusal(ballot) == (0, 0)


def test_an_invalid_grade_is_refused():
    body = voting_body()
    ballot = open_ballot(body)
    with pytest.raises(ValidationError, match="mentions n'existe pas"):
        services.cast_vote(ballot, by=body.members.first(), choice=_grades(ballot, 7, 0, 0))


def test_a_second_vote_is_refused_and_nothing_changes():
    body = voting_body()
    ballot = open_ballot(body, method=Method.MAJORITY)
    voter = body.members.first()
    services.cast_vote(ballot, by=voter, choice="pour")
    with pytest.raises(ValidationError, match="déjà voté"):
        services.cast_vote(ballot, by=voter, choice="contre")
    assert _state_after_refusal(ballot) == (1, 1)
    assert services.tally(ballot).data["pour"] == 1


def test_the_database_refuses_a_second_participation():
    body = voting_body()
    ballot = open_ballot(body)
    voter = body.members.first()
    Participation.objects.create(ballot=ballot, voter=voter)
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(ballot=ballot, voter=voter)


def test_someone_outside_the_electorate_cannot_vote():
    body = voting_body()
    ballot = open_ballot(body)
    with pytest.raises(PermissionDenied, match="corps électoral"):
        services.cast_vote(ballot, by=UserFactory(), choice={})
    assert _state_after_refusal(ballot) == (0, 0)


def test_votes_before_opening_after_closing_time_and_after_close_are_refused():
    body = voting_body()
    voter = body.members.first()
    early = open_ballot(body, opens_in=timedelta(hours=1))
    with pytest.raises(ValidationError, match="pas encore ouvert"):
        services.cast_vote(early, by=voter, choice={})
    late = open_ballot(body, opens_in=timedelta(days=-3), lasts=timedelta(days=3, seconds=1))
    Ballot.objects.filter(pk=late.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError, match="clos"):
        services.cast_vote(late, by=voter, choice={})
    closed = open_ballot(body)
    services.close_ballot(closed, by=body.manager)
    with pytest.raises(ValidationError, match="Clos"):
        services.cast_vote(closed, by=voter, choice={})
    draft = make_ballot(body)
    with pytest.raises(ValidationError, match="En préparation"):
        services.cast_vote(draft, by=voter, choice={})
    assert not Participation.objects.exists() and not Vote.objects.exists()


def test_only_the_contexts_manager_creates_opens_and_closes():
    body, other = voting_body(), voting_body()
    with pytest.raises(PermissionDenied):
        services.create_ballot(
            body, by=other.manager, title="Intrus", method=Method.APPROVAL,
            opens_at=timezone.now(), closes_at=timezone.now() + timedelta(days=1), options=["A"],
        )  # fmt: skip
    ballot = make_ballot(body)
    with pytest.raises(PermissionDenied):
        services.open_ballot(ballot, by=other.manager, electors=body.members.all())
    ballot = services.open_ballot(ballot, by=body.manager, electors=body.members.all())
    with pytest.raises(PermissionDenied):
        services.close_ballot(ballot, by=other.manager)
    ballot.refresh_from_db()
    assert ballot.state == BallotState.OPEN and not Result.objects.exists()


def test_create_ballot_refuses_bad_input():
    body = voting_body()
    now = timezone.now()
    common = {"by": body.manager, "title": "Essai"}
    with pytest.raises(ValidationError, match="clôture"):
        services.create_ballot(
            body, **common, method=Method.APPROVAL, opens_at=now, closes_at=now, options=["A"]
        )
    with pytest.raises(ValidationError, match="même intitulé"):
        services.create_ballot(
            body, **common, method=Method.APPROVAL, opens_at=now, closes_at=now + timedelta(1),
            options=["A", " A"],
        )  # fmt: skip
    with pytest.raises(ValidationError, match="au moins une option"):
        services.create_ballot(
            body,
            **common,
            method=Method.MAJORITY_JUDGMENT,
            opens_at=now,
            closes_at=now + timedelta(1),
        )
    assert not Ballot.objects.exists()


def test_an_election_labels_candidates_and_accepts_first_names_only():
    body = voting_body()
    adult, child = UserFactory(first_name="Nora", last_name="Petit"), UserFactory()
    ballot = make_ballot(body, options=["Nora Petit", "Lou"], candidates=[adult, child])
    assert [(o.label, o.candidate) for o in ballot.options.all()] == [
        ("Nora Petit", adult),
        ("Lou", child),
    ]


def test_open_ballot_freezes_the_electorate():
    body = voting_body(members=4)
    ballot = open_ballot(body)
    assert Elector.objects.filter(ballot=ballot).count() == 4
    body.members.add(UserFactory())
    assert Elector.objects.filter(ballot=ballot).count() == 4
    with pytest.raises(ValidationError, match="Impossible d'ouvrir"):
        services.open_ballot(ballot, by=body.manager, electors=body.members.all())


# --- Proxies ---------------------------------------------------------------------------------


def test_a_proxy_holder_votes_for_the_giver_once():
    body = voting_body()
    giver, holder, _ = body.members.order_by("pk")
    ballot = make_ballot(body, method=Method.MAJORITY)
    services.give_proxy(ballot, giver=giver, holder=holder)
    ballot = services.open_ballot(ballot, by=body.manager, electors=body.members.all())
    services.cast_vote(ballot, by=holder, choice="pour")
    services.cast_vote(ballot, by=holder, choice="contre", on_behalf_of=giver)
    participation = Participation.objects.get(ballot=ballot, voter=giver)
    assert participation.cast_by == holder
    with pytest.raises(ValidationError, match="déjà enregistré"):
        services.cast_vote(ballot, by=holder, choice="pour", on_behalf_of=giver)
    with pytest.raises(ValidationError, match="déjà voté"):
        services.cast_vote(ballot, by=giver, choice="pour")
    data = services.tally(ballot).data
    assert (data["pour"], data["contre"]) == (1, 1)


def test_proxy_rules():
    body = voting_body(members=4)
    a, b, c, d = body.members.order_by("pk")
    ballot = make_ballot(body, method=Method.MAJORITY)
    with pytest.raises(ValidationError, match="soi-même"):
        services.give_proxy(ballot, giver=a, holder=a)
    services.give_proxy(ballot, giver=a, holder=b)
    with pytest.raises(ValidationError, match="détient déjà"):
        services.give_proxy(ballot, giver=c, holder=b)
    with pytest.raises(ValidationError, match="déjà donné"):
        services.give_proxy(ballot, giver=a, holder=c)
    with pytest.raises(PermissionDenied):
        services.give_proxy(ballot, giver=c, holder=d, by=b)
    services.give_proxy(ballot, giver=c, holder=d, by=body.manager)
    ballot = services.open_ballot(ballot, by=body.manager, electors=body.members.all())
    with pytest.raises(ValidationError, match="avant l'ouverture"):
        services.give_proxy(ballot, giver=d, holder=a)
    with pytest.raises(PermissionDenied, match="pas de procuration"):
        services.cast_vote(ballot, by=a, choice="pour", on_behalf_of=d)
    assert Proxy.objects.count() == 2 and not Participation.objects.exists()


def test_the_database_enforces_one_proxy_held():
    body = voting_body(members=3)
    a, b, c = body.members.order_by("pk")
    ballot = make_ballot(body)
    Proxy.objects.create(ballot=ballot, giver=a, holder=b)
    with pytest.raises(IntegrityError), transaction.atomic():
        Proxy.objects.create(ballot=ballot, giver=c, holder=b)


def test_opening_is_refused_when_a_proxy_names_someone_outside_the_electorate():
    body = voting_body()
    ballot = make_ballot(body)
    services.give_proxy(ballot, giver=body.members.first(), holder=UserFactory(last_name="Zed"))
    with pytest.raises(ValidationError, match="Zed ne fait pas partie du corps électoral"):
        services.open_ballot(ballot, by=body.manager, electors=body.members.all())
    ballot.refresh_from_db()
    assert ballot.state == BallotState.DRAFT and not Elector.objects.exists()


# --- Paper ballots, close, tally -------------------------------------------------------------


def test_paper_ballots_are_counted_apart_and_logged():
    body = voting_body(members=3)
    ballot = open_ballot(body, method=Method.APPROVAL)
    first, second, third = ballot.options.all()
    services.cast_vote(ballot, by=body.members.first(), choice={first.pk, second.pk})
    services.record_paper_ballot(ballot, by=body.manager, choice=[first.pk])
    services.record_paper_ballot(ballot, by=body.manager, choice=[])
    with pytest.raises(ValidationError, match="plus de bulletins"):
        services.record_paper_ballot(ballot, by=body.manager, choice=[third.pk])
    assert PaperBallot.objects.count() == 2
    assert LogEntry.objects.filter(action="votes.paper_ballot_recorded").count() == 2
    data = services.close_ballot(ballot, by=body.manager).data
    assert (data["ballots"], data["online_ballots"], data["paper_ballots"]) == (3, 1, 2)
    counts = {o["label"]: (o["count"], o["paper_count"]) for o in data["options"]}
    assert counts == {first.label: (2, 1), second.label: (1, 0), third.label: (0, 0)}


def test_the_same_paper_entry_submitted_twice_counts_once():
    body = voting_body(members=3)
    ballot = open_ballot(body, method=Method.MAJORITY)
    services.record_paper_ballot(ballot, by=body.manager, choice="pour", entry_token="abc")
    with pytest.raises(ValidationError, match="déjà enregistré"):
        services.record_paper_ballot(ballot, by=body.manager, choice="pour", entry_token="abc")
    services.record_paper_ballot(ballot, by=body.manager, choice="contre", entry_token="def")
    assert PaperBallot.objects.count() == 2
    assert LogEntry.objects.filter(action="votes.paper_ballot_recorded").count() == 2


def test_a_paper_ballot_by_someone_who_does_not_manage_is_refused():
    body = voting_body()
    ballot = open_ballot(body, method=Method.MAJORITY)
    for intruder in (body.members.first(), voting_body().manager):
        with pytest.raises(PermissionDenied):
            services.record_paper_ballot(ballot, by=intruder, choice="pour")
    assert (
        not Vote.objects.exists()
        and not LogEntry.objects.filter(action="votes.paper_ballot_recorded").exists()
    )


def test_majority_result_with_quorum():
    body = voting_body(members=5)
    ballot = open_ballot(body, method=Method.MAJORITY, quorum=4)
    members = list(body.members.order_by("pk"))
    for member, choice in zip(members, ["pour", "pour", "contre"], strict=False):
        services.cast_vote(ballot, by=member, choice=choice)
    data = services.tally(ballot).data
    assert data["pour"] == 2 and not data["quorum_reached"] and not data["adopted"]
    services.cast_vote(ballot, by=members[3], choice="abstention")
    result = services.close_ballot(ballot, by=body.manager)
    assert result.data["quorum_reached"] and result.data["adopted"]
    assert result.data["expressed"] == 3


def test_the_stored_result_equals_the_recount_and_the_counters():
    body = voting_body(members=6)
    ballot = open_ballot(body)
    a, b, c = ballot.options.all()
    profiles = [(6, 2, 0), (5, 3, 1), (4, 4, 4), (0, 6, 2), (3, 3, 3)]
    for member, grades in zip(body.members.all(), profiles, strict=False):
        services.cast_vote(
            ballot, by=member, choice={a.pk: grades[0], b.pk: grades[1], c.pk: grades[2]}
        )
    services.record_paper_ballot(ballot, by=body.manager, choice={a.pk: 2, b.pk: 5, c.pk: 0})
    stored = services.close_ballot(ballot, by=body.manager)
    stored = Result.objects.get(pk=stored.pk)
    assert stored.same_outcome(services.tally(ballot))
    assert stored.same_outcome(services.tally(ballot, from_counters=True))
    majority = {o["label"]: o["majority_grade"] for o in stored.data["options"]}
    # a: 0 2 3 4 5 6 -> 3 ; b: 2 3 3 4 5 6 -> 3 ; c: 0 0 1 2 3 4 -> 1
    assert majority == {a.label: 3, b.label: 3, c.label: 1}
    # a and b tie on « Assez bien »; removing it: a 0 2 4 5 6 -> 4, b 2 3 4 5 6 -> 4;
    # then a 0 2 5 6 -> 2, b 2 3 5 6 -> 3: b wins.
    assert stored.ranking == [[b.pk], [a.pk], [c.pk]]


def test_cancel_a_ballot():
    body = voting_body()
    ballot = open_ballot(body)
    cancelled = services.cancel_ballot(ballot, by=body.manager)
    assert cancelled.state == BallotState.CANCELLED
    with pytest.raises(ValidationError):
        services.cast_vote(cancelled, by=body.members.first(), choice={})


# --- Closing: the context may have its own rule ---------------------------------------------

CONTEXT_RULE = "Le vote ne peut pas encore être clos : attendez la fin de la séance."


def test_a_context_that_refuses_an_early_close_keeps_the_ballot_open(monkeypatch):
    asked = []

    def refusal(context, ballot, now):
        asked.append((context.pk, ballot.pk, now))
        return None if now >= ballot.closes_at else CONTEXT_RULE

    monkeypatch.setattr(VotingBody, "ballot_closing_refusal", refusal, raising=False)
    body = voting_body()
    ballot = open_ballot(body, method=Method.MAJORITY)
    services.cast_vote(ballot, by=body.members.first(), choice="pour")
    assert closing_refusal(ballot) == CONTEXT_RULE
    with pytest.raises(ValidationError) as error:
        services.close_ballot(ballot, by=body.manager)
    assert error.value.messages == [CONTEXT_RULE]
    ballot.refresh_from_db()
    assert ballot.state == BallotState.OPEN and not Result.objects.filter(ballot=ballot).exists()
    assert not LogEntry.objects.filter(action="votes.ballot.close").exists()
    # The context's clock is the caller's: at the closing time, it lets the ballot close, and the
    # result is dated at that moment.
    result = services.close_ballot(ballot, by=body.manager, now=ballot.closes_at)
    assert result.computed_at == ballot.closes_at and result.data["pour"] == 1
    assert asked[-1] == (body.pk, ballot.pk, ballot.closes_at)


def test_the_context_rule_is_asked_only_of_an_open_ballot(monkeypatch):
    """A ballot in preparation or already closed is refused by its workflow, not by the rule."""
    monkeypatch.setattr(
        VotingBody, "ballot_closing_refusal", lambda *args: CONTEXT_RULE, raising=False
    )
    body = voting_body()
    draft = make_ballot(body, method=Method.MAJORITY)
    assert closing_refusal(draft) is None
    with pytest.raises(ValidationError, match="l'état actuel est « En préparation »"):
        services.close_ballot(draft, by=body.manager)


# --- Concurrency: real threads, each with its own connection --------------------------------


@pytest.mark.django_db(transaction=True)
def test_eight_threads_casting_the_same_vote_make_one_vote():
    body = voting_body(members=2)
    ballot = open_ballot(body)
    voter = body.members.first()
    choice = _grades(ballot, 5, 4, 3)
    barrier = threading.Barrier(8)
    outcomes = []

    def cast():
        try:
            barrier.wait()
            services.cast_vote(ballot, by=voter, choice=choice)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        except Exception as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cast) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1, outcomes
    assert Participation.objects.filter(ballot=ballot).count() == 1
    assert Vote.objects.filter(ballot=ballot).count() == 1
    assert VoteMark.objects.count() == 3
    assert services.tally(ballot, from_counters=True).same_outcome(services.tally(ballot))
