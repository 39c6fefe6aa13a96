"""An interpellation from end to end, one browser context per person: the secretary of an
instance drafts it, the members adopt it by vote, it is sent, the institution opens the secret
link from the e-mail (no account) and answers, and the public page shows « Répondue ». The list
and the interpellation page have no serious or critical axe-core violation.

The instance and its members are set up through the ORM; everything else goes through the pages.
"""

import re

from django.core import mail

from enfance.assemblies.enums import MemberRole
from enfance.interpellations.enums import State
from enfance.interpellations.models import Interpellation
from enfance.votes.models import Participation
from tests.assemblies.factories import InstanceFactory, seat_directly
from tests.e2e.test_accessibility import assert_no_blocking_violation
from tests.e2e.test_democracy_journey import log_in, no_invalid_variable, person, see_message

CONTACT = "direction.enfance@rhone.exemple.fr"
TITLE = "Des enfants placés loin de leur école"
ANSWER = "Nous ouvrons vingt places d'accueil dans la métropole avant juin."


def test_an_interpellation_is_adopted_sent_and_answered_through_its_link(
    new_context, live_server, commune, colleges
):
    instance = InstanceFactory(
        name="Instance locale de Villeurbanne", departement=commune.departement
    )
    secretary = person(commune, "Sandrine", "Secretaire")
    seat_directly(instance, "associatifs", user=secretary, role=MemberRole.SECRETAIRE)
    voters = [person(commune, "Paul", "Parent"), person(commune, "Gisèle", "Grandmere")]
    seat_directly(instance, "parents", user=voters[0])
    seat_directly(instance, "grands_parents", user=voters[1])

    # 1. The secretary drafts the interpellation.
    secretariat = log_in(new_context, live_server, secretary)
    secretariat.goto(live_server.url + "/interpellations/nouvelle/")
    secretariat.locator("#id_institution_kind").select_option(
        label="Aide sociale à l'enfance (département)"
    )
    secretariat.locator("#id_institution_name").fill("Conseil départemental du Rhône")
    secretariat.locator("#id_contact_email").fill(CONTACT)
    secretariat.locator("#id_title").fill(TITLE)
    secretariat.locator("#id_facts").fill("Onze enfants placés à plus de 80 km en 2025.")
    secretariat.locator("#id_failures").fill("Les liens avec les familles ne sont pas maintenus.")
    secretariat.locator("#id_recommendations").fill("Ouvrir des places dans la métropole.")
    secretariat.get_by_role("button", name="Enregistrer le brouillon").click()
    secretariat.wait_for_url(re.compile(r"/interpellations/\d+/$"))
    see_message(secretariat, "Le brouillon est enregistré.")
    interpellation = Interpellation.objects.get(title=TITLE)
    detail_url = live_server.url + interpellation.get_absolute_url()

    # 2. It goes to the vote of the members.
    secretariat.get_by_role("button", name="Soumettre au vote des membres").click()
    see_message(secretariat, "Le vote est ouvert")
    interpellation.refresh_from_db()
    assert interpellation.state == State.VOTING

    # 3. The three members vote for it from the interpellation's page.
    pages = [secretariat, *(log_in(new_context, live_server, voter) for voter in voters)]
    for page in pages:
        page.goto(detail_url)
        page.get_by_role("link", name="aller au vote").click()
        page.wait_for_url(re.compile(rf"/votes/{interpellation.ballot_id}/$"))
        form = page.locator("main form").filter(has=page.get_by_role("button", name="Voter"))
        form.get_by_text("Pour", exact=True).click()
        form.get_by_role("button", name="Voter").click()
        page.get_by_text("Votre vote a été enregistré").wait_for()
        no_invalid_variable(page)
    assert Participation.objects.filter(ballot=interpellation.ballot_id).count() == 3

    # 4. The secretary closes the vote: adopted. Then sends it.
    secretariat.goto(detail_url)
    secretariat.get_by_role("button", name="Clore le vote et enregistrer le résultat").click()
    see_message(secretariat, "L'interpellation est adoptée.")
    secretariat.get_by_text("3 pour, 0 contre, 0 abstention").wait_for()
    secretariat.get_by_role("button", name="Envoyer à l'institution").click()
    see_message(secretariat, f"L'interpellation est envoyée à {CONTACT}")
    no_invalid_variable(secretariat)

    # 5. The institution opens the link of the e-mail, without an account, and answers.
    message = next(m for m in mail.outbox if m.to == [CONTACT])
    path = re.search(r"https?://[^/\s]+(/interpellations/reponse/\w+/)", message.body).group(1)
    institution = new_context().new_page()
    institution.goto(live_server.url + path)
    institution.get_by_role("heading", name=f"Répondre à l'interpellation « {TITLE} »").wait_for()
    institution.get_by_role("button", name="Envoyer la réponse").click()
    institution.get_by_text("Le formulaire contient 2 erreurs").wait_for()
    institution.locator("#id_signatory").fill("Marie Durand, directrice de l'enfance")
    institution.locator("#id_text").fill(ANSWER)
    institution.get_by_role("button", name="Envoyer la réponse").click()
    institution.get_by_text("Merci, votre réponse est enregistrée").wait_for()
    interpellation.refresh_from_db()
    assert interpellation.state == State.ANSWERED
    # The link served once.
    institution.goto(live_server.url + path)
    institution.get_by_text("Cette interpellation a déjà reçu sa réponse").wait_for()

    # 6. Anyone reads it: « Répondue », with the answer.
    public = new_context().new_page()
    public.goto(live_server.url + "/interpellations/")
    row = public.get_by_role("row").filter(has_text=TITLE)
    row.get_by_text("Répondue", exact=True).wait_for()
    row.get_by_role("link", name=TITLE).click()
    public.wait_for_url(detail_url)
    public.get_by_text(ANSWER).wait_for()
    public.get_by_text("— Marie Durand, directrice de l'enfance").wait_for()
    no_invalid_variable(public)

    # 7. The list and the interpellation page pass axe-core.
    axe = new_context(bypass_csp=True).new_page()
    for url in (live_server.url + "/interpellations/", detail_url,
                live_server.url + "/interpellations/institutions/"):  # fmt: skip
        axe.goto(url)
        assert_no_blocking_violation(axe)
