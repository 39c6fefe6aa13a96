"""A person who has left a trace in every module: one row behind every link that a module
declares (core.privacy), so that deleting the account runs every declaration's erase path.
Rows are written directly where the path to them does not matter, through the services where
it does (a registration, a vote, a support)."""

from dataclasses import dataclass
from datetime import date, timedelta

from allauth.socialaccount.models import SocialAccount
from django.contrib.admin.models import ADDITION
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from enfance.accounts.models import Role, User
from enfance.assemblies.models import Application, ChildProfile, Draw, InstanceProposal
from enfance.care.models import (
    AnnualReport,
    Associate,
    Cooperative,
    DepartementParticipation,
    FamilyUnit,
    GeneralAssembly,
    ObservationStay,
    PlaceDeclaration,
    PlaceOffer,
    PlaceRequest,
    StayRead,
    Structure,
    StructureManager,
    StructureToken,
    SupervisionQuestion,
    Transfer,
)
from enfance.core.eventlog import record_event
from enfance.events import services as events
from enfance.events.enums import EventKind
from enfance.inspections.models import (
    Alert,
    ControlPlan,
    Criterion,
    Finding,
    Inspection,
    InspectionMember,
    InterestDeclaration,
    PlanEntry,
    Referentiel,
    RequiredAction,
)
from enfance.measures.models import MeasureImport
from enfance.petitions.enums import PetitionState
from enfance.petitions.models import DepartementCount, PaperSheet, Signature
from enfance.practices.enums import PracticeState
from enfance.practices.models import ConflictOfInterest, PracticeMark, PracticeMessage
from enfance.proposals import services as proposals
from enfance.proposals.models import Amendment, Comment, CommentReport, Digest, Proposal
from enfance.safeguarding.models import DangerReport
from enfance.strategy import reference
from enfance.strategy.models import (
    Contract,
    ContractCriterion,
    CriterionStatus,
    DepartementFact,
    FactKind,
)
from enfance.support.models import (
    GroupAnnouncement,
    GroupMembership,
    Interlocutor,
    LiveQuestion,
    LiveRecord,
    QuestionSupport,
    RequestRead,
    Specialty,
    SupportGroup,
    SupportMessage,
    SupportRequest,
    Testimony,
)
from enfance.texts import services as texts
from enfance.texts.models import ArticleComment, ArticleCommentReport, FollowUp, Transmission
from enfance.votes import services as votes
from enfance.votes.enums import Method
from enfance.votes.models import Participation, Proxy
from tests.assemblies.factories import InstanceFactory, college, seat_directly
from tests.care.factories import CategoryFactory, StructureFactory
from tests.events.factories import EventFactory, LiveFactory
from tests.factories import DepartementFactory, RoleFactory, UserFactory, with_totp
from tests.interpellations.factories import InterpellationFactory
from tests.petitions.factories import PetitionFactory, SignatureFactory
from tests.practices.factories import PracticeFactory
from tests.proposals.factories import published
from tests.texts.factories import charter, law_proposal
from tests.votes.factories import make_ballot, voting_body


@dataclass
class Traces:
    """What the tests look at afterwards."""

    registration_event: object
    published_proposal: Proposal
    draft_proposal: Proposal
    supported: Proposal
    open_signature: Signature
    closed_signature: Signature
    secret_ballot: object


def leave_traces(person: User, *, admin: User) -> Traces:
    """Everything ``person`` can leave behind; ``admin`` (a national administrator) and people
    made here stand for everyone else. Nothing here belongs to another account under test."""
    someone = UserFactory(first_name="Quelqu'un")
    _accounts(person, someone)
    instance = _assemblies(person, someone)
    event = _events(person)
    ballot = _votes(person, someone)
    _safeguarding(person)
    _practices(person)
    proposal_traces = _proposals(person, someone, admin)
    _texts(person, admin)
    _interpellations(person, instance)
    open_signature, closed_signature = _petitions(person, instance)
    _care(person)
    _measures(person)
    _strategy(person)
    _inspections(person)
    _support(person)
    record_event(by=person, action="tests.trace", summary="Une action de la personne")
    return Traces(
        registration_event=event,
        open_signature=open_signature,
        closed_signature=closed_signature,
        secret_ballot=ballot,
        **proposal_traces,
    )


