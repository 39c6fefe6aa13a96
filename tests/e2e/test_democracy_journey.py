"""Local democracy from end to end, in real browsers, one context (cookie jar) per person: a
citizen of Lyon proposes an atelier, the secretary of the Rhône instance accepts it, people
register (the third waits and is promoted when someone cancels), two parents apply to the
parents' college and are shortlisted, the host takes attendance, the attendees elect the two
candidates by majority judgment, the secretary seats them and the instance turns constituée.

Everything that is not the journey (territory, instance, members, people) is set up through the
ORM; the only time travel moves the atelier to today, since the proposal form refuses past dates
and attendance is taken from the day of the event.
"""

import re
from datetime import timedelta

from django.core import mail
from django.utils import timezone
from django.utils.text import slugify

from enfance.accounts.naming import initialled_name
from enfance.assemblies.enums import ApplicationStatus, InstanceStatus, SelectionMethod
from enfance.assemblies.models import Application, CollegeElection, Membership
from enfance.events.enums import EventStatus, RegistrationStatus
from enfance.events.models import Event, Registration
from enfance.votes.enums import BallotState
from enfance.votes.models import Participation, Vote
from tests.assemblies.factories import MINIMUM, InstanceFactory, fill, secretary_of
from tests.factories import UserFactory

# The live server flushes the database after each test: the `colleges` fixture writes again the
# colleges and seats that a data migration writes.

PASSWORD = "mot-de-passe-solide-2026"
TITLE = "Atelier citoyen : élire les parents de l'instance"
INSTANCE_NAME = "Instance locale de la Métropole de Lyon"


def person(commune, first_name, last_name):
    email = f"{slugify(first_name)}.{slugify(last_name)}@exemple.fr"
    return UserFactory(email=email, first_name=first_name, last_name=last_name, commune=commune)


def log_in(new_context, live_server, user):
    """A new browser (cookie jar) where this person logged in through the real form."""
    page = new_context().new_page()
    page.goto(live_server.url + "/comptes/login/")
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Connexion").click()
    page.wait_for_url(re.compile(r"/mon-compte/$"))
    return page


def see_message(page, text):
    page.locator("main").get_by_role("status").filter(has_text=text).wait_for()


def no_invalid_variable(page):
    assert "INVALID_TEMPLATE_VARIABLE" not in page.content(), page.url


def subjects_to(user):
    return [m.subject for m in mail.outbox if m.to == [user.email]]


