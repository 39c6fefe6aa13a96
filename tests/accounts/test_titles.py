"""A person's titles in the form they chose (« Animatrice de l'instance », « Porteuse de pratique »)
on their own pages and on the instance's public page; the official form without a choice."""

import html

import pytest

from enfance.accounts.models import Role
from enfance.assemblies.enums import MemberRole
from tests.assemblies.factories import InstanceFactory, seat_directly
from tests.factories import CommuneFactory, DepartementFactory

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_a_person_chooses_the_feminine_and_reads_it_everywhere_they_are_named(client):
    CommuneFactory()
    instance = InstanceFactory(name="Instance locale de Vénissieux")
    host = seat_directly(instance, "parents", role=MemberRole.ANIMATEUR).user
    Role.objects.create(
        user=host,
        kind="porteur_pratique",
        scope_level="departement",
        departement=DepartementFactory(code="42", name="Loire"),
    )
    client.force_login(host)

    before = _text(client.get("/mon-compte/"))
    assert "Animateur de l'instance — Instance locale de Vénissieux (Rhône)" in before
    assert "Porteur de pratique — Département Loire (42)" in before
    assert "Sans préférence : la forme officielle du titre" in before

    response = client.post(
        "/mon-compte/",
        {
            "first_name": host.first_name,
            "last_name": host.last_name,
            "commune": "Lyon (69003)",
            "title_form": "feminin",
        },
        follow=True,
    )
    after = _text(response)
    assert "Votre profil a été mis à jour." in after
    assert "Animatrice de l'instance — Instance locale de Vénissieux (Rhône)" in after
    assert "Porteuse de pratique — Département Loire (42)" in after
    assert f"{host.first_name} {host.last_name[0]}. (animatrice)" in _text(
        client.get(instance.get_absolute_url())
    )
    export = client.get("/mon-compte/mes-donnees.json").json()
    assert export["compte"]["forme_des_titres"].startswith("Au féminin")


def test_an_epicene_title_reads_the_same_in_both_forms(client):
    secretary = seat_directly(
        InstanceFactory(name="Instance locale de Bron"), "parents", role=MemberRole.SECRETAIRE
    ).user
    secretary.title_form = "feminin"
    secretary.save()
    client.force_login(secretary)
    assert "Secrétaire de l'instance — Instance locale de Bron (Rhône)" in _text(
        client.get("/mon-compte/")
    )
