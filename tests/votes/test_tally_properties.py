"""Properties of the pure tallies (enfance.votes.tally), checked with hypothesis."""

from collections import Counter
from fractions import Fraction

from hypothesis import assume, given
from hypothesis import strategies as st

from enfance.votes import tally
from enfance.votes.enums import GRADE_COUNT

grades = st.integers(min_value=0, max_value=GRADE_COUNT - 1)


def counts_of(values):
    counter = Counter(values)
    return [counter[g] for g in range(GRADE_COUNT)]


OPTION_COUNTS = st.integers(2, 5)
VOTER_COUNTS = st.integers(1, 15)


def profiles(options=OPTION_COUNTS, voters=VOTER_COUNTS):
    """Ballots: one list of grades (one per option) per voter."""
    return st.tuples(options, voters).flatmap(
        lambda shape: st.lists(
            st.lists(grades, min_size=shape[0], max_size=shape[0]),
            min_size=shape[1],
            max_size=shape[1],
        )
    )


def per_option(ballots):
    return {index: counts_of(b[index] for b in ballots) for index in range(len(ballots[0]))}


def naive_compare(a, b):
    """The definition, literally: remove the lower median of each, one at a time."""
    a, b = sorted(a), sorted(b)
    while a:
        ma, mb = a[(len(a) - 1) // 2], b[(len(b) - 1) // 2]
        if ma != mb:
            return 1 if ma > mb else -1
        a.remove(ma)
        b.remove(mb)
    return 0


def expand(counts):
    return [g for g, n in enumerate(counts) for _ in range(n)]


def gauge(values):
    """Balinski-Laraki's majority gauge (p, α, q): shares above and below the majority grade."""
    alpha = sorted(values)[(len(values) - 1) // 2]
    p = sum(v > alpha for v in values)
    q = sum(v < alpha for v in values)
    return p, alpha, q


def gauge_compare(a, b):
    """The majority-gauge rule, where it decides; None where it does not (p = q)."""
    (pa, aa, qa), (pb, ab, qb) = gauge(a), gauge(b)
    if aa != ab:
        return 1 if aa > ab else -1
    if pa == qa or pb == qb:
        return None
    if pa > qa and pb < qb:
        return 1
    if pa < qa and pb > qb:
        return -1
    if pa > qa:  # both "+": the larger share above wins
        return None if pa == pb else (1 if pa > pb else -1)
    return None if qa == qb else (1 if qa < qb else -1)  # both "−": the smaller share below


def rank_of(outcome, key):
    return next(i for i, group in enumerate(outcome.ranking) if key in group)


@given(
    st.integers(1, 12).flatmap(lambda n: st.tuples(*[st.lists(grades, min_size=n, max_size=n)] * 2))
)
def test_comparison_on_equal_sized_profiles(pair):
    a, b = pair
    assert tally._compare_mj(counts_of(a), counts_of(b)) == naive_compare(a, b)
    assert tally._compare_mj(counts_of(b), counts_of(a)) == -naive_compare(a, b)


@given(
    st.integers(1, 12).flatmap(lambda n: st.tuples(*[st.lists(grades, min_size=n, max_size=n)] * 2))
)
def test_iterative_removal_agrees_with_the_majority_gauge_where_it_decides(pair):
    a, b = pair
    decided = gauge_compare(a, b)
    assume(decided is not None)
    assert tally._compare_mj(counts_of(a), counts_of(b)) == decided


@given(st.lists(grades, min_size=1, max_size=40))
def test_majority_grade_is_the_lower_median(values):
    assert tally.majority_grade(counts_of(values)) == sorted(values)[(len(values) - 1) // 2]


@given(profiles(), st.data())
def test_an_option_graded_strictly_higher_by_every_voter_ranks_above(ballots, data):
    options = len(ballots[0])
    better, worse = data.draw(st.permutations(range(options)))[:2]
    assume(all(b[worse] < GRADE_COUNT - 1 for b in ballots))
    for ballot in ballots:
        ballot[better] = data.draw(st.integers(ballot[worse] + 1, GRADE_COUNT - 1))
    outcome = tally.majority_judgment(per_option(ballots))
    assert rank_of(outcome, better) < rank_of(outcome, worse)


@given(profiles())
def test_adding_an_option_keeps_the_order_of_the_others(ballots):
    counts = per_option(ballots)
    new_option = len(ballots[0]) - 1
    without = {k: v for k, v in counts.items() if k != new_option}
    before = tally.majority_judgment(without)
    after = tally.majority_judgment(counts)
    for x in without:
        for y in without:
            assert (rank_of(before, x) < rank_of(before, y)) == (
                rank_of(after, x) < rank_of(after, y)
            )
            assert (rank_of(before, x) == rank_of(before, y)) == (
                rank_of(after, x) == rank_of(after, y)
            )


@given(profiles(), st.randoms())
def test_the_tally_does_not_depend_on_ballot_order(ballots, random):
    shuffled = list(ballots)
    random.shuffle(shuffled)
    assert tally.majority_judgment(per_option(ballots)) == tally.majority_judgment(
        per_option(shuffled)
    )


@given(profiles())
def test_ranking_follows_the_pairwise_rule_and_groups_only_true_ties(ballots):
    counts = per_option(ballots)
    outcome = tally.majority_judgment(counts)
    assert sorted(k for group in outcome.ranking for k in group) == sorted(counts)
    for group in outcome.ranking:
        assert all(naive_compare(expand(counts[group[0]]), expand(counts[k])) == 0 for k in group)
    for upper, lower in zip(outcome.ranking, outcome.ranking[1:], strict=False):
        assert naive_compare(expand(counts[upper[0]]), expand(counts[lower[0]])) == 1


def test_identical_distributions_remain_tied():
    outcome = tally.majority_judgment({"a": [1, 2, 0, 0, 0, 0, 1], "b": [1, 2, 0, 0, 0, 0, 1]})
    assert outcome.ranking == [["a", "b"]]


def test_a_worked_tie_break():
    # a: 1 2 2 4 ; b: 2 2 2 3 -> both « Passable »; remove: a 1 2 4 -> 2, b 2 2 3 -> 2;
    # remove: a 1 4 -> 1, b 2 3 -> 2: b ranks first.
    outcome = tally.majority_judgment({"a": counts_of([1, 2, 2, 4]), "b": counts_of([2, 2, 2, 3])})
    assert outcome.majority_grades == {"a": 2, "b": 2}
    assert outcome.ranking == [["b"], ["a"]]


def test_a_million_voters_are_compared_without_iterating_over_them():
    a = [100_000, 150_000, 150_000, 200_000, 150_000, 150_000, 100_000]
    b = [100_000, 150_000, 150_000, 200_001, 149_999, 150_000, 100_000]
    assert tally._compare_mj(a, b) == 1


@given(st.integers(0, 50), st.integers(0, 50), st.integers(0, 50), st.booleans())
def test_majority_invariants(pour, contre, abstention, quorum_reached):
    outcome = tally.majority(pour, contre, abstention, quorum_reached=quorum_reached)
    assert outcome.expressed == pour + contre
    assert outcome.adopted == (quorum_reached and pour > contre)
    # Abstentions never change the outcome.
    assert tally.majority(pour, contre, 0, quorum_reached=quorum_reached).adopted == outcome.adopted


@given(st.dictionaries(st.integers(0, 9), st.integers(0, 20), min_size=1))
def test_approval_ranks_by_count_and_groups_ties(counts):
    ranking = tally.approval(counts)
    flat = [counts[group[0]] for group in ranking]
    assert flat == sorted(set(counts.values()), reverse=True)
    assert all(len({counts[k] for k in group}) == 1 for group in ranking)


# Weighted colleges ------------------------------------------------------------------------------

CHOICES = st.sampled_from(["pour", "contre", "abstention"])


@st.composite
def college_assemblies(draw):
    """Three to five colleges of 10-50 % adding up to 100, each with its voters' choices."""
    size = draw(st.integers(3, 5))
    weights = [10] * size
    # The 100 - 10 n points left, each to a drawn college with room under 50 (or the next one).
    for choice in draw(
        st.lists(st.integers(0, size - 1), min_size=100 - 10 * size, max_size=100 - 10 * size)
    ):
        while weights[choice] == 50:
            choice = (choice + 1) % size
        weights[choice] += 1
    ballots = {
        f"collège {i}": draw(st.lists(CHOICES, min_size=0, max_size=12)) for i in range(size)
    }
    return dict(zip(ballots, weights, strict=True)), ballots


def _counts(ballots):
    return {
        college: (votes.count("pour"), votes.count("contre"), votes.count("abstention"))
        for college, votes in ballots.items()
    }


def brute_force(weights, ballots):
    """Voter by voter: each expressed vote carries its college's share divided by the number of
    votes expressed in it, the shares of silent colleges going to the others pro rata."""
    expressed = {c: [v for v in votes if v != "abstention"] for c, votes in ballots.items()}
    speaking = {c for c, votes in expressed.items() if votes}
    whole = sum(weights[c] for c in speaking)
    pour = contre = Fraction(0)
    for college in speaking:
        for vote in expressed[college]:
            weight = Fraction(weights[college], whole * len(expressed[college]))
            if vote == "pour":
                pour += weight
            else:
                contre += weight
    return pour, contre


@given(college_assemblies())
def test_the_college_tally_is_the_vote_by_vote_count(assembly):
    weights, ballots = assembly
    outcome = tally.weighted_colleges(_counts(ballots), weights)
    assert (outcome.pour, outcome.contre) == brute_force(weights, ballots)
    assert outcome.adopted == (outcome.pour > Fraction(1, 2))
    if any(v != "abstention" for votes in ballots.values() for v in votes):
        assert outcome.pour + outcome.contre == 1
        assert sum(share for _counts, share in outcome.colleges.values()) == 1
    else:
        assert outcome.pour == outcome.contre == 0 and not outcome.adopted


@given(college_assemblies(), st.integers(1, 5))
def test_a_college_weighs_its_share_whatever_its_size(assembly, factor):
    """Every voter of a college voting twice over changes nothing: a college weighs its share,
    not its number of associates."""
    weights, ballots = assembly
    grown = {college: votes * factor for college, votes in ballots.items()}
    before = tally.weighted_colleges(_counts(ballots), weights)
    after = tally.weighted_colleges(_counts(grown), weights)
    assert (after.pour, after.contre, after.adopted) == (before.pour, before.contre, before.adopted)
    assert [share for _c, share in after.colleges.values()] == [
        share for _c, share in before.colleges.values()
    ]


@given(college_assemblies())
def test_abstentions_change_nothing_and_no_quorum_adopts_nothing(assembly):
    weights, ballots = assembly
    counts = _counts(ballots)
    more = {c: (p, n, a + 3) for c, (p, n, a) in counts.items()}
    plain, abstaining = (
        tally.weighted_colleges(counts, weights),
        tally.weighted_colleges(more, weights),
    )
    assert (plain.pour, plain.contre, plain.adopted) == (
        abstaining.pour,
        abstaining.contre,
        abstaining.adopted,
    )
    assert not tally.weighted_colleges(counts, weights, quorum_reached=False).adopted


def test_a_small_college_can_outweigh_a_large_one():
    """The example a general assembly reads: 40 employees against, 4 beneficiaries and 3
    partners for; the employees' college weighs 30 %."""
    weights = {"salariés": 30, "bénéficiaires": 40, "partenaires": 30}
    counts = {"salariés": (0, 40, 0), "bénéficiaires": (4, 0, 0), "partenaires": (3, 0, 1)}
    outcome = tally.weighted_colleges(counts, weights)
    assert outcome.pour == Fraction(7, 10) and outcome.adopted
