"""The supervising instance and its SCIC: structures attached from the registry with their places,
the annual report published and the members' yearly opinion, questions on record answered by the
SCIC's representatives, the minutes to the associates; every refusal in French."""

import html
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from enfance.care import cooperatives, services, supervision
from enfance.care.cooperatives import Entry
from enfance.care.models import AnnualReport, RunStructure, SupervisionQuestion
from enfance.votes import services as votes
from tests.assemblies.factories import InstanceFactory, seat_directly, secretary_of
from tests.factories import DepartementFactory, RegionFactory, UserFactory

from .factories import CategoryFactory, StructureFactory, manager_of
from .test_cooperatives import FOUNDED, siren

pytestmark = pytest.mark.django_db


def _page(response):
    assert response.status_code == 200
    assert b"INVALID_TEMPLATE_VARIABLE" not in response.content
    return html.unescape(response.content.decode())


def _pdf(name="rapport.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.7\n" + b"x" * 50, "application/pdf")


@pytest.fixture
def instance():
    return InstanceFactory()


@pytest.fixture
def secretary(instance):
    return secretary_of(instance)


@pytest.fixture
def director():
    return UserFactory(email="direction@scic.example")


@pytest.fixture
def scic(instance, secretary, director):
    found = cooperatives.register_cooperative(
        by=secretary,
        name="SCIC Enfance Rhône",
        siren=siren(),
        registered_on=FOUNDED,
        instance=instance,
        missions=["foyers"],
    )
    cooperatives.add_associate(
        found,
        by=secretary,
        entry=Entry(
            category="salaries",
            name="Directrice",
            shares=2,
            joined_on=FOUNDED,
            user=director,
            represents=True,
        ),
    )
    return found


def test_a_representative_needs_an_account(scic, secretary):
    with pytest.raises(ValidationError) as refused:
        cooperatives.add_associate(
            scic,
            by=secretary,
            entry=Entry(
                category="salaries", name="Gérant", shares=1, joined_on=FOUNDED, represents=True
            ),
        )
    assert "compte sur la plateforme" in str(refused.value)


def test_the_instance_attaches_a_structure_of_its_departement_and_sees_its_places(
    client, scic, secretary
):
    structure = StructureFactory(
        departement=scic.departement, commune__departement=scic.departement
    )
    category = CategoryFactory(structure=structure, capacity=10)
    services.declare_places(structure, by=manager_of(structure), figures={category.pk: {"free": 3}})
    far = DepartementFactory(code="29", name="Finistère", region=RegionFactory())
    elsewhere = StructureFactory(commune__code="29019", commune__departement=far)
    with pytest.raises(ValidationError, match="Aucune structure validée"):
        supervision.attach_structure(scic, by=secretary, finess=elsewhere.finess)
    with pytest.raises(PermissionDenied):
        supervision.attach_structure(scic, by=UserFactory(), finess=structure.finess)
    supervision.attach_structure(scic, by=secretary, finess=structure.finess)
    with pytest.raises(ValidationError, match="déjà gérée par une SCIC"):
        supervision.attach_structure(scic, by=secretary, finess=structure.finess)
    client.force_login(secretary)
    page = _page(client.get(scic.get_absolute_url()))
    assert "Places de ses structures" in page and structure.name in page
    row = page.split(f'<th scope="row">{structure.name}</th>')[1].split("</tr>")[0]
    assert '"fr-cell--right">10<' in row and '"fr-cell--right">3<' in row
    client.logout()
    public = _page(client.get(scic.get_absolute_url()))
    assert structure.name in public and "Places de ses structures" not in public
    run = RunStructure.objects.get()
    client.force_login(UserFactory())
    client.post(reverse("care:structure_detach", args=[scic.pk, run.pk]))
    assert RunStructure.objects.exists()
    client.force_login(secretary)
    client.post(reverse("care:structure_detach", args=[scic.pk, run.pk]))
    assert not RunStructure.objects.exists()


