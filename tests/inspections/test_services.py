from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enfance.core.models import LogEntry
from enfance.inspections import referentiel, services
from enfance.inspections.enums import ActionStatus, InspectionStatus, Judgement, Level, Origin
from enfance.inspections.models import (
    Criterion,
    Inspection,
    InterestDeclaration,
    Referentiel,
    RequiredAction,
    Theme,
)
from tests.care.factories import StructureFactory, manager_of
from tests.factories import DepartementFactory, RegionFactory

from .factories import VISIT, controleur, opened, score_all

pytestmark = pytest.mark.django_db

VISIT_MORNING = datetime(2026, 12, 10, 8, tzinfo=UTC)


@pytest.fixture
def structure():
    return StructureFactory(name="Maison d'enfants Les Tilleuls")


@pytest.fixture
def lead(structure):
    return controleur(structure.departement, first_name="Inès", last_name="Contrôle")


def _refusal(error) -> str:
    return " ".join(error.value.messages)


def test_the_referentiel_is_loaded_from_its_file_once_and_never_changes(monkeypatch):
    version = Referentiel.objects.get(version="2026")
    assert version.themes.count() == 8
    assert version.criteria.count() == 42
    assert version.criteria.filter(imperative=True).count() == 10
    assert version.limiting_theme.code == "securite"
    assert referentiel.load("2026") == version
    changed = referentiel.read("2026")
    changed["themes"][0]["criteria"][0]["text"] = "Un autre texte."
    monkeypatch.setattr(referentiel, "read", lambda name: changed)
    with pytest.raises(referentiel.ReferentielChanged, match="une version publiée ne change"):
        referentiel.load("2026")


def test_only_a_controleur_of_the_territory_opens_an_inspection(structure, lead):
    elsewhere = DepartementFactory(code="29", name="Finistère", region=RegionFactory(code="53"))
    with pytest.raises(PermissionDenied):
        opened(structure, controleur(elsewhere))
    with pytest.raises(PermissionDenied):
        opened(structure, manager_of(structure))
    inspection = opened(structure, lead, announced=False, joint_with=["pjj", "departement"])
    assert inspection.joint_with == ["departement", "pjj"]
    assert inspection.referentiel.version == "2026"
    assert inspection.members.get().lead
    national = opened(structure, controleur(), visit_on=date(2026, 12, 11))
    assert national.members.count() == 1  # national scope


def test_a_declared_link_refuses_a_controleur_and_stays_on_record(structure, lead):
    with pytest.raises(ValidationError) as refused:
        services.open_inspection(
            structure, by=lead, visit_on=VISIT, has_link=True, link_details="J'y ai travaillé."
        )
    assert "vous ne pouvez pas faire partie de l'équipe" in _refusal(refused)
    with pytest.raises(ValidationError):
        opened(structure, lead)
    assert list(
        InterestDeclaration.objects.filter(user=lead).values_list("has_link", flat=True)
    ) == [False, True]
    inspection = opened(structure, controleur(structure.departement))
    with pytest.raises(ValidationError):
        services.join_team(inspection, by=lead, has_link=False)
    with pytest.raises(ValidationError, match="nature du lien"):
        services.join_team(inspection, by=controleur(), has_link=True)


def test_bad_input_on_opening_is_refused_in_french(structure, lead):
    with pytest.raises(ValidationError) as refused:
        opened(structure, lead, joint_with=["police"])
    assert "Choisissez parmi les partenaires" in _refusal(refused)
    with pytest.raises(ValidationError) as refused:
        opened(structure, lead, visit_on=date(1999, 12, 31))
    assert "date de visite" in _refusal(refused)


def test_a_form_sent_twice_opens_one_inspection_and_a_cancelled_one_frees_the_day(structure, lead):
    first = opened(structure, lead)
    with pytest.raises(ValidationError) as refused:
        opened(structure, lead)
    assert "déjà prévue ce jour-là" in _refusal(refused)
    assert structure.inspections.count() == 1
    services.cancel(first, by=lead)
    assert opened(structure, lead).pk != first.pk


