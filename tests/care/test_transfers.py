"""Transfers of competences: each step a logged transition, none skipped nor taken back; the
instance's vote is an adopted ballot; the convention a PDF; effective from its first day."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from enfance.care import transfers
from enfance.care.models import Transfer
from enfance.core.models import LogEntry
from enfance.votes import services as votes
from tests.assemblies.factories import InstanceFactory, seat_directly, secretary_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def instance():
    return InstanceFactory()


@pytest.fixture
def secretary(instance):
    return secretary_of(instance)


def _pdf():
    return SimpleUploadedFile("convention.pdf", b"%PDF-1.7\nconvention", "application/pdf")


def _propose(instance, secretary, **fields):
    return transfers.propose_transfer(
        by=secretary,
        instance=instance,
        competence=fields.pop("competence", "gestion_foyers"),
        phase=fields.pop("phase", 4),
        starts_on=fields.pop("starts_on", timezone.localdate()),
        yearly_budget=fields.pop("yearly_budget", 2_400_000),
        **fields,
    )


def _vote(transfer, secretary, members, choice="pour"):
    now = timezone.now()
    ballot = transfers.put_to_vote(
        transfer, by=secretary, opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(1)
    )
    ballot = votes.open_with_its_electorate(ballot, by=secretary)
    for member in members:
        votes.cast_vote(ballot, by=member, choice=choice)
    votes.close_ballot(ballot, by=secretary, now=ballot.closes_at)
    return ballot


def test_a_transfer_goes_from_proposal_to_effective(instance, secretary, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    members = [seat_directly(instance, "parents").user for _ in range(3)]
    transfer = _propose(instance, secretary)
    assert transfer.departement_id == instance.departement_id
    with pytest.raises(ValidationError, match="pas encore adopté"):
        transfers.record_vote(transfer, by=secretary)
    _vote(transfer, secretary, [*members, secretary])
    transfer = transfers.record_vote(transfer, by=secretary)
    assert transfer.status == "vote"
    with pytest.raises(ValidationError, match="ne contient pas ce que son nom annonce"):
        transfers.attach_convention(
            transfer,
            by=secretary,
            upload=SimpleUploadedFile("convention.pdf", b"<html>", "application/pdf"),
        )
    transfer = transfers.attach_convention(transfer, by=secretary, upload=_pdf())
    assert transfer.status == "conventionne" and transfer.convention
    transfer = transfers.start(transfer, by=secretary)
    assert transfer.status == "effectif"
    with pytest.raises(ValidationError, match="motif"):
        transfers.suspend(transfer, by=secretary, reason=" ")
    transfer = transfers.suspend(transfer, by=secretary, reason="Audit en cours.")
    transfer = transfers.end(transfer, by=secretary, reason="Fin de la convention.")
    assert transfer.status == "termine"
    actions = list(
        LogEntry.objects.about((Transfer, [transfer.pk]))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions[0] == "care.transfer.propose" and len(actions) == 6


def test_no_step_is_skipped_nor_taken_back(instance, secretary):
    transfer = _propose(instance, secretary, starts_on=timezone.localdate() + timedelta(days=30))
    for step in (transfers.start, transfers.resume):
        with pytest.raises(ValidationError):
            step(transfer, by=secretary)
    with pytest.raises(PermissionDenied):
        transfers.attach_convention(transfer, by=secretary, upload=_pdf())
    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.filter(pk=transfer.pk).update(status="effectif")


def test_a_rejected_vote_leaves_the_transfer_proposed(instance, secretary):
    members = [seat_directly(instance, "parents").user for _ in range(2)]
    transfer = _propose(instance, secretary)
    _vote(transfer, secretary, members, choice="contre")
    with pytest.raises(ValidationError, match="pas encore adopté"):
        transfers.record_vote(transfer, by=secretary)
    assert not transfer.abilities(secretary)["put_to_vote"]


def test_only_the_receiving_instance_conducts_it_and_bad_input_is_told(instance, secretary):
    outsider = secretary_of(InstanceFactory(departement=instance.departement))
    with pytest.raises(PermissionDenied):
        _propose(instance, outsider)
    with pytest.raises(ValidationError) as refused:
        _propose(
            instance,
            secretary,
            competence="autre",
            phase=3,
            yearly_budget=-1,
            ends_on=timezone.localdate(),
        )
    assert set(refused.value.message_dict) == {
        "competence_detail",
        "phase",
        "yearly_budget",
        "ends_on",
    }
    transfer = _propose(instance, secretary)
    assert not any(transfer.abilities(outsider).values())
    with pytest.raises(PermissionDenied):
        transfers.put_to_vote(
            transfer, by=outsider, opens_at=timezone.now(), closes_at=timezone.now()
        )