def test_the_report_is_public_and_the_members_vote_their_opinion(
    client, instance, scic, secretary, director, django_capture_on_commit_callbacks
):
    members = [seat_directly(instance, "parents").user for _ in range(3)]
    with pytest.raises(ValidationError, match="PDF"):
        supervision.publish_report(
            scic,
            by=director,
            year=2025,
            report=SimpleUploadedFile("r.pdf", b"not a pdf", "application/pdf"),
            accounts=_pdf(),
        )
    with pytest.raises(PermissionDenied):
        supervision.publish_report(
            scic, by=members[0], year=2025, report=_pdf(), accounts=_pdf("c.pdf")
        )
    report = supervision.publish_report(
        scic, by=director, year=2025, report=_pdf(), accounts=_pdf("c.pdf")
    )
    with pytest.raises(ValidationError, match="déjà publié"):
        supervision.publish_report(
            scic, by=director, year=2025, report=_pdf(), accounts=_pdf("c.pdf")
        )
    with pytest.raises(ValidationError, match="exercice de 2020"):
        supervision.publish_report(
            scic, by=director, year=2019, report=_pdf(), accounts=_pdf("c.pdf")
        )
    page = _page(client.get(scic.get_absolute_url()))
    assert "Exercice 2025" in page and "L'instance n'a pas encore voté son avis." in page
    download = client.get(reverse("care:report_file", args=[report.pk, "comptes"]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    with pytest.raises(PermissionDenied):
        supervision.put_report_to_vote(
            report, by=director, opens_at=timezone.now(), closes_at=timezone.now() + timedelta(1)
        )
    now = timezone.now()
    ballot = supervision.put_report_to_vote(
        report, by=secretary, opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(1)
    )
    assert not supervision.can_put_report_to_vote(secretary, report)
    ballot = votes.open_with_its_electorate(ballot, by=secretary)
    for member, choice in zip(members, ("pour", "pour", "contre"), strict=True):
        votes.cast_vote(ballot, by=member, choice=choice)
    # The public page, served from the cache, is rendered again once the vote's result commits.
    with django_capture_on_commit_callbacks(execute=True):
        votes.close_ballot(ballot, by=secretary, now=ballot.closes_at)
    page = _page(client.get(scic.get_absolute_url()))
    assert "Avis favorable de l'instance" in page
    assert AnnualReport.objects.get().year == 2025


def test_a_question_on_record_is_answered_by_the_scic_in_public(
    client, scic, secretary, director, django_capture_on_commit_callbacks
):
    with pytest.raises(PermissionDenied):
        supervision.ask(scic, by=director, question="Combien de places ?")
    other_secretary = secretary_of(InstanceFactory())
    client.force_login(other_secretary)
    client.post(reverse("care:question_ask", args=[scic.pk]), {"question": "Intrus ?"})
    assert not SupervisionQuestion.objects.exists()
    client.force_login(secretary)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("care:question_ask", args=[scic.pk]),
            {"question": "Combien d'enfants attendent une place ?"},
        )
    # A double click asks once.
    client.post(
        reverse("care:question_ask", args=[scic.pk]),
        {"question": "Combien d'enfants attendent une place ?"},
    )
    with pytest.raises(ValidationError, match="déjà posée"):
        supervision.ask(scic, by=secretary, question="Combien d'enfants attendent une place ?")
    question = SupervisionQuestion.objects.get()
    assert question.due_on == timezone.localdate() + timedelta(days=30)
    assert mail.outbox[-1].to == [director.email]
    assert "Combien d'enfants attendent une place ?" in mail.outbox[-1].body
    client.post(reverse("care:question_answer", args=[question.pk]), {"text": "Moi ?"})
    question.refresh_from_db()
    assert question.answered_at is None
    client.force_login(director)
    page = _page(client.get(scic.get_absolute_url()))
    assert "Répondre pour la SCIC" in page and "En attente de réponse" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("care:question_answer", args=[question.pk]),
            {"text": "Onze enfants, trois semaines en moyenne."},
        )
    assert mail.outbox[-1].to == [secretary.email]
    with pytest.raises(ValidationError, match="déjà répondu"):
        supervision.answer(question, by=director, text="Encore")
    client.logout()
    page = _page(client.get(scic.get_absolute_url()))
    assert "Onze enfants, trois semaines en moyenne." in page and "Répondue" in page


def test_a_late_question_says_so():
    today = timezone.localdate()
    question = SupervisionQuestion(due_on=today - timedelta(days=1))
    assert question.late(today)
    question.answered_at = timezone.now()
    assert question.late()
    question.due_on = today
    assert not question.late()


def test_the_minutes_go_to_the_associates_only(
    client, scic, secretary, director, django_capture_on_commit_callbacks
):
    assembly = cooperatives.convene(
        scic,
        by=secretary,
        title="Assemblée générale 2026",
        held_on=timezone.localdate() + timedelta(days=10),
        agenda="1. Comptes",
    )
    with pytest.raises(ValidationError, match="une fois l'assemblée tenue"):
        supervision.publish_minutes(assembly, by=secretary, upload=_pdf("pv.pdf"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        supervision.publish_minutes(
            assembly,
            by=secretary,
            upload=_pdf("pv.pdf"),
            today=assembly.held_on,
        )
    assert [m.to for m in mail.outbox] == [[director.email]]
    url = reverse("care:minutes_file", args=[assembly.pk])
    client.force_login(director)
    assert b"".join(client.get(url).streaming_content).startswith(b"%PDF")
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.get(assembly.get_absolute_url()).status_code == 404


def test_the_scic_page_asks_a_bounded_number_of_queries(
    client, scic, secretary, django_assert_max_num_queries
):
    for year in (2023, 2024, 2025):
        supervision.publish_report(
            scic, by=secretary, year=year, report=_pdf(), accounts=_pdf("c.pdf")
        )
    for n in range(5):
        supervision.ask(scic, by=secretary, question=f"Question {n}")
    for _n in range(3):
        structure = StructureFactory(
            departement=scic.departement, commune__departement=scic.departement
        )
        CategoryFactory(structure=structure)
        supervision.attach_structure(scic, by=secretary, finess=structure.finess)
    client.force_login(secretary)
    with django_assert_max_num_queries(25):
        _page(client.get(scic.get_absolute_url()))
    client.logout()
    with django_assert_max_num_queries(15):
        _page(client.get(scic.get_absolute_url()))
