import random

import pytest
from django.db import connection

from enfance.core import fulltext
from enfance.core.models import SearchEntry
from enfance.proposals import national_data
from enfance.proposals.models import Comment, Proposal, Support
from enfance.proposals.national_data import (
    BENCH_COMMENTS,
    bench_proposal_id,
    generate_proposals,
    generated_proposals,
)
from tests.factories import DepartementFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_generator_is_resumable_and_counts_right(monkeypatch):

    monkeypatch.setattr(national_data, "CHUNK", 20)
    DepartementFactory()
    for _ in range(30):
        UserFactory(verified=False)
    options = {"seed": 7, "log": lambda line: None, "proposals": 40, "supports": 200,
               "comments": 2000}  # fmt: skip
    generate_proposals(random.Random(7), options)
    counts = (Support.objects.count(), Comment.objects.count())
    # An interrupted run: the last chunk is missing; the next run writes it again, the same.
    last_chunk = generated_proposals().order_by("pk")[20:].values_list("pk", flat=True)
    Proposal.objects.filter(pk__in=list(last_chunk)).delete()
    generate_proposals(random.Random(7), options)
    generate_proposals(random.Random(7), options)
    assert (Support.objects.count(), Comment.objects.count()) == counts
    assert generated_proposals().count() == 40
    assert Support.objects.count() == 200
    assert Comment.objects.count() == 2000
    bench = Proposal.objects.get(pk=bench_proposal_id())
    assert bench.comments.count() == bench.comment_count == BENCH_COMMENTS
    # Counters agree with the rows, and the proposals are searchable.
    for proposal in Proposal.objects.all():
        assert proposal.supports.count() == proposal.support_count
    assert fulltext.search(Proposal.objects.published(), "familles").exists()


def _indexes(*models):
    with connection.cursor() as cursor:
        return {
            (model._meta.db_table, name, tuple(info["columns"]), info["unique"])
            for model in models
            for name, info in connection.introspection.get_constraints(
                cursor, model._meta.db_table
            ).items()
            if info["index"] or info["unique"]
        }


def test_a_first_run_puts_back_every_index_it_set_aside():
    """On PostgreSQL a first run drops the tables' secondary indexes and builds them at the
    end; the schema must come out as it went in."""
    DepartementFactory()
    UserFactory(verified=False)
    models = (Proposal, Proposal.themes.through, Support, Comment, SearchEntry)
    before = _indexes(*models)
    options = {"seed": 7, "log": lambda line: None, "proposals": 5, "supports": 5,
               "comments": 5}  # fmt: skip
    generate_proposals(random.Random(7), options)
    assert generated_proposals().count() == 5
    assert _indexes(*models) == before
    assert any(index[1] == "one_support_per_person" for index in before)