def _inspections(person):
    structure = StructureFactory()
    inspection = Inspection.objects.create(
        structure=structure,
        referentiel=Referentiel.objects.get(version="2026"),
        origin="plan",
        visit_on=date(2026, 12, 10),
        created_by=person,
        observations_by=person,
    )
    InspectionMember.objects.create(inspection=inspection, user=person, lead=True)
    # A year of this person's own: the second account under test opens another plan.
    plan = ControlPlan.objects.create(
        departement=structure.departement, year=2100 + person.pk % 100, created_by=person
    )
    PlanEntry.objects.create(
        plan=plan,
        structure=structure,
        source="proposee",
        risk_score=30,
        added_by=person,
        withdrawn_by=person,
    )
    Alert.objects.create(
        structure=structure,
        source="plainte",
        summary="Une plainte.",
        received_on=date(2026, 12, 1),
        recorded_by=person,
    )
    InterestDeclaration.objects.create(user=person, structure=structure, has_link=False)
    criterion = Criterion.objects.get(referentiel=inspection.referentiel, code="droits.1")
    Finding.objects.create(inspection=inspection, criterion=criterion, score=3, updated_by=person)
    RequiredAction.objects.create(
        inspection=inspection,
        criterion=criterion,
        kind="recommandation",
        text="Afficher le 119.",
        created_by=person,
        answered_by=person,
        decided_by=person,
    )


def _support(person):
    departement = DepartementFactory(code=f"S{person.pk % 100:02d}", name=f"Soutien {person.pk}")
    own = SupportRequest.objects.create(
        parent=person,
        subject="placement",
        departement=departement,
        child_age="6-10",
        situation="Ma fille est placée depuis mars.",
    )
    SupportMessage.objects.create(request=own, author=person, from_parent=True, body="Merci.")
    handled = SupportRequest.objects.create(
        parent=UserFactory(),
        subject="sante",
        departement=departement,
        child_age="0-2",
        situation="Un suivi médical interrompu.",
        status="suivie",
        handler=person,
        taken_at=timezone.now(),
    )
    SupportMessage.objects.create(
        request=handled, author=person, from_parent=False, body="Bonjour."
    )
    RequestRead.objects.create(request=handled, reader=person)
    Specialty.objects.create(user=person, subject="sante")
    live = LiveFactory(title="Live des parents", hosts=[person])
    question = LiveQuestion.objects.create(
        event=live,
        author=person,
        pseudonym="Maman69",
        text="Comment préparer une audience ?",
        status="affichee",
        moderated_by=person,
        moderated_at=timezone.now(),
    )
    QuestionSupport.objects.create(question=question, user=person)
    LiveRecord.objects.create(event=live, summary="Synthèse.", published_by=person)
    Interlocutor.objects.create(parent=person, role="enseignant", name="Mme Roux")
    Testimony.objects.create(request=handled, text="Un parent écouté.", proposed_by=person)
    led = SupportGroup.objects.create(
        title="Groupe animé", theme="placement", departement=departement, facilitator=person
    )
    GroupAnnouncement.objects.create(group=led, author=person, text="Prochaine séance mardi.")
    GroupMembership.objects.create(
        group=led,
        user=UserFactory(),
        charter_version=1,
        joined_at=timezone.now() - timedelta(days=30),
        left_at=timezone.now(),
        removed_by=person,
        removal_reason="Charte non respectée.",
    )
    joined = SupportGroup.objects.create(
        title="Groupe rejoint", theme="sante", departement=departement, facilitator=UserFactory()
    )
    GroupMembership.objects.create(group=joined, user=person, charter_version=1)


