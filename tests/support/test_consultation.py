"""« Consultation élargie »: the people a parent asks the services to consult, encrypted, seen by
the professional who handles their request, printed in a dated letter; the public share of
those consulted, under statistical secrecy."""

import html
from datetime import date, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from enfance.support import consultation, services
from enfance.support.models import Interlocutor
from tests.factories import DepartementFactory, UserFactory

from .factories import professional, written

pytestmark = pytest.mark.django_db


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_a_parent_lists_people_to_consult_and_prints_a_dated_letter(client):
    parent = UserFactory()
    client.force_login(parent)
    url = reverse("support:consultation")
    refused = client.post(url, {"role": "", "name": " "})
    assert "Dites qui est cette personne" in html.unescape(refused.content.decode())
    client.post(url, {"role": "grand_parent", "name": "Jeanne Martin", "reach": "06 12 34 56 78"})
    person = Interlocutor.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, reach FROM support_interlocutor WHERE id = %s", [person.pk])
        # Tokens only: a short run like « 56 » may well occur in random base64, a name cannot.
        stored = cursor.fetchone()
    assert all(v.startswith("gAAAAA") for v in stored)
    assert not any("Jeanne Martin" in v or "06 12 34 56 78" in v for v in stored)
    outcome = reverse("support:consultation_outcome", args=[person.pk])
    tomorrow = timezone.localdate() + timedelta(days=1)
    client.post(outcome, {f"p{person.pk}-outcome": "oui", f"p{person.pk}-consulted_on": tomorrow})
    person.refresh_from_db()
    assert person.consulted is None  # a date in the future is refused
    client.post(
        outcome, {f"p{person.pk}-outcome": "oui", f"p{person.pk}-consulted_on": date(2026, 3, 2)}
    )
    person.refresh_from_db()
    assert person.consulted and person.consulted_on == date(2026, 3, 2)
    assert "Consultée le 2 mars 2026" in _page(client, url)
    letter = client.get(reverse("support:consultation_letter"))
    assert letter["Content-Type"] == "application/pdf" and letter.content.startswith(b"%PDF")
    client.force_login(UserFactory())  # another parent
    assert client.post(outcome, {f"p{person.pk}-outcome": "non"}).status_code == 404
    remove = reverse("support:consultation_remove", args=[person.pk])
    assert client.post(remove).status_code == 404
    client.force_login(parent)
    client.post(remove)
    assert not Interlocutor.objects.exists()


def test_the_list_shows_on_the_handlers_page_and_the_share_is_public(client):
    rhone = DepartementFactory()
    parent = UserFactory()
    request = services.take(written(parent, rhone), by=professional(rhone))
    consultation.add(parent=parent, role="medecin", name="Dr Lemoine")
    client.force_login(request.handler)
    assert "Dr Lemoine (un médecin ou un soignant)" in _page(client, request.get_absolute_url())
    client.force_login(parent)  # the parent's own page does not list it there
    assert "Les personnes que le parent demande" not in _page(client, request.get_absolute_url())
    for consulted in (True, True, True, True, False):
        person = consultation.add(parent=UserFactory(), role="grand_parent", name="Mamie")
        consultation.record_outcome(person, by=person.parent, consulted=consulted)
    client.logout()
    page = _page(client, reverse("support:figures"))
    assert "80 %" in page and "5 personnes" in page
    assert "Dr Lemoine" not in page
