"""A vote by colleges (a SCIC's general assembly): each elector votes in their college, a vote
carries its college and never its voter, the result weighs each college by its share."""

import html
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from enfance.votes import services
from enfance.votes.enums import Method
from enfance.votes.models import Vote

from .factories import make_ballot, voting_body

pytestmark = pytest.mark.django_db

WEIGHTS = {"Salariés": 30, "Bénéficiaires": 40, "Partenaires": 30}


def _assembly(members=7):
    body = voting_body(members=members)
    people = list(body.members.order_by("pk"))
    # Four employees, one beneficiary, two partners.
    colleges = dict(
        zip(
            [p.pk for p in people],
            ["Salariés"] * 4 + ["Bénéficiaires"] + ["Partenaires"] * (members - 5),
            strict=True,
        )
    )
    return body, people, colleges


def _open(body, colleges, **kwargs):
    ballot = make_ballot(
        body, method=Method.COLLEGES, options=[], colleges=WEIGHTS, opens_in=timedelta(hours=-1)
    )
    ballot = services.open_ballot(
        ballot, by=body.manager, electors=body.members.all(), colleges=colleges, **kwargs
    )
    return ballot


def test_a_small_college_weighs_its_share(client):
    body, people, colleges = _assembly()
    ballot = _open(body, colleges)
    codes = {o.code: o for o in ballot.options.all()}
    assert set(codes) == {"pour", "contre", "abstention"}
    for employee in people[:4]:
        services.cast_vote(ballot, by=employee, choice="contre")
    services.cast_vote(ballot, by=people[4], choice="pour")
    services.cast_vote(ballot, by=people[5], choice="pour")
    services.cast_vote(ballot, by=people[6], choice="abstention")
    assert sorted(Vote.objects.filter(ballot=ballot).values_list("college", flat=True)) == sorted(
        colleges.values()
    )
    assert not Vote.objects.filter(ballot=ballot, voter__isnull=False).exists()
    result = services.close_ballot(ballot, by=body.manager, now=ballot.closes_at)
    data = result.data
    # 4 against 3 in number; 70 % against 30 % in weight.
    assert (data["pour"], data["contre"]) == (2, 4)
    assert data["adopted"] and data["pour_share"] == 70.0 and data["contre_share"] == 30.0
    shares = {
        c["name"]: (c["pour"], c["contre"], c["abstention"], c["share"]) for c in data["colleges"]
    }
    assert shares == {
        "Salariés": (0, 4, 0, 30.0),
        "Bénéficiaires": (1, 0, 0, 40.0),
        "Partenaires": (1, 0, 1, 30.0),
    }
    assert result.ranking == [[codes["pour"].pk], [codes["contre"].pk]]
    assert services.tally(ballot, from_counters=True).same_outcome(services.tally(ballot))
    page = html.unescape(client.get(reverse("votes:results", args=[ballot.pk])).content.decode())
    assert "La résolution est adoptée" in page and "les « pour » pèsent 70,0 %" in page


def test_a_college_that_says_nothing_leaves_its_share_to_the_others():
    body, people, colleges = _assembly()
    ballot = _open(body, colleges)
    services.cast_vote(ballot, by=people[0], choice="contre")
    services.cast_vote(ballot, by=people[5], choice="pour")
    data = services.close_ballot(ballot, by=body.manager, now=ballot.closes_at).data
    assert (data["pour_share"], data["contre_share"]) == (50.0, 50.0)
    assert not data["adopted"]  # a tie rejects


def test_a_proxy_votes_in_the_giver_s_college_and_paper_ballots_name_theirs():
    body, people, colleges = _assembly()
    ballot = make_ballot(
        body, method=Method.COLLEGES, options=[], colleges=WEIGHTS, opens_in=timedelta(hours=1)
    )
    services.give_proxy(ballot, giver=people[4], holder=people[0])
    ballot.opens_at = ballot.opens_at - timedelta(hours=2)
    ballot.save(update_fields=["opens_at"])
    ballot = services.open_ballot(
        ballot, by=body.manager, electors=body.members.all(), colleges=colleges
    )
    services.cast_vote(ballot, by=people[0], choice="pour", on_behalf_of=people[4])
    assert Vote.objects.get(ballot=ballot).college == "Bénéficiaires"
    with pytest.raises(ValidationError, match="collège du bulletin"):
        services.record_paper_ballot(ballot, by=body.manager, choice="contre")
    services.record_paper_ballot(ballot, by=body.manager, choice="contre", college="Salariés")
    data = services.tally(ballot).data
    assert {c["name"]: c["share"] for c in data["colleges"]}["Salariés"] == pytest.approx(42.86)


@pytest.mark.parametrize(
    ("colleges", "message"),
    [
        ({"A": 50, "B": 40}, "total 100"),
        ({"A": 100}, "au moins deux collèges"),
        ({"A": 50, "B": 50.5}, "total 100"),
    ],
)
def test_the_shares_are_whole_percentages_adding_up_to_100(colleges, message):
    with pytest.raises(ValidationError, match=message):
        make_ballot(voting_body(), method=Method.COLLEGES, options=[], colleges=colleges)


def test_only_a_vote_by_colleges_has_colleges_and_every_elector_has_one():
    body, _people, colleges = _assembly()
    with pytest.raises(ValidationError, match="Seul un vote par collèges"):
        make_ballot(body, method=Method.MAJORITY, colleges=WEIGHTS)
    colleges.pop(next(iter(colleges)))
    with pytest.raises(ValidationError, match="1 personne du corps électoral"):
        _open(body, colleges)