def test_the_visit_day_is_the_day_in_france_not_in_utc(structure, lead):
    inspection = opened(structure, lead, visit_on=date(2026, 12, 10))
    # 23:30 UTC on the 9th is already 00:30 on the 10th in Paris: the visit may begin.
    with pytest.raises(ValidationError, match="le jour prévu"):
        services.start_visit(inspection, by=lead, at=datetime(2026, 12, 9, 22, 30, tzinfo=UTC))
    started = services.start_visit(
        inspection, by=lead, at=datetime(2026, 12, 9, 23, 30, tzinfo=UTC)
    )
    assert started.status == "en_cours"


def test_findings_are_the_teams_during_the_visit_and_scored_1_to_4(structure, lead):
    inspection = opened(structure, lead)
    criterion = Criterion.objects.get(referentiel=inspection.referentiel, code="securite.2")
    with pytest.raises(PermissionDenied):
        services.save_finding(inspection, criterion, by=lead, score=3)  # not started
    with pytest.raises(ValidationError, match="jour prévu"):
        services.start_visit(inspection, by=lead, at=datetime(2026, 12, 9, 20, tzinfo=UTC))
    inspection = services.start_visit(inspection, by=lead, at=VISIT_MORNING)
    with pytest.raises(PermissionDenied):
        services.save_finding(inspection, criterion, by=manager_of(structure), score=3)
    for bad in (0, 5, "deux"):
        with pytest.raises(ValidationError, match="Une note va de 1 à 4"):
            services.save_finding(inspection, criterion, by=lead, score=bad)
    with pytest.raises(ValidationError, match="ne peut pas être « non concerné »"):
        services.save_finding(inspection, criterion, by=lead, score=2, not_concerned=True)
    other = Referentiel.objects.create(
        version="2027", title="Autre", summary="…", published_on=date(2027, 1, 1)
    )
    theme = Theme.objects.create(
        referentiel=other, code="securite", title="…", summary="…", limiting=True, position=1
    )
    foreign = Criterion.objects.create(
        referentiel=other, theme=theme, code="securite.2", text="…", evidence="…", position=1
    )
    with pytest.raises(ValidationError, match="n'appartient pas à la version"):
        services.save_finding(inspection, foreign, by=lead, score=3)
    finding = services.save_finding(inspection, criterion, by=lead, score="2", evidence="Vu.")
    assert (finding.score, finding.evidence) == (2, "Vu.")
    assert services.save_finding(inspection, criterion, by=lead, score=4).pk == finding.pk