def _measures(person):
    MeasureImport.objects.create(
        departement=DepartementFactory(), imported_by=person, rows=3, created=3
    )


def _strategy(person):
    if not ContractCriterion.objects.exists():
        # A transactional test flushed the strategy's data migration on this worker.
        reference.load()
    contract = Contract.objects.create(
        departement=DepartementFactory(
            code=f"S{person.pk % 100:02d}", name=f"Stratégie {person.pk}"
        ),
        year=2020,
        wave=1,
        created_by=person,
    )
    CriterionStatus.objects.create(
        contract=contract,
        criterion=ContractCriterion.objects.get(number=1),
        met=True,
        evidence="Schéma adopté le 3 mars 2020.",
        recorded_by=person,
    )
    DepartementFact.objects.create(
        departement=contract.departement,
        kind=FactKind.PARENTAL_CENTRE,
        present=True,
        observed_on=date(2021, 5, 4),
        source="Rapport d'activité du département 2021",
        recorded_by=person,
    )


def _care(person):
    structure = StructureFactory(created_by=person, validated_by=person)
    StructureManager.objects.create(structure=structure, user=person)
    Structure.history.filter(id=structure.pk).update(history_user=person)
    category = CategoryFactory(structure=structure)
    category.free, category.declared_at, category.declared_by = 1, timezone.now(), person
    category.save()
    PlaceDeclaration.objects.create(
        category=category,
        free=1,
        closed=0,
        capacity=category.capacity,
        declared_by=person,
        source="page",
    )
    request = PlaceRequest.objects.create(
        departement=structure.departement,
        requested_by=person,
        place_type="internat",
        age_band="13-17",
        wished_on=timezone.localdate(),
        answer_by=timezone.now() + timedelta(1),
    )
    PlaceOffer.objects.create(
        request=request,
        structure=structure,
        category=category,
        status="refusee",
        reason="Complet",
        answered_by=person,
    )
    StructureToken.objects.create(
        structure=structure, label="Logiciel", digest=f"{person.pk:064d}", created_by=person
    )
    # A département of this person's own: the second account under test enrols another.
    departement = DepartementFactory(code=f"X{person.pk % 100:02d}", name=f"Essai {person.pk}")
    DepartementParticipation.objects.create(
        departement=departement, joined_on=date(2026, 11, 2), decided_by=person
    )
    scic = Cooperative.objects.create(
        name=f"SCIC {person.pk}",
        siren=f"{person.pk:09d}",
        registered_on=date(2025, 3, 1),
        departement=departement,
        instance=InstanceFactory(departement=departement),
        created_by=person,
    )
    Transfer.objects.create(
        competence="gestion_foyers",
        departement=departement,
        instance=scic.instance,
        phase=4,
        starts_on=date(2026, 9, 1),
        yearly_budget=1_000_000,
        proposed_by=person,
    )
    AnnualReport.objects.create(
        cooperative=scic, year=2025, report="r.pdf", accounts="c.pdf", published_by=person
    )
    SupervisionQuestion.objects.create(
        cooperative=scic,
        question="Combien de places ?",
        asked_by=person,
        due_on=date(2027, 1, 4),
        answer="Douze.",
        answered_by=person,
        answered_at=timezone.now(),
    )
    village = StructureFactory(kind="village", created_by=person)
    unit = FamilyUnit.objects.create(village=village, name=f"Unité {person.pk}", capacity=4)
    stay = ObservationStay.objects.create(
        village=village,
        unit=unit,
        departement=village.departement,
        requester="ase",
        requested_by=person,
        starts_at=timezone.now() - timedelta(days=5),
        hours=48,
        adults=1,
        children_6_12=1,
        status="observe",
        summary="Un séjour calme.",
        summary_by=person,
    )
    StayRead.objects.create(stay=stay, reader=person)
    GeneralAssembly.objects.create(
        cooperative=scic,
        title="Assemblée générale 2026",
        held_on=date(2026, 6, 16),
        agenda="1. Comptes",
        convened_by=person,
    )
    Associate.objects.create(
        cooperative=scic,
        category="beneficiaires",
        name="Camille",
        shares=1,
        joined_on=date(2025, 3, 1),
        user=person,
    )


