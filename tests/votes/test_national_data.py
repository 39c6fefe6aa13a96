import importlib

import pytest
from django.core.management import call_command

from enfance.core.national_data import load_steps
from enfance.votes.models import Ballot, Participation, Vote, VoteMark
from enfance.votes.services import tally
from tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db


def _generate(steps):
    call_command(
        "generate_national_data", users=120, steps=steps, verbosity=0, allow_production=True
    )


def test_national_ballot_is_generated_resumably_and_benchmarked(capsys):
    # Registered after the modules the lead lists, whether or not votes is listed yet.
    load_steps()
    importlib.import_module("enfance.votes.national_data")
    CommuneFactory()
    _generate("utilisateurs")
    _generate("scrutin_national")
    ballot = Ballot.objects.get()
    assert ballot.state == "closed" and ballot.options.count() == 10
    assert Vote.objects.count() == Participation.objects.count() == 120
    assert VoteMark.objects.count() == 1200
    assert ballot.result.same_outcome(tally(ballot))
    _generate("scrutin_national")
    assert Vote.objects.count() == 120
    capsys.readouterr()
    call_command("bench_tally", repeat=1)
    out = capsys.readouterr().out
    assert "dépouillement : 120 bulletins, 10 options" in out and "tally_recount_ms=" in out