def test_the_contradictory_procedure_from_visit_to_anonymised_publication(
    structure, lead, mailoutbox, django_capture_on_commit_callbacks
):
    manager = manager_of(structure, first_name="Paul", last_name="Durand")
    inspection = services.start_visit(
        opened(structure, lead, announced=False), by=lead, at=VISIT_MORNING
    )
    with pytest.raises(ValidationError, match="42 restent à remplir"):
        services.send_provisional(inspection, by=lead)
    score_all(
        inspection,
        lead,
        value=3,
        # The limiting theme at 9/5 (« insuffisant »), two impératifs scored 2 (not met).
        **{
            "securite.1": 1,
            "securite.2": 2,
            "securite.3": 1,
            "securite.4": 2,
            "securite.6": "nc",
            "parcours.5": "nc",
        },
    )
    with pytest.raises(PermissionDenied):
        services.send_provisional(inspection, by=controleur(structure.departement))
    with pytest.raises(ValidationError, match=r"ajoutez-en une pour securite\.2, securite\.4"):
        services.send_provisional(inspection, by=lead)
    actions = {
        code: services.add_action(
            inspection,
            by=lead,
            criterion=Criterion.objects.get(referentiel=inspection.referentiel, code=code),
            kind="exigee",
            text=f"Mettre en place ce que demande le critère {code}.",
            due_on=date(2027, 3, 1),
        )
        for code in ("securite.2", "securite.4")
    }
    with django_capture_on_commit_callbacks(execute=True):
        inspection = services.send_provisional(
            inspection, by=lead, at=datetime(2026, 12, 11, 9, tzinfo=UTC)
        )
    assert inspection.status == InspectionStatus.PROVISIONAL
    assert inspection.judgement == Judgement.INSUFFISANT and inspection.limited
    assert inspection.level == Level.C
    assert inspection.observations_due == date(2026, 12, 26)
    assert [m.to for m in mailoutbox] == [[manager.email]]
    assert "jusqu'au 26 décembre 2026" in mailoutbox[0].body

    with pytest.raises(ValidationError, match="jusqu'au 26/12/2026"):
        services.finalise(inspection, by=lead, at=datetime(2026, 12, 20, tzinfo=UTC))
    with pytest.raises(ValidationError, match="a pris fin le 26/12/2026"):
        services.send_observations(
            inspection, by=manager, text="Tard.", at=datetime(2026, 12, 27, 9, tzinfo=UTC)
        )
    with pytest.raises(PermissionDenied):
        services.send_observations(inspection, by=manager_of(StructureFactory()), text="Non.")
    with django_capture_on_commit_callbacks(execute=True):
        services.send_observations(
            inspection,
            by=manager,
            text="Nous contestons le constat sur les sorties.",
            at=datetime(2026, 12, 20, 9, tzinfo=UTC),
        )
    assert mailoutbox[-1].to == [lead.email]
    with pytest.raises(ValidationError, match="déjà envoyées"):
        services.send_observations(
            inspection, by=manager, text="Encore.", at=datetime(2026, 12, 21, tzinfo=UTC)
        )
    recommendation = services.add_action(
        inspection,
        by=lead,
        criterion=Criterion.objects.get(referentiel=inspection.referentiel, code="cadre.2"),
        kind="recommandation",
        text="Associer les jeunes au choix des activités.",
    )
    inspection = services.finalise(inspection, by=lead, at=datetime(2026, 12, 21, tzinfo=UTC))
    second = Inspection.objects.get(structure=structure, origin=Origin.FOLLOW_UP)
    assert second.visit_on == date(2027, 6, 22) and not second.announced
    assert second.members.get().user == lead

    services.save_report(
        inspection,
        by=lead,
        text="La Maison d'enfants les Tilleuls doit revoir ses sorties ; "
        "M. Paul DURAND l'a reconnu.",
    )
    with pytest.raises(ValidationError) as refused:
        services.publish(inspection, by=lead)
    assert "Maison d'enfants Les Tilleuls" in _refusal(refused)
    assert "Paul Durand" in _refusal(refused)
    services.save_report(
        inspection, by=lead, text="La structure doit revoir l'organisation des sorties."
    )
    inspection = services.publish(inspection, by=lead)
    assert inspection.status == InspectionStatus.PUBLISHED
    assert inspection.public_identifier == f"ES-69-{structure.pk:05d}"
    published = LogEntry.objects.get(action="inspections.inspection.publish")
    assert published.public and "Tilleuls" not in published.summary
    with pytest.raises(PermissionDenied):
        services.save_report(inspection, by=lead, text="Trop tard.")

    # The follow-up: the gestionnaire answers each required action, the team judges.
    first, second_action = actions.values()
    with pytest.raises(ValidationError, match="Le suivi se clôt quand chaque action"):
        services.close_follow_up(inspection, by=lead)
    with pytest.raises(PermissionDenied):
        services.answer_action(first, by=lead, plan="Fait.")
    with pytest.raises(ValidationError, match="Décrivez ce que la structure fait"):
        services.answer_action(first, by=manager, plan=" ")
    with django_capture_on_commit_callbacks(execute=True):
        first = services.answer_action(
            first, by=manager, plan="Un registre des sorties est tenu.", evidence="Registre."
        )
    assert mailoutbox[-1].to == [lead.email]
    with pytest.raises(ValidationError, match="Dites ce qui manque encore"):
        services.judge_action(first, by=lead, accept=False)
    with pytest.raises(PermissionDenied):
        services.judge_action(first, by=manager, accept=True)
    first = services.judge_action(first, by=lead, accept=False, note="Le registre de décembre.")
    assert first.status == ActionStatus.TO_REDO
    first = services.answer_action(first, by=manager, plan="Le registre de décembre est joint.")
    services.judge_action(first, by=lead, accept=True)
    assert RequiredAction.objects.overdue(date(2027, 3, 2)).get() == second_action
    services.judge_action(
        services.answer_action(second_action, by=manager, plan="Formation faite."),
        by=lead,
        accept=True,
    )
    assert not RequiredAction.objects.overdue(date(2027, 3, 2)).exists()
    assert services.close_follow_up(inspection, by=lead).status == InspectionStatus.CLOSED
    with pytest.raises(ValidationError, match="état actuel est « Acceptée »"):
        services.answer_action(first, by=manager, plan="Encore.")
    with pytest.raises(PermissionDenied):  # the report is closed: no more plans
        services.answer_action(recommendation, by=manager, plan="Plus tard.")
