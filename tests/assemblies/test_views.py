import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from enfance.assemblies import services
from enfance.assemblies.enums import SelectionMethod
from enfance.assemblies.models import Instance, Minutes
from tests.assemblies.factories import (
    MINIMUM,
    InstanceFactory,
    child,
    college,
    fill,
    seat_directly,
    secretary_of,
)
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory, UserFactory


def _without_nonce(html: str) -> str:
    """A page as every visitor gets it: the nonce of its scripts is each request's own."""
    return re.sub(r'nonce="[^"]*"', "", html)


pytestmark = pytest.mark.django_db


def _ok(response):
    assert response.status_code == 200
    assert b"INVALID_TEMPLATE_VARIABLE" not in response.content
    return response.content.decode()


def _meeting(instance, secretary, **extra):
    return services.schedule_meeting(
        instance,
        by=secretary,
        title="Réunion plénière",
        starts_at=timezone.now() + timedelta(days=7),
        place="Maison des associations",
        agenda=["Accueil", "Diagnostic local"],
        **extra,
    )


def test_the_list_filters_paginates_and_caps_its_queries(client, django_assert_max_num_queries):
    gironde = DepartementFactory(
        code="33", name="Gironde", region=RegionFactory(code="75", name="Nouvelle-Aquitaine")
    )
    for n in range(45):
        instance = InstanceFactory(departement=gironde if n % 3 == 0 else DepartementFactory())
        if n < 3:
            fill(instance, {"parents": 2})
    with django_assert_max_num_queries(15):
        page = _ok(client.get(reverse("assemblies:list")))
    assert "45 instances" in page and "Page suivante" in page
    assert "Prototype (2025-2026)" in page
    assert re.search(r"Objectif : 1.000 à 1.200 instances", page)
    filtered = _ok(client.get(reverse("assemblies:list"), {"departement": "33"}))
    assert "15 instances pour ces critères" in filtered
    by_region = _ok(client.get(reverse("assemblies:list"), {"region": "75"}))
    assert "15 instances pour ces critères" in by_region
    empty = _ok(client.get(reverse("assemblies:list"), {"status": "dissoute"}))
    assert "Aucune instance ne correspond à ces critères" in empty


def test_the_empty_list_says_so(client):
    assert "Aucune instance locale n'existe encore" in _ok(client.get(reverse("assemblies:list")))


def test_the_map_has_a_tile_and_a_row_per_departement(client):
    DepartementFactory()
    InstanceFactory()
    InstanceFactory()
    page = _ok(client.get(reverse("assemblies:map")))
    assert 'aria-label="69 – Rhône : 2 instances"' in page
    assert '<a href="/instances/?departement=69">Rhône (69)</a>' in page


def test_the_instance_page_shows_children_by_first_name_only(client, django_assert_max_num_queries):
    instance = InstanceFactory()
    fill(instance)
    kid = child(
        timezone.localdate().replace(year=timezone.localdate().year - 14), first_name="Inès"
    )
    seat_directly(instance, "enfants", user=kid)
    secretary = secretary_of(instance)
    meeting = _meeting(instance, secretary)
    services.record_decision(meeting, by=secretary, text="Adopter le règlement intérieur.")
    minutes = services.save_minutes(meeting, by=secretary, text="Compte rendu détaillé.")
    services.publish_minutes(minutes, by=secretary)
    services.add_priority(instance, by=secretary, title="Accueil en urgence")
    with django_assert_max_num_queries(15):
        page = _ok(client.get(instance.get_absolute_url()))
    assert "Inès" in page
    assert "Nom-Jamais-Affiché" not in page
    assert str(kid.child_profile.birth_date.year) not in page
    assert "Composition complète" in page
    assert "Adopter le règlement intérieur." in page
    assert "Réunion plénière" in page and "Accueil en urgence" in page