def _accounts(person, someone):
    with_totp(person)
    SocialAccount.objects.create(user=person, provider="franceconnect", uid=f"fc-{person.pk}")
    RoleFactory(user=person, kind="porteur_pratique")
    Role.objects.create(
        user=someone,
        kind="magistrat",
        scope_level="national",
        granted_by=person,
        withdrawn_by=person,
        withdrawn_at=timezone.now(),
    )
    Role.history.filter(user_id=someone.pk).update(history_user=person)
    User.history.filter(id=someone.pk).update(history_user=person)
    AdminLogEntry.objects.create(
        user=person,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(someone.pk),
        object_repr="Quelqu'un",
        action_flag=ADDITION,
    )


def _assemblies(person, someone):
    instance = InstanceFactory(created_by=person)
    seat_directly(instance, "parents", user=person)
    Application.objects.create(
        instance=instance,
        college=college("associatifs"),
        applicant=person,
        public_code=f"C-{person.pk}",
        motivation="Je veux aider les familles de mon quartier.",
    )
    # An adult's birth date: a minor's comments and proposals would wait for moderation.
    ChildProfile.objects.create(user=person, birth_date=date(1990, 5, 1))
    child = UserFactory(first_name="Lina")
    ChildProfile.objects.create(
        user=child,
        birth_date=date(2012, 3, 1),
        consent_parent_name="Parent Responsable",
        consent_given_on=timezone.localdate(),
        consent_method="ecrit",
        consent_recorded_by=person,
    )
    Draw.objects.create(
        instance=instance,
        college=college("parents"),
        seats=1,
        seed="graine",
        candidates=[],
        result=[],
        drawn_by=person,
    )
    forum = EventFactory(kind=EventKind.FORUM, hosts=[someone])
    InstanceProposal.objects.create(
        event=forum,
        name="Instance du quartier",
        departement=instance.departement,
        proposed_by=person,
    )
    return instance


def _events(person):
    event = EventFactory(
        title="Atelier des familles", capacity=1, proposed_by=person, hosts=[person]
    )
    events.register(event, by=person)
    return event


def _votes(person, someone):
    body = voting_body(members=2, manager=person)
    body.members.add(person)
    secret = make_ballot(body, method=Method.MAJORITY, options=None)
    votes.open_ballot(secret, by=person, electors=body.members.all())
    votes.cast_vote(secret, by=person, choice="pour")
    public = make_ballot(body, method=Method.MAJORITY, options=None, secret=False)
    votes.open_ballot(public, by=person, electors=body.members.all())
    votes.cast_vote(public, by=person, choice="contre")
    holder, giver = body.members.exclude(pk=person.pk)[:2]
    Proxy.objects.create(ballot=public, giver=person, holder=holder, recorded_by=person)
    Proxy.objects.create(ballot=secret, giver=giver, holder=person, recorded_by=person)
    Participation.objects.create(ballot=public, voter=someone, cast_by=person)
    make_ballot(
        body,
        method=Method.APPROVAL,
        options=[person.first_name, someone.first_name],
        candidates=[person, someone],
    )
    return secret


def _safeguarding(person):
    target = published(title="Un texte signalé")
    DangerReport.objects.create(
        content_type=ContentType.objects.get_for_model(Proposal),
        object_id=target.pk,
        target_label="Proposition signalée",
        reported_by=person,
        handled_by=person,
        reason="Un enfant semble en danger.",
    )


