"""Counting a ballot: from the stored ballots (one grouped query over the marks) or from the
running counters kept with every vote; both give the same answer. The pure tallies are in
``tally``; this module reads the counts and writes the result's JSON snapshot."""

from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from . import tally as pure
from .enums import GRADE_COUNT, MajorityChoice, Method
from .models import Ballot, BallotOption, Elector, MarkCount, Participation, Result, Vote, VoteMark


def count_marks(ballot: Ballot, options: list[BallotOption]):
    """Counts from the stored ballots: ONE grouped query over the marks (GROUP BY option,
    channel, value) and one over the ballots."""
    marks = (
        VoteMark.objects.filter(option_id__in=[o.pk for o in options])
        .values_list("option_id", "paper", "value")
        .annotate(n=Count("*"))
        .order_by()
    )
    ballots = Vote.objects.filter(ballot=ballot).values_list("paper").annotate(n=Count("*"))
    return list(marks), dict(ballots.order_by())


def read_counters(ballot: Ballot):
    """The same counts from the running counters (a few hundred rows, whatever the size)."""
    rows = (
        MarkCount.objects.filter(ballot=ballot)
        .values_list("option_id", "paper", "value")
        .annotate(n=Sum("count"))
        .order_by()
    )
    marks, ballots = [], {}
    for option_id, paper, value, n in rows:
        if option_id is None:
            ballots[paper] = n
        elif n:
            marks.append((option_id, paper, value, n))
    return marks, ballots


def tally(ballot: Ballot, *, from_counters: bool = False) -> Result:
    """The result recomputed now (not saved): from the stored ballots, or from the running
    counters when asked; both give the same answer."""
    options = list(ballot.options.all())
    marks, ballots = read_counters(ballot) if from_counters else count_marks(ballot, options)
    data, ranking = tally_data(ballot, options, marks, ballots)
    if ballot.method == Method.COLLEGES:
        ranking = _weigh_colleges(ballot, options, data)
    return Result(ballot=ballot, data=data, ranking=ranking)


def _weigh_colleges(ballot: Ballot, options: list[BallotOption], data: dict) -> list:
    """A vote by colleges: the marks counted college by college (the running counters do not
    know colleges: an assembly's few hundred marks are read), weighed by their shares."""
    position = {o.pk: list(MajorityChoice.values).index(o.code) for o in options}
    counts = {college: [0, 0, 0] for college in ballot.college_weights}
    rows = (
        VoteMark.objects.filter(option_id__in=list(position))
        .values_list("vote__college", "option_id")
        .annotate(n=Count("*"))
        .order_by()
    )
    for college, option_id, n in rows:
        counts[college][position[option_id]] += n
    outcome = pure.weighted_colleges(
        {college: tuple(c) for college, c in counts.items()},
        ballot.college_weights,
        quorum_reached=data["quorum_reached"],
    )
    data.update(
        adopted=outcome.adopted,
        pour_share=_percent(outcome.pour),
        contre_share=_percent(outcome.contre),
        colleges=[
            {
                "name": college,
                "weight": ballot.college_weights[college],
                "pour": pour,
                "contre": contre,
                "abstention": abstention,
                "share": _percent(share),
            }
            for college, ((pour, contre, abstention), share) in outcome.colleges.items()
        ],
    )
    code = {o.code: o.pk for o in options}
    return pure.approval(
        {code[MajorityChoice.POUR]: outcome.pour, code[MajorityChoice.CONTRE]: outcome.contre}
    )


def _percent(share) -> float:
    return round(float(share) * 100, 2)


def tally_data(ballot: Ballot, options: list[BallotOption], marks, ballots) -> tuple[dict, list]:
    """The JSON snapshot of a result (plain lists and string keys, stable through storage)."""
    counts = {o.pk: {"online": [0] * GRADE_COUNT, "paper": [0] * GRADE_COUNT} for o in options}
    for option_id, paper, value, n in marks:
        counts[option_id]["paper" if paper else "online"][value] += n
    online, paper = ballots.get(False, 0), ballots.get(True, 0)
    total = online + paper
    quorum_reached = ballot.quorum is None or total >= ballot.quorum
    totals = {
        pk: [a + b for a, b in zip(c["online"], c["paper"], strict=True)]
        for pk, c in counts.items()
    }
    data = {
        "method": ballot.method,
        "ballots": total,
        "online_ballots": online,
        "paper_ballots": paper,
        "quorum": ballot.quorum,
        "quorum_reached": quorum_reached,
        "options": [],
    }
    if ballot.method == Method.MAJORITY_JUDGMENT:
        outcome = pure.majority_judgment(totals)
        ranking = outcome.ranking
        for option in options:
            data["options"].append(
                {
                    "id": option.pk,
                    "label": option.label,
                    "grades": totals[option.pk],
                    "paper_grades": counts[option.pk]["paper"],
                    "majority_grade": outcome.majority_grades[option.pk],
                }
            )
    else:
        approvals = {pk: t[1] for pk, t in totals.items()}
        for option in options:
            data["options"].append(
                {
                    "id": option.pk,
                    "label": option.label,
                    "count": approvals[option.pk],
                    "paper_count": counts[option.pk]["paper"][1],
                }
            )
        if ballot.method in (Method.MAJORITY, Method.COLLEGES):
            by_code = {o.code: approvals[o.pk] for o in options}
            outcome = pure.majority(
                by_code[MajorityChoice.POUR],
                by_code[MajorityChoice.CONTRE],
                by_code[MajorityChoice.ABSTENTION],
                quorum_reached=quorum_reached,
            )
            data.update(
                pour=outcome.pour,
                contre=outcome.contre,
                abstention=outcome.abstention,
                expressed=outcome.expressed,
                adopted=outcome.adopted,
            )
            voiced = {o.pk: approvals[o.pk] for o in options if o.code != MajorityChoice.ABSTENTION}
            ranking = pure.approval(voiced)
        else:
            ranking = pure.approval(approvals)
    return data, ranking


def _count_of(model, **filters):
    rows = model.objects.filter(ballot=OuterRef("pk"), **filters).order_by()
    return Coalesce(Subquery(rows.values("ballot").annotate(n=Count("*")).values("n")), 0)


def participation_counts(ballot: Ballot) -> dict:
    """How many electors, online participations and paper ballots: one query (three counts on
    their ballot index), since a page may ask it twice (itself and its context's closing rule)."""
    # Unnamed columns: an alias ``electors`` would clash with the reverse relation.
    electors, online, paper = (
        Ballot.objects.filter(pk=ballot.pk)
        .order_by()
        .values_list(_count_of(Elector), _count_of(Participation), _count_of(Vote, paper=True))
        .get()
    )
    return {"electors": electors, "online": online, "paper": paper}