def test_a_parent_appears_by_first_name_and_initial_unless_they_choose_their_full_name(
    client, django_capture_on_commit_callbacks
):
    # Sitting in the « parents » college can tell that a family is followed by child protection.
    instance = InstanceFactory()
    fill(instance, {**MINIMUM, "parents": 3})
    lyon = CommuneFactory()
    parent = UserFactory(first_name="Marie", last_name="Dubreuil", commune=lyon)
    seat_directly(instance, "parents", user=parent)
    url = instance.get_absolute_url()
    page = _ok(client.get(url))
    assert "Marie D." in page and "Dubreuil" not in page

    # The secretary still sees the full name where the instance is managed.
    client.force_login(secretary_of(instance))
    assert "Marie Dubreuil" in _ok(client.get(reverse("assemblies:manage", args=[instance.slug])))

    # Marie chooses her full name in « Mon compte »; the cached public page follows.
    client.force_login(parent)
    assert "nom complet sur les pages publiques des instances" in _ok(client.get("/mon-compte/"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/mon-compte/",
            {
                "first_name": "Marie",
                "last_name": "Dubreuil",
                "commune": "Lyon (69003)",
                "full_name_in_instances": "on",
            },
        )
    assert response.status_code == 302
    client.logout()
    assert "Marie Dubreuil" in _ok(client.get(url))


def test_missing_seats_are_spelled_out(client):
    instance = InstanceFactory()
    fill(instance, {"parents": 4, "grands_parents": 1})
    page = _ok(client.get(instance.get_absolute_url()))
    assert "Il manque 1 membre au collège des grands-parents" in page


def test_draft_minutes_stay_private(client):
    instance = InstanceFactory()
    secretary = secretary_of(instance)
    meeting = _meeting(instance, secretary)
    services.save_minutes(meeting, by=secretary, text="Brouillon confidentiel.")
    assert "Brouillon confidentiel." not in _ok(client.get(meeting.get_absolute_url()))
    client.force_login(secretary)
    assert "Brouillon confidentiel." in _ok(client.get(meeting.get_absolute_url()))


def test_a_member_of_another_instance_cannot_edit_the_minutes(client):
    instance = InstanceFactory()
    secretary = secretary_of(instance)
    meeting = _meeting(instance, secretary)
    services.save_minutes(meeting, by=secretary, text="Texte d'origine.")
    intruder = secretary_of(InstanceFactory())
    client.force_login(intruder)
    url = reverse("assemblies:manage_meeting", args=[instance.slug, meeting.pk])
    response = client.post(url, {"action": "publier", "minutes-text": "Texte réécrit."})
    assert response.status_code == 403
    assert client.get(url).status_code == 403
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.text == "Texte d'origine." and minutes.status == "brouillon"
    # A plain member of this instance is refused too.
    client.force_login(seat_directly(instance, "parents").user)
    assert client.post(url, {"action": "publier", "minutes-text": "X"}).status_code == 403


def test_the_secretary_writes_and_publishes_the_minutes(client):
    instance = InstanceFactory()
    secretary = secretary_of(instance)
    meeting = _meeting(instance, secretary)
    client.force_login(secretary)
    url = reverse("assemblies:manage_meeting", args=[instance.slug, meeting.pk])
    _ok(client.get(url))
    empty = client.post(url, {"action": "publier", "minutes-text": ""})
    assert "Ce champ est obligatoire" in _ok(empty)
    response = client.post(url, {"action": "publier", "minutes-text": "Tout est en ordre."})
    assert response.status_code == 302
    assert Minutes.objects.get(meeting=meeting).status == "publie"
    assert "Réunion plénière" in _ok(client.get(instance.get_absolute_url()))
    assert "Tout est en ordre." in _ok(client.get(meeting.get_absolute_url()))


def test_management_pages_are_refused_to_others(client):
    instance = InstanceFactory()
    client.force_login(UserFactory())
    for name in ["manage", "applications", "run_draw", "meetings", "priorities"]:
        assert client.get(reverse(f"assemblies:{name}", args=[instance.slug])).status_code == 403
    assert client.get(reverse("assemblies:create")).status_code == 403


def test_management_pages_render_for_the_secretary(client):
    instance = InstanceFactory()
    fill(instance)
    client.force_login(secretary_of(instance))
    for name in ["manage", "applications", "run_draw", "meetings", "priorities"]:
        _ok(client.get(reverse(f"assemblies:{name}", args=[instance.slug])))


def test_a_seventh_parent_is_refused_in_the_form_and_what_was_typed_is_kept(client):
    instance = InstanceFactory()
    fill(instance, {"parents": 6})
    client.force_login(secretary_of(instance))
    person = UserFactory(email="septieme@exemple.fr")
    response = client.post(
        reverse("assemblies:manage", args=[instance.slug]),
        {
            "email": person.email,
            "college": instance.memberships.first().seat.college_id,
            "selection_method": "coopte",
            "role": "membre",
            "mandate_start": timezone.localdate().isoformat(),
        },
    )
    page = _ok(response)
    assert "Le collège des parents compte déjà 6 membres" in page
    assert 'value="septieme@exemple.fr"' in page
    assert instance.memberships.filter(user=person).count() == 0


def test_the_administrator_creates_an_instance(client, admin_national):
    lyon = CommuneFactory()
    client.force_login(admin_national)
    page = _ok(client.get(reverse("assemblies:create")))
    assert "Créer l'instance" in page
    response = client.post(
        reverse("assemblies:create"),
        {"name": "Instance de Lyon", "departement": "69", "commune_codes": "69123 99999"},
    )
    assert "99999" in _ok(response)
    response = client.post(
        reverse("assemblies:create"),
        {"name": "Instance de Lyon", "departement": "69", "commune_codes": "69123"},
    )
    instance = Instance.objects.get(name="Instance de Lyon")
    assert list(instance.communes.all()) == [lyon]
    assert instance.status == "en_creation"


def test_the_list_counts_the_current_members_of_each_instance(client):
    full = InstanceFactory(name="Instance A")
    fill(full)
    InstanceFactory(name="Instance B")
    page = client.get("/instances/").content.decode()
    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr")[1:]
    assert '<td class="fr-cell--right">16</td>' in rows[0]
    assert '<td class="fr-cell--right">0</td>' in rows[1]


def test_the_cached_filters_show_what_each_visitor_asked_for(client):
    InstanceFactory()
    suspended = client.get("/instances/?status=suspendue").content.decode()
    constituted = client.get("/instances/?status=constituee").content.decode()
    assert '<option value="suspendue" selected>' in suspended
    assert '<option value="suspendue" selected>' not in constituted


def test_the_cached_public_page_follows_every_change(client, django_capture_on_commit_callbacks):
    instance = InstanceFactory()
    fill(instance, {**MINIMUM, "parents": 3})
    url = reverse("assemblies:detail", args=[instance.slug])
    assert "Il manque 1 membre au collège des parents" in client.get(url).content.decode()
    secretary = secretary_of(instance)
    with django_capture_on_commit_callbacks(execute=True):
        services.add_member(
            instance,
            by=secretary,
            user=UserFactory(first_name="Nouvelle"),
            college=college("parents"),
            mandate_start=timezone.localdate(),
            selection_method=SelectionMethod.COOPTE,
        )
    page = client.get(url).content.decode()
    assert "Il manque 1 membre au collège des parents" not in page
    with django_capture_on_commit_callbacks(execute=True):
        services.add_priority(instance, by=secretary, title="Accueil d'urgence")
    assert "Accueil d&#x27;urgence" in client.get(url).content.decode()


def test_the_cached_list_follows_memberships(client, django_capture_on_commit_callbacks):
    instance = InstanceFactory()
    fill(instance)
    assert '<td class="fr-cell--right">16</td>' in client.get("/instances/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.add_member(
            instance,
            by=secretary_of(instance),
            user=UserFactory(),
            college=college("parents"),
            mandate_start=timezone.localdate(),
            selection_method=SelectionMethod.COOPTE,
        )
    assert '<td class="fr-cell--right">18</td>' in client.get("/instances/").content.decode()


def test_the_cached_list_follows_a_new_instance(
    client, admin_national, django_capture_on_commit_callbacks
):
    assert "Aucune instance locale n'existe encore" in _ok(client.get("/instances/"))
    with django_capture_on_commit_callbacks(execute=True):
        services.create_instance(
            DepartementFactory(), by=admin_national, name="Instance du Pays de Gex"
        )
    assert "Instance du Pays de Gex" in _ok(client.get("/instances/"))


def test_the_cached_public_page_follows_the_end_of_a_mandate(
    client, django_capture_on_commit_callbacks
):
    instance = InstanceFactory()
    fill(instance)
    url = reverse("assemblies:detail", args=[instance.slug])
    assert "Composition complète" in _ok(client.get(url))
    leaving = instance.memberships.filter(seat__college__code="parents").first()
    with django_capture_on_commit_callbacks(execute=True):
        services.end_membership(
            leaving, by=secretary_of(instance), ended_on=timezone.localdate(), reason="demission"
        )
    assert "Il manque 1 membre au collège des parents" in _ok(client.get(url))


def test_a_visitor_gets_the_pages_from_the_cache_once_warm(client, django_assert_max_num_queries):
    instance = InstanceFactory()
    fill(instance)
    for url in ("/instances/", instance.get_absolute_url()):
        first = _without_nonce(_ok(client.get(url)))
        with django_assert_max_num_queries(0):
            assert _without_nonce(_ok(client.get(url))) == first


def test_an_address_given_again_after_a_deletion_shows_the_new_instance(
    client, django_capture_on_commit_callbacks
):
    first = InstanceFactory(name="Instance du Haut-Rhin")
    url = first.get_absolute_url()
    assert "Instance du Haut-Rhin" in _ok(client.get(url))
    slug = first.slug
    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
    second = InstanceFactory(name="Instance de Colmar")
    Instance.objects.filter(pk=second.pk).update(slug=slug)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == url
    assert "Instance de Colmar" in _ok(client.get(url))
