"""Level 2 (ONPE fiches), the evidence ladder, the scale page and the yearly highlights."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from enfance.accounts.models import Role
from enfance.core.models import LogEntry
from enfance.practices import library, services
from enfance.practices.enums import PracticeLevel, PracticeState, ReferenceList
from enfance.practices.forms import PracticeForm
from enfance.practices.library import LibraryQuery
from enfance.practices.models import ConflictOfInterest, Practice, PracticeMark, ReferenceOption
from tests.factories import (
    DepartementFactory,
    RegionFactory,
    UserFactory,
    sign_in_with_totp,
    with_totp,
)

from .factories import PracticeFactory, committee_member, option, redacteur_onpe

pytestmark = pytest.mark.django_db


def onpe_data(**overrides):
    data = {
        "implemented_on": "01/09/2019",
        "entity_name": "Département de la Gironde",
        "title": "Parrainage de proximité pour les enfants confiés",
        "description": "Des bénévoles formés accompagnent un enfant confié à l'ASE.",
        "scale": "departementale",
        "intervention_type": option(ReferenceList.INTERVENTION_TYPE, "Accueil de jour").pk,
        "theme": option(ReferenceList.THEME, "Éducation").pk,
        "audience": option(ReferenceList.AUDIENCE, "4 à 12 ans").pk,
        "relay": option(ReferenceList.RELAY, "Association").pk,
        "departement": DepartementFactory().pk,
        "objectives": "Offrir à chaque enfant un adulte de confiance durable.",
        "means": "Une coordinatrice à mi-temps, 40 bénévoles formés.",
        "expected_results": "Moins de ruptures de parcours.",
        "co_authors": "Association France Parrainages",
        "outcome_stability": "on",
        "cost": "moyen",
        "transferability": "forte",
        "action": "draft",
    }
    data.update(overrides)
    return data


def test_redacteur_writes_saves_then_publishes_an_onpe_fiche(client):
    writer = redacteur_onpe()
    client.force_login(writer)
    assert client.get(reverse("practices:onpe_new")).status_code == 200
    response = client.post(reverse("practices:onpe_new"), onpe_data(objectives=""))
    practice = Practice.objects.get()
    assert response.url == reverse("practices:edit", args=[practice.pk])
    assert practice.level == PracticeLevel.ONPE
    assert practice.state == PracticeState.DRAFT
    assert practice.evidence_stage == "onpe"
    # Publishing requires the structured sections.
    response = client.post(
        reverse("practices:edit", args=[practice.pk]), onpe_data(objectives="", action="submit")
    )
    assert response.status_code == 200
    client.post(reverse("practices:edit", args=[practice.pk]), onpe_data(action="submit"))
    practice.refresh_from_db()
    assert practice.state == PracticeState.PUBLISHED
    assert practice.outcome_domains == ["stabilité du parcours"]
    assert practice.review_due_on == services.review_due_date(timezone.localdate())
    html = client.get(reverse("practices:onpe_fiches")).content.decode()
    assert "Parrainage de proximité" in html and "INVALID_TEMPLATE_VARIABLE" not in html


def test_only_redacteurs_write_onpe_fiches(client):
    client.force_login(UserFactory())
    assert client.get(reverse("practices:onpe_new")).status_code == 403
    client.force_login(committee_member())
    assert client.get(reverse("practices:onpe_fiches")).status_code == 403
    with pytest.raises(PermissionDenied):
        services.create_onpe_fiche(by=UserFactory(), fields={})


def test_onpe_list_caps_queries(client, django_assert_max_num_queries):
    writer = redacteur_onpe()
    PracticeFactory.create_batch(25, level=PracticeLevel.ONPE, declarant=writer)
    client.force_login(writer)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("practices:onpe_fiches")).status_code == 200


def test_evidence_is_set_by_the_committee_with_a_review_due_two_years_later():
    member = committee_member()
    practice = PracticeFactory()
    services.set_evidence(
        practice,
        by=member,
        stage="evaluated",
        level=3,
        reviewed_on=datetime.date(2024, 2, 29),
    )
    practice.refresh_from_db()
    assert practice.evidence_level == 3
    assert practice.review_due_on == datetime.date(2026, 2, 28)
    with pytest.raises(ValidationError):
        services.set_evidence(
            practice,
            by=member,
            stage="evaluated",
            level=3,
            reviewed_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    with pytest.raises(PermissionDenied):
        services.set_evidence(
            practice,
            by=practice.declarant,
            stage="evaluated",
            level=1,
            reviewed_on=datetime.date(2024, 1, 1),
        )
    with transaction.atomic(), pytest.raises(IntegrityError):
        Practice.objects.filter(pk=practice.pk).update(evidence_level=6)


def test_evidence_scale_page_is_public(client):
    response = client.get(reverse("practices:evidence_scale"))
    html = response.content.decode()
    assert response.status_code == 200
    for words in ("CEBC", "EPIC", "Prometteuse", "Émergente", "deux ans"):
        assert words in html
    assert "INVALID_TEMPLATE_VARIABLE" not in html


def test_one_mark_per_member_per_fiche_per_criterion():
    member = committee_member()
    practice = PracticeFactory()
    services.mark_practice(practice, by=member, criterion="originalite")
    with pytest.raises(ValidationError, match="déjà distingué"):
        services.mark_practice(practice, by=member, criterion="originalite")
    services.mark_practice(practice, by=member, criterion="efficacite")
    with transaction.atomic(), pytest.raises(IntegrityError):
        PracticeMark.objects.create(
            practice=practice, member=member, criterion="originalite", year=2020
        )
    with pytest.raises(PermissionDenied):
        services.mark_practice(practice, by=UserFactory(), criterion="pertinence")
    with pytest.raises(PermissionDenied):
        services.mark_practice(practice, by=practice.declarant, criterion="pertinence")
    with pytest.raises(ValidationError):
        services.mark_practice(
            PracticeFactory(state=PracticeState.UNDER_REVIEW),
            by=member,
            criterion="pertinence",
        )


def test_highlights_page_per_year_caps_queries(client, django_assert_max_num_queries):
    members = [committee_member() for _ in range(3)]
    year = timezone.localdate().year
    for n, practice in enumerate(PracticeFactory.create_batch(12)):
        for member in members[: 1 + n % 3]:
            services.mark_practice(practice, by=member, criterion="pertinence")
    old = PracticeFactory(title="Une pratique de l'an passé")
    PracticeMark.objects.create(
        practice=old, member=members[0], criterion="efficacite", year=year - 1
    )
    with django_assert_max_num_queries(15):
        response = client.get(reverse("practices:highlights"))
    html = response.content.decode()
    assert "INVALID_TEMPLATE_VARIABLE" not in html
    assert "Pertinence · 3 voix" in html
    assert "Une pratique de l&#x27;an passé" not in html
    html = client.get(reverse("practices:highlights_year", args=[year - 1])).content.decode()
    assert "Une pratique de l&#x27;an passé" in html


def test_unpublished_fiches_stay_out_of_the_highlights(client):
    member = committee_member()
    practice = PracticeFactory(level=PracticeLevel.ONPE)
    services.mark_practice(practice, by=member, criterion="pertinence")
    services.unpublish_onpe_fiche(practice, by=redacteur_onpe())
    assert practice.title not in client.get(reverse("practices:highlights")).content.decode()


def test_administrators_edit_the_lists_without_breaking_fiches(
    client, admin_national, django_capture_on_commit_callbacks
):
    practice = PracticeFactory()
    theme = practice.theme
    client.force_login(UserFactory())
    assert client.get(reverse("practices:options")).status_code == 403
    client.force_login(admin_national)
    html = client.get(reverse("practices:options")).content.decode()
    assert "INVALID_TEMPLATE_VARIABLE" not in html and "Parents détenus" in html
    url = reverse("practices:option_edit", args=[theme.list, theme.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"label": "Éducation et scolarité", "position": 1, "is_active": ""}
        )
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.theme.label == "Éducation et scolarité"
    # A withdrawn option is no longer offered, but stays on the fiche that uses it.
    draft = PracticeFactory(state=PracticeState.DRAFT, declarant=UserFactory(), theme=theme)

    assert theme not in PracticeForm().fields["theme"].queryset
    assert theme in PracticeForm(instance=draft).fields["theme"].queryset
    # Two options of one list never share a label.
    response = client.post(
        reverse("practices:option_add", args=[theme.list]),
        {"label": "Éducation et scolarité", "position": 20},
    )
    assert "déjà une option de ce libellé" in response.content.decode()


def test_about_page_links_to_the_working_spaces(client):
    member = committee_member()
    client.force_login(member)
    html = client.get(reverse("practices:about")).content.decode()
    assert reverse("practices:queue") in html
    assert reverse("practices:onpe_fiches") not in html


def test_committee_posts_over_http_are_refused_to_other_people(client):
    # The views' wrong side: a signed-in person who is neither on the committee nor ONPE nor
    # administrator posts each form of a published fiche's page and of the option lists.
    practice = PracticeFactory()
    theme = practice.theme
    client.force_login(UserFactory())
    posts = [
        (reverse("practices:mark", args=[practice.pk]), {"criterion": "pertinence"}),
        (
            reverse("practices:evidence", args=[practice.pk]),
            {"stage": "evaluated", "level": 3, "reviewed_on": "01/01/2024"},
        ),
        (reverse("practices:conflict", args=[practice.pk]), {"note": "Moi"}),
        (
            reverse("practices:option_edit", args=[theme.list, theme.pk]),
            {"label": "Renommée", "position": 1},
        ),
        (reverse("practices:option_add", args=[theme.list]), {"label": "Nouvelle"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    practice.refresh_from_db()
    theme.refresh_from_db()
    assert not PracticeMark.objects.exists()
    assert not practice.conflicts.exists()
    assert practice.evidence_level is None
    assert theme.label != "Renommée"
    assert not theme.__class__.objects.filter(label="Nouvelle").exists()


def test_over_long_notes_and_comments_are_refused_whole_not_cut():
    member = committee_member()
    practice = PracticeFactory()
    with pytest.raises(ValidationError, match="dépasse 300 caractères : votre texte en compte 301"):
        services.declare_conflict(practice, by=member, note="n" * 301)
    with pytest.raises(ValidationError, match="dépasse 300 caractères : votre texte en compte 301"):
        services.mark_practice(practice, by=member, criterion="pertinence", comment="c" * 301)
    assert not practice.conflicts.exists()
    assert not PracticeMark.objects.exists()
    # At the limit, the text is kept whole.
    conflict = services.declare_conflict(practice, by=member, note="n" * 300)
    mark = services.mark_practice(
        practice, by=committee_member(), criterion="pertinence", comment="c" * 300
    )
    assert (conflict.note, mark.comment) == ("n" * 300, "c" * 300)

    # PostgreSQL's varchar refuses the text (DataError); SQLite's check constraint does.
    with transaction.atomic(), pytest.raises((IntegrityError, DataError)):
        ConflictOfInterest.objects.create(practice=practice, member=UserFactory(), note="n" * 301)
    with transaction.atomic(), pytest.raises((IntegrityError, DataError)):
        PracticeMark.objects.create(
            practice=practice, member=member, criterion="efficacite", year=2024, comment="c" * 301
        )


@pytest.mark.parametrize(
    ("view", "field", "data"),
    [
        ("practices:conflict", "note", {}),
        ("practices:mark", "comment", {"criterion": "originalite"}),
    ],
)
def test_an_over_long_note_over_http_is_refused_and_kept(client, view, field, data):
    member = committee_member()
    practice = PracticeFactory()
    client.force_login(member)
    typed = "Je connais bien l'équipe qui porte cette pratique. " * 7  # 357 characters
    response = client.post(reverse(view, args=[practice.pk]), {**data, field: typed})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ce texte dépasse 300 caractères : votre texte en compte 356." in html
    assert f'value="{escape(typed)}"' in html
    assert not practice.conflicts.exists()
    assert not PracticeMark.objects.exists()


def test_renaming_an_option_in_the_django_admin_reindexes_its_fiches(
    client, admin_national, django_capture_on_commit_callbacks
):
    theme = option(ReferenceList.THEME, "Loisirs")
    practice = PracticeFactory(theme=theme)
    library.index_practice(practice)
    admin_national.is_staff = admin_national.is_superuser = True
    admin_national.save(update_fields=["is_staff", "is_superuser"])
    # The Django admin asks for the second factor (accounts/admin_site.py).
    sign_in_with_totp(client, admin_national)
    url = reverse("admin:practices_referenceoption_change", args=[theme.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "list": theme.list,
                "label": "Sport et culture",
                "position": theme.position,
                "is_active": "on",
                "_save": "Enregistrer",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ReferenceOption.objects.get(pk=theme.pk).label == "Sport et culture"
    # Found by its new label, as after a change on the page « Listes du formulaire ».
    assert [p.pk for p in library.fiches_slice(LibraryQuery(text="culture"), 0, 10)] == [
        practice.pk
    ]
    change = LogEntry.objects.get(action="practices.option.update")
    assert change.actor == admin_national
    assert change.data["before"] == {"label": "Loisirs"}


def test_in_the_django_admin_only_national_administrators_change_the_lists(client):
    theme = option(ReferenceList.THEME, "Loisirs")
    superuser = with_totp(UserFactory(is_staff=True, is_superuser=True))
    sign_in_with_totp(client, superuser)
    url = reverse("admin:practices_referenceoption_change", args=[theme.pk])
    response = client.post(
        url, {"list": theme.list, "label": "Renommée", "position": 0, "is_active": "on"}
    )
    assert response.status_code == 403
    assert ReferenceOption.objects.get(pk=theme.pk).label == "Loisirs"
    add = reverse("admin:practices_referenceoption_add")
    assert client.post(add, {"list": theme.list, "label": "Nouvelle"}).status_code == 403


def _administrator(**scope):
    person = with_totp(UserFactory(is_staff=True, is_superuser=True))
    Role.objects.create(user=person, kind="administrateur_national", **scope)
    return person


def test_a_regional_delegate_of_the_administrators_does_not_edit_the_national_lists(client):
    # The option lists are national: an administrator delegated to a région grants roles there,
    # and is refused the lists' pages, their service and their admin, as anyone else.
    theme = option(ReferenceList.THEME, "Loisirs")
    delegate = _administrator(scope_level="region", region=RegionFactory())
    sign_in_with_totp(client, delegate)
    assert (
        reverse("practices:options") not in client.get(reverse("practices:about")).content.decode()
    )
    edit = reverse("practices:option_edit", args=[theme.list, theme.pk])
    add = reverse("practices:option_add", args=[theme.list])
    for url in (reverse("practices:options"), edit, add):
        assert client.get(url).status_code == 403, url
    assert client.post(edit, {"label": "Renommée", "position": 1}).status_code == 403
    assert client.post(add, {"label": "Nouvelle", "position": 1}).status_code == 403
    admin_change = reverse("admin:practices_referenceoption_change", args=[theme.pk])
    response = client.post(
        admin_change, {"list": theme.list, "label": "Renommée", "position": 0, "is_active": "on"}
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.save_option(theme, by=delegate, fields={"label": "Renommée"})
    theme.refresh_from_db()
    assert theme.label == "Loisirs"
    assert not ReferenceOption.objects.filter(label="Nouvelle").exists()
    assert not LogEntry.objects.filter(action__startswith="practices.option.").exists()


def test_a_national_administrator_edits_the_national_lists(client):
    theme = option(ReferenceList.THEME, "Loisirs")
    administrator = _administrator(scope_level="national")
    client.force_login(administrator)
    assert reverse("practices:options") in client.get(reverse("practices:about")).content.decode()
    assert client.get(reverse("practices:options")).status_code == 200
    response = client.post(
        reverse("practices:option_edit", args=[theme.list, theme.pk]),
        {"label": "Sport et culture", "position": 1, "is_active": "on"},
    )
    assert response.status_code == 302
    services.save_option(
        ReferenceOption(list=ReferenceList.THEME), by=administrator, fields={"label": "Nouvelle"}
    )
    theme.refresh_from_db()
    assert theme.label == "Sport et culture"
    assert ReferenceOption.objects.filter(label="Nouvelle").exists()