def test_an_atelier_elects_the_parents_and_the_instance_is_constituted(
    new_context, live_server, commune, colleges
):
    # Setup: the Rhône instance, every college at its minimum except parents (2 of 4).
    instance = InstanceFactory(name=INSTANCE_NAME, departement=commune.departement)
    instance.communes.add(commune)
    fill(instance, {**MINIMUM, "parents": 2})
    secretary = secretary_of(instance)
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.EN_CREATION
    host = person(commune, "Claire", "Proposante")
    alice, bruno, chloe = (
        person(commune, "Alice", "Annule"),
        person(commune, "Bruno", "Present"),
        person(commune, "Chloé", "Attente"),
    )
    sophie, karim = person(commune, "Sophie", "Mercier"), person(commune, "Karim", "Benali")
    instance_url = f"{live_server.url}/instances/{instance.slug}/"

    # 1. A citizen of Lyon proposes an atelier with two places.
    claire = log_in(new_context, live_server, host)
    claire.goto(live_server.url + "/agenda/proposer/")
    claire.locator("#id_title").fill(TITLE)
    claire.locator("#id_commune").fill("Lyon (69001)")
    claire.locator("#id_place").fill("Maison des associations, 28 rue Denfert-Rochereau")
    day = timezone.localdate() + timedelta(days=10)
    claire.locator("#id_date").fill(day.isoformat())
    claire.locator("#id_start_time").fill("18:30")
    claire.locator("#id_end_time").fill("20:30")
    claire.locator("#id_capacity").fill("2")
    claire.locator("#id_description").fill("Nous élirons les parents qui siégeront à l'instance.")
    claire.get_by_role("button", name="Envoyer ma proposition").click()
    claire.wait_for_url(re.compile(r"/agenda/\d+/$"))
    see_message(claire, "Merci ! Votre proposition est enregistrée.")
    claire.get_by_text("Proposition en attente d'examen").wait_for()
    event = Event.objects.get(title=TITLE)
    assert (event.status, event.capacity, event.proposed_by) == (EventStatus.PROPOSED, 2, host)
    event_url = f"{live_server.url}/agenda/{event.pk}/"

    # 2. The secretary of the Rhône instance reviews it and accepts it.
    secretariat = log_in(new_context, live_server, secretary)
    secretariat.goto(live_server.url + "/agenda/propositions/")
    secretariat.get_by_text("1 proposition en attente").wait_for()
    secretariat.get_by_role("link", name=TITLE).click()
    secretariat.wait_for_url(re.compile(rf"/agenda/{event.pk}/gerer/$"))
    secretariat.get_by_role("button", name="Accepter et publier").click()
    see_message(secretariat, "La proposition est acceptée et publiée.")
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    assert f"[Agenda] Votre proposition « {TITLE} » est acceptée" in subjects_to(host)

    # 3. Two people get the two places, the third goes on the waiting list.
    pages = {}
    for user in (alice, bruno):
        page = pages[user] = log_in(new_context, live_server, user)
        page.goto(event_url)
        page.get_by_role("button", name="M'inscrire", exact=True).click()
        see_message(page, "Votre inscription est confirmée. À bientôt !")
        page.get_by_text("Inscription confirmée", exact=True).wait_for()
    waiting = pages[chloe] = log_in(new_context, live_server, chloe)
    waiting.goto(event_url)
    waiting.get_by_text("complet (2 places) — une liste d'attente est ouverte").wait_for()
    waiting.get_by_role("button", name="M'inscrire sur la liste d'attente").click()
    see_message(
        waiting, "L'événement est complet : vous êtes sur la liste d'attente, en position 1."
    )
    waiting.get_by_text("Liste d'attente : position 1").wait_for()

    # One cancels: the person waiting gets the place and an e-mail.
    pages[alice].get_by_role("button", name="Me désinscrire").click()
    see_message(pages[alice], "Votre inscription est annulée.")
    pages[alice].get_by_role("button", name="M'inscrire sur la liste d'attente").wait_for()
    waiting.reload()
    waiting.get_by_text("Inscription confirmée", exact=True).wait_for()
    assert waiting.get_by_text("Liste d'attente : position").count() == 0
    assert f"[Agenda] Une place s'est libérée : « {TITLE} »" in subjects_to(chloe)
    promoted = next(m for m in mail.outbox if m.subject.startswith("[Agenda] Une place"))
    assert "est confirmée" in promoted.body
    statuses = dict(Registration.objects.filter(event=event).values_list("user", "status"))
    assert statuses == {
        alice.pk: RegistrationStatus.CANCELLED,
        bruno.pk: RegistrationStatus.REGISTERED,
        chloe.pk: RegistrationStatus.REGISTERED,
    }

    # 4. Two parents apply to the parents' college; the secretary shortlists them.
    for candidate in (sophie, karim):
        page = pages[candidate] = log_in(new_context, live_server, candidate)
        page.goto(instance_url)
        page.locator("main").get_by_text("En création", exact=True).wait_for()
        page.get_by_text("Il manque 2 membres au collège des parents", exact=True).wait_for()
        page.get_by_role("link", name="Candidater pour siéger").click()
        page.wait_for_url(re.compile(rf"/instances/{instance.slug}/candidater/$"))
        page.locator("#id_college").select_option(label="Parents")
        page.locator("#id_motivation").fill(
            f"Je suis {candidate.first_name}, parent à Lyon, et je veux porter la voix des "
            "familles."
        )
        page.get_by_role("button", name="Déposer ma candidature").click()
        page.wait_for_url(instance_url)
        see_message(page, "Votre candidature au collège des parents est déposée.")
    applications = {a.applicant: a for a in Application.objects.filter(instance=instance)}
    assert set(applications) == {sophie, karim}

    secretariat.goto(instance_url + "gestion/candidatures/")
    for candidate in (sophie, karim):
        code = applications[candidate].public_code
        row = secretariat.get_by_role("row").filter(has_text=code)
        row.get_by_role("button", name=f"Retenir {code}").click()
        see_message(secretariat, f"Candidature {code} mise à jour.")
        assert row.get_by_role("cell", name="Retenue", exact=True).is_visible()
    assert set(Application.objects.filter(instance=instance).values_list("status", flat=True)) == {
        ApplicationStatus.RETENUE
    }

    # 5. The day of the atelier (time travel through the ORM): the host ticks who came.
    now = timezone.now()
    Event.objects.filter(pk=event.pk).update(starts_at=now, ends_at=now + timedelta(hours=2))
    claire.goto(event_url + "presences/")
    claire.get_by_text("Cochez les personnes présentes (2 inscrites)").wait_for()
    assert claire.get_by_label(alice.display_name).count() == 0
    for attendee in (bruno, chloe):
        claire.get_by_text(attendee.display_name, exact=True).click()
        assert claire.get_by_label(attendee.display_name).is_checked()
    claire.get_by_role("button", name="Enregistrer les présences").click()
    see_message(claire, "Présences enregistrées : 2 présent(s).")
    assert set(
        Registration.objects.filter(event=event, attended=True).values_list("user", flat=True)
    ) == {bruno.pk, chloe.pk}

    # 6. The secretary opens the election of the parents at the atelier.
    secretariat.goto(instance_url + "gestion/elections/")
    secretariat.get_by_text("Aucune élection pour le moment.").wait_for()
    secretariat.locator("#id_college").select_option(label="Parents")
    secretariat.locator("#id_event").select_option(label=TITLE)
    secretariat.get_by_role("button", name="Ouvrir le vote").click()
    see_message(secretariat, "L'élection est ouverte aux personnes présentes.")
    election = CollegeElection.objects.get(instance=instance)
    assert (election.event, election.seats) == (event, 4)
    row = secretariat.get_by_role("row").filter(has_text=TITLE)
    assert row.get_by_role("link", name="Ouvert").is_visible()

    # 7. The attendees vote from the atelier's page, a grade for each candidate.
    grades = {sophie: "Excellent", karim: "Très bien"}
    for voter in (bruno, chloe):
        page = pages[voter]
        page.goto(event_url)
        page.get_by_role("link", name=re.compile("^Élection au collège des parents")).click()
        page.wait_for_url(re.compile(rf"/votes/{election.ballot_id}/$"))
        grid = page.locator("main form").filter(has=page.get_by_role("button", name="Voter"))
        for candidate, grade in grades.items():
            # Candidates to the « parents » college: first name and initial, as in public.
            group = grid.get_by_role("group", name=initialled_name(candidate))
            group.get_by_text(grade, exact=True).click()
            assert group.get_by_label(grade, exact=True).is_checked()
        grid.get_by_role("button", name="Voter").click()
        page.get_by_text("Votre vote a été enregistré").wait_for()
        assert page.get_by_role("button", name="Voter").count() == 0
        no_invalid_variable(page)
    assert Vote.objects.filter(ballot=election.ballot_id).count() == 2
    assert set(
        Participation.objects.filter(ballot=election.ballot_id).values_list("voter", flat=True)
    ) == {bruno.pk, chloe.pk}
    # Someone who registered but cancelled is not in the electorate.
    pages[alice].goto(f"{live_server.url}/votes/{election.ballot_id}/")
    pages[alice].get_by_text("Vous ne faites pas partie du corps électoral").wait_for()

    # 8. The secretary closes the vote and seats the elected.
    secretariat.goto(instance_url + "gestion/elections/")
    secretariat.get_by_role("button", name=re.compile("^Clore et installer les élus")).click()
    see_message(secretariat, "Élection conclue : 2 personnes installées au collège des parents.")
    secretariat.get_by_role("cell", name=re.compile(r"^Conclue le \d")).wait_for()
    no_invalid_variable(secretariat)

    # 9. The two candidates are members and the instance is constituée.
    public = new_context().new_page()
    public.goto(instance_url)
    main = public.locator("main")
    main.get_by_text("Constituée", exact=True).wait_for()
    assert main.get_by_text("Composition complète : 17 membres.").is_visible()
    assert main.get_by_text("En création", exact=True).count() == 0
    parents = main.locator(".fr-card").filter(
        has=public.get_by_role("heading", name="Parents", exact=True)
    )
    assert parents.get_by_text("4 membres sur 4 à 6").is_visible()
    for candidate in (sophie, karim):
        # In public, an elected parent appears by first name and initial.
        assert parents.get_by_text(initialled_name(candidate)).is_visible()
        assert main.get_by_text(candidate.last_name).count() == 0
    no_invalid_variable(public)

    instance.refresh_from_db()
    assert instance.status == InstanceStatus.CONSTITUEE
    elected = Membership.objects.seated().filter(instance=instance, seat__college__code="parents")
    assert elected.count() == 4
    assert {
        (m.user, m.selection_method, m.application.status)
        for m in elected.filter(user__in=[sophie, karim]).select_related("application")
    } == {
        (sophie, SelectionMethod.ELU_ATELIER, ApplicationStatus.MEMBRE),
        (karim, SelectionMethod.ELU_ATELIER, ApplicationStatus.MEMBRE),
    }
    election.refresh_from_db()
    assert election.concluded_at is not None
    assert election.ballot.state == BallotState.CLOSED