def _practices(person):
    PracticeFactory(declarant=person, state=PracticeState.DRAFT, title="Mon brouillon de pratique")
    mine = PracticeFactory(declarant=person, title="Ma pratique publiée")
    PracticeMessage.objects.create(practice=mine, author=person, body="Voici les compléments.")
    reviewed = PracticeFactory(reviewer=person, departement_agreement_recorded_by=person)
    ConflictOfInterest.objects.create(practice=reviewed, member=person)
    PracticeMark.objects.create(
        practice=reviewed, member=person, criterion="pertinence", year=timezone.localdate().year
    )


def _proposals(person, someone, admin):
    mine = published(author=person, title="Des maisons des familles")
    draft = proposals.create_proposal(
        by=person,
        title="Mon brouillon",
        problem="Un problème.",
        body="Une idée.",
        expected_effect="Un effet.",
    )
    supported = published(author=someone, title="La proposition soutenue")
    proposals.support(supported, by=person)
    comment = proposals.add_comment(supported, by=person, body="Je soutiens cette idée.")
    others = Comment.objects.create(proposal=mine, author=someone, body="Un autre avis.")
    CommentReport.objects.create(comment=others, reported_by=person, reason="Hors sujet.")
    Comment.objects.filter(pk=others.pk).update(moderated_by=person)
    Amendment.objects.create(
        proposal=supported,
        number=1,
        part="body",
        original_text=supported.body,
        new_text="Une rédaction meilleure.",
        author=person,
    )
    Digest.objects.create(user=person, day=timezone.localdate(), activity_count=1)
    assert comment.author_id == person.pk
    return {"published_proposal": mine, "draft_proposal": draft, "supported": supported}


def _texts(person, admin):
    text = charter(admin, slug=f"charte-{person.pk}")
    text.editors.add(person)
    type(text).objects.filter(pk=text.pk).update(created_by=person)
    text.versions.update(created_by=person)
    article = text.current_version.articles.first()
    texts.comment_article(article, by=person, body="Un article essentiel.")
    proposal = texts.propose_wording(
        article, by=person, body="Une autre rédaction.", reason="Plus clair."
    )
    type(proposal).objects.filter(pk=proposal.pk).update(decided_by=person)
    others = ArticleComment.objects.create(
        article=article, author=admin, body="Un avis.", moderated_by=person
    )
    ArticleCommentReport.objects.create(comment=others, reported_by=person, reason="Hors sujet.")
    law = law_proposal(admin, title=f"Loi des familles n° {person.pk}")
    Transmission.objects.create(
        law_proposal=law,
        version=law.current_version,
        recipient_kind="gouvernement",
        recipients="Le Gouvernement",
        transmitted_on=timezone.localdate(),
        recorded_by=person,
    )
    FollowUp.objects.create(
        law_proposal=law,
        happened_on=timezone.localdate(),
        description="Une réunion.",
        recorded_by=person,
    )


def _interpellations(person, instance):
    InterpellationFactory(instance=instance, created_by=person, answer_recorded_by=person)


def _petitions(person, instance):
    open_petition = PetitionFactory(state=PetitionState.OPEN)
    open_signature = SignatureFactory(
        petition=open_petition, email=person.email, confirmed_at=timezone.now()
    )
    DepartementCount.objects.create(
        petition=open_petition, departement=open_signature.departement, confirmed=1
    )
    closed_petition = PetitionFactory(
        state=PetitionState.CLOSED, closes_at=timezone.now() - timedelta(days=1)
    )
    closed_signature = SignatureFactory(
        petition=closed_petition, email=person.email, confirmed_at=timezone.now()
    )
    PaperSheet.objects.create(
        petition=open_petition,
        instance=instance,
        departement=instance.departement,
        signatures=12,
        sheets=2,
        collected_at="Forum de Lyon",
        collected_on=timezone.localdate(),
        entered_by=person,
        withdrawn_by=person,
    )
    return open_signature, closed_signature
