"""The pages of local democracy (instances, agenda, votes) have no serious or critical axe-core
violation, and the instance pages and the majority judgment grid fit a 360 px wide phone.

The data is built with the services (composition, meeting, minutes, priorities ranked by
majority judgment), as the secretariat would build it; see test_accessibility.py for axe.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from enfance.assemblies import services
from enfance.assemblies.models import Priority
from enfance.votes import services as votes
from enfance.votes.enums import Grade
from tests.assemblies.factories import InstanceFactory, fill, secretary_of
from tests.e2e.test_accessibility import PASSWORD, assert_no_blocking_violation
from tests.events.factories import EventFactory, LiveFactory, paris
from tests.factories import UserFactory

PHONE = {"width": 360, "height": 740}
PRIORITIES = ["Accueil en urgence", "Soutien aux parents", "Sortie de l'ASE"]


@pytest.fixture
def axe_page(new_context, live_server):
    return new_context(bypass_csp=True).new_page()


@pytest.fixture
def instance(commune, colleges):
    """A constituted instance with its secretariat, a past meeting with a decision and
    published minutes, an upcoming meeting and a diagnostic of three needs."""
    instance = InstanceFactory(
        name="Instance locale de la Métropole de Lyon",
        departement=commune.departement,
        description="Parents, enfants et professionnels de la Métropole de Lyon.",
    )
    instance.communes.add(commune)
    fill(instance)
    secretary = secretary_of(instance)
    instance = services.refresh_constitution(instance, by=secretary)
    past = services.schedule_meeting(
        instance,
        by=secretary,
        title="Séance d'installation",
        starts_at=timezone.now() - timedelta(days=14),
        place="Hôtel de la Métropole, salle 2",
        agenda=["Élection du secrétariat", "Calendrier de l'année"],
    )
    services.record_decision(past, by=secretary, text="Le diagnostic local commence en mai.")
    minutes = services.save_minutes(past, by=secretary, text="Seize membres présents.\n\nFin.")
    services.publish_minutes(minutes, by=secretary)
    services.schedule_meeting(
        instance,
        by=secretary,
        title="Séance de diagnostic",
        starts_at=timezone.now() + timedelta(days=10),
        online_link="https://visio.exemple.fr/seance",
        agenda=["Besoins du territoire"],
    )
    for title in PRIORITIES:
        services.add_priority(instance, by=secretary, title=title, description="Un besoin relevé.")
    instance.secretary = secretary
    return instance


def open_ranking(instance):
    now = timezone.now()
    return services.open_priority_ranking(
        instance,
        by=instance.secretary,
        opens_at=now - timedelta(minutes=5),
        closes_at=now + timedelta(days=2),
    )


def rank_priorities(instance):
    """Every member grades the needs, then the secretariat closes the ranking."""
    ranking = open_ranking(instance)
    option_of = {priority: int(option) for option, priority in ranking.options.items()}
    grades = [Grade.BIEN, Grade.EXCELLENT, Grade.PASSABLE]
    choice = {
        option_of[p.pk]: grade
        for p, grade in zip(
            Priority.objects.filter(instance=instance).order_by("created_at", "pk"),
            grades,
            strict=True,
        )
    }
    for membership in instance.memberships.current().select_related("user"):
        votes.cast_vote(ranking.ballot, by=membership.user, choice=choice)
    services.close_priority_ranking(ranking, by=instance.secretary)
    return ranking.ballot


def an_elector(instance):
    return instance.memberships.current().select_related("user").first().user


def log_in(page, live_server, user):
    page.goto(live_server.url + "/comptes/login/")
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Connexion").click()
    page.wait_for_url(re.compile(r"/mon-compte/$"))


def open_page(page, url, heading):
    response = page.goto(url)
    assert response.status == 200, url
    h1 = page.locator("main#contenu").get_by_role("heading", level=1)
    assert heading in h1.inner_text()
    assert "INVALID_TEMPLATE_VARIABLE" not in page.content()


def fits_a_phone(page):
    page.wait_for_load_state("load")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"], f"{page.url} is {scroll_width} px wide at 360 px"


def test_instance_list_and_map_have_no_serious_violation(axe_page, live_server, instance):
    InstanceFactory(name="Instance locale du Rhône rural", departement=instance.departement)
    open_page(axe_page, live_server.url + "/instances/", "Instances locales")
    assert axe_page.get_by_role("link", name=instance.name).is_visible()
    assert_no_blocking_violation(axe_page)

    open_page(axe_page, live_server.url + "/instances/carte/", "Carte des instances")
    # The tile's name starts with the code it shows (WCAG 2.5.3).
    assert axe_page.get_by_role("link", name="69 – Rhône : 2 instances").is_visible()
    assert_no_blocking_violation(axe_page)


def test_instance_page_has_no_serious_violation(axe_page, live_server, instance):
    rank_priorities(instance)
    open_page(axe_page, live_server.url + instance.get_absolute_url(), instance.name)
    main = axe_page.locator("main#contenu")
    assert main.get_by_role("heading", name="Composition", level=2).is_visible()
    assert main.get_by_text("mention majoritaire : Excellent").is_visible()
    assert main.get_by_role("link", name="Séance d'installation").count() == 2
    assert_no_blocking_violation(axe_page)

    main.get_by_role("link", name="Séance d'installation").first.click()
    axe_page.wait_for_url(re.compile(r"/reunions/\d+/$"))
    assert "Seize membres présents." in main.inner_text()
    assert_no_blocking_violation(axe_page)


def test_agenda_and_event_page_have_no_serious_violation(axe_page, live_server, commune):
    atelier = EventFactory(title="Atelier citoyen : les priorités à Lyon", commune=commune)
    EventFactory(commune=commune, capacity=1, starts_at=paris(9))
    LiveFactory(title="Live d'écoute des parents", starts_at=paris(3, 20))
    open_page(axe_page, live_server.url + "/agenda/", "Agenda")
    assert axe_page.get_by_role("link", name=atelier.title).is_visible()
    assert_no_blocking_violation(axe_page)

    open_page(axe_page, live_server.url + f"/agenda/{atelier.pk}/", atelier.title)
    assert axe_page.get_by_role("link", name="Se connecter pour s'inscrire").is_visible()
    assert_no_blocking_violation(axe_page)


def test_propose_form_and_its_errors_have_no_serious_violation(axe_page, live_server, commune):
    log_in(axe_page, live_server, UserFactory(commune=commune))
    open_page(axe_page, live_server.url + "/agenda/proposer/", "Proposer un atelier")
    assert_no_blocking_violation(axe_page)

    axe_page.locator("#id_title").fill("Atelier des parents")
    axe_page.get_by_role("button", name="Envoyer ma proposition").click()
    axe_page.locator("#resume-erreurs").wait_for()
    assert axe_page.locator("#id_title").input_value() == "Atelier des parents"
    assert_no_blocking_violation(axe_page)


def test_ballot_page_for_an_elector_has_no_serious_violation(axe_page, live_server, instance):
    ballot = open_ranking(instance).ballot
    log_in(axe_page, live_server, an_elector(instance))
    open_page(axe_page, live_server.url + f"/votes/{ballot.pk}/", "Classement des priorités")
    grid = axe_page.locator("main form").filter(has=axe_page.get_by_role("button", name="Voter"))
    for title in PRIORITIES:
        assert grid.get_by_role("group", name=title).is_visible()
    assert grid.get_by_role("radio").count() == len(PRIORITIES) * len(Grade)
    assert_no_blocking_violation(axe_page)

    # Only the first need graded: the error state of the grid.
    grid.get_by_role("group", name=PRIORITIES[0]).get_by_text("Excellent", exact=True).click()
    grid.get_by_role("button", name="Voter").click()
    axe_page.locator("#resume-erreurs").wait_for()
    assert_no_blocking_violation(axe_page)


def test_results_page_has_no_serious_violation(axe_page, live_server, instance):
    ballot = rank_priorities(instance)
    open_page(axe_page, live_server.url + f"/votes/{ballot.pk}/resultats/", ballot.title)
    assert axe_page.get_by_role("cell", name="Excellent").first.is_visible()
    assert_no_blocking_violation(axe_page)


def test_instance_pages_fit_a_360_px_wide_phone(new_context, live_server, instance):
    rank_priorities(instance)
    page = new_context(viewport=PHONE).new_page()
    open_page(page, live_server.url + "/instances/", "Instances locales")
    fits_a_phone(page)
    open_page(page, live_server.url + "/instances/carte/", "Carte des instances")
    fits_a_phone(page)
    open_page(page, live_server.url + instance.get_absolute_url(), instance.name)
    fits_a_phone(page)


def test_majority_judgment_grid_is_usable_on_a_360_px_wide_phone(
    new_context, live_server, instance
):
    ballot = open_ranking(instance).ballot
    page = new_context(viewport=PHONE).new_page()
    log_in(page, live_server, an_elector(instance))
    open_page(page, live_server.url + f"/votes/{ballot.pk}/", "Classement des priorités")
    fits_a_phone(page)
    # Every grade of every need can be reached and chosen on the phone.
    for title in PRIORITIES:
        group = page.locator("main form").get_by_role("group", name=title)
        worst = group.get_by_role("radio").last
        group.get_by_text(Grade.labels[0], exact=True).click()
        assert worst.is_checked()
    page.get_by_role("button", name="Voter").click()
    page.get_by_text("Votre vote a été enregistré").wait_for()
    fits_a_phone(page)
