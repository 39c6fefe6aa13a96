"""The public page, the live counter and its freshness, and the national administration."""

import csv
import io
import re

import pytest
from django.core.cache import cache, caches
from django.test import Client
from django.urls import reverse

from enfance.core.models import LogEntry
from enfance.core.pagecache import layout_token
from enfance.petitions import services, views
from enfance.petitions.models import DepartementCount, Signature
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory

from .factories import PetitionFactory, SignatureFactory

pytestmark = pytest.mark.django_db

INVALID = "INVALID_TEMPLATE_VARIABLE"


@pytest.fixture
def petition():
    return PetitionFactory(title="Pour l'adoption du ministère")


def _many_departements(n=40):
    region = RegionFactory()
    return [
        DepartementFactory(code=f"{n:02d}", name=f"Département {n}", region=region)
        for n in range(1, n + 1)
    ]


def test_the_page_without_a_petition_is_a_friendly_empty_state(client):
    response = client.get(reverse("petitions:detail"))
    assert response.status_code == 200
    assert "pas encore ouverte" in response.content.decode()


def test_the_public_page_shows_counts_never_names(client, petition, django_assert_max_num_queries):
    departements = _many_departements()
    for i, departement in enumerate(departements):
        commune = CommuneFactory(
            code=f"{departement.code}001", name=f"Ville {i}", departement=departement
        )
        for signature in SignatureFactory.create_batch(
            3, petition=petition, commune=commune, last_name="Nom-Jamais-Publié"
        ):
            services.confirm(Signature.objects.select_related("petition").get(pk=signature.pk))
    SignatureFactory(petition=petition, last_name="Pas-Confirmé")
    with django_assert_max_num_queries(15):
        response = client.get(reverse("petitions:detail"))
    html = response.content.decode()
    assert response.status_code == 200 and INVALID not in html
    assert "120 signatures" in html
    assert "Nom-Jamais-Publié" not in html and "Pas-Confirmé" not in html
    assert "@exemple.fr" not in html
    assert "<caption>Signatures par département</caption>" in html
    assert "Département 7 (07)" in html
    assert 'hx-get="/petition/compteur/"' in html and 'hx-trigger="every 5s"' in html


def test_the_departements_that_reach_the_threshold_are_counted(client, petition, settings):
    settings.PETITION_DEPARTEMENT_THRESHOLD = 2
    settings.PETITION_MIN_DEPARTEMENTS = 2
    settings.PETITION_GOAL = 4
    rhone = CommuneFactory()
    gironde = CommuneFactory(
        code="33063",
        name="Bordeaux",
        departement=DepartementFactory(code="33", name="Gironde"),
    )
    for commune, n in ((rhone, 2), (gironde, 1)):
        for signature in SignatureFactory.create_batch(n, petition=petition, commune=commune):
            services.confirm(Signature.objects.select_related("petition").get(pk=signature.pk))
    figures = services.counts(petition)
    assert (figures.online, figures.departements_reached, figures.rule_met) == (3, 1, False)
    assert [m["reached"] for m in figures.milestones][:1] == [False]
    html = client.get(reverse("petitions:counter")).content.decode()
    assert "3 signatures" in html and "1 département a atteint 2 signatures (il en faut 2)" in html
    assert INVALID not in html


def test_the_counter_is_cached_a_few_seconds_then_right(petition, settings):
    """The public count is served from the cache for COUNTER_CACHE_SECONDS (3 s, under the
    5 s budget); a confirmation in this process clears it at once."""
    signature = SignatureFactory(petition=petition)
    assert services.counts(petition).online == 0
    # Another process confirming: the counter row moves, this process's cache does not know.
    DepartementCount.objects.create(
        petition=petition, departement=signature.departement, confirmed=5
    )
    assert services.counts(petition).online == 0  # cached
    settings.PETITION_COUNTER_CACHE_SECONDS = 3
    cache.delete(f"petitions:figures-fresh:{petition.pk}")  # what the 3 s expiry does
    assert services.counts(petition).online == 5
    services.confirm(Signature.objects.select_related("petition").get(pk=signature.pk))
    assert services.counts(petition).online == 6


def test_recount_rebuilds_the_counters_from_the_signatures(petition):
    signatures = SignatureFactory.create_batch(3, petition=petition)
    for signature in signatures[:2]:
        services.confirm(Signature.objects.select_related("petition").get(pk=signature.pk))
    DepartementCount.objects.update(confirmed=999)
    services.recount(petition)
    assert services.counts(petition).online == 2


def test_the_export_is_for_the_national_administration_only(client, petition, user, admin_national):
    signature = SignatureFactory(petition=petition, first_name="=HYPERLINK(1)")
    services.confirm(Signature.objects.select_related("petition").get(pk=signature.pk))
    SignatureFactory(petition=petition, first_name="Pas confirmée")
    url = reverse("petitions:export")
    client.force_login(user)
    assert client.get(url).status_code == 403
    assert client.get(reverse("petitions:manage")).status_code == 403
    client.force_login(admin_national)
    response = client.get(url)
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert rows[0][:3] == ["Prénom", "Nom", "Adresse électronique"]
    assert len(rows) == 2
    assert rows[1][0] == "'=HYPERLINK(1)"  # never run as a formula
    assert LogEntry.objects.filter(action="petitions.export").count() == 1


def test_the_anonymous_visitor_is_sent_to_log_in_for_the_export(client, petition):
    response = client.get(reverse("petitions:export"))
    assert response.status_code == 302 and "/comptes/login/" in response["Location"]


def test_the_management_page_closes_and_submits(client, petition, admin_national):
    client.force_login(admin_national)
    html = client.get(reverse("petitions:manage")).content.decode()
    assert "Clore la pétition" in html and INVALID not in html
    client.post(reverse("petitions:manage"), {"transition": "close"})
    petition.refresh_from_db()
    assert petition.state == "close"
    client.post(reverse("petitions:manage"), {"transition": "submit"})
    petition.refresh_from_db()
    assert petition.state == "deposee" and petition.submitted_at is not None
    assert client.post(reverse("petitions:manage"), {"transition": "nope"}).status_code == 404


def test_the_bench_view_does_not_exist_unless_switched_on(client, settings):
    url = reverse("petitions:bench_insert")
    assert client.post(url, {"email": "x@exemple.fr"}).status_code == 404
    settings.PETITION_BENCH_VIEWS = True
    assert client.post(url, {"email": "x@exemple.fr"}).status_code == 204
    assert client.post(url, {"email": "x@exemple.fr"}).status_code == 204


def test_the_paper_sheets_page_is_refused_to_a_citizen(client, petition, user):
    client.force_login(user)
    assert client.get(reverse("petitions:paper_sheets")).status_code == 403


def _nonce(response) -> str:
    return re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)


def test_the_cached_blank_form_carries_each_visitor_own_token_and_nonce(petition):
    CommuneFactory()
    url = reverse("petitions:sign")
    tokens = []
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        response = visitor.get(url)
        html = response.content.decode()
        assert "placeholder" not in html and INVALID not in html
        nonce = _nonce(response)
        assert f'nonce="{nonce}"' in html
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        tokens.append(token)
        signed = visitor.post(
            url,
            {
                "csrfmiddlewaretoken": token,
                "first_name": "Camille",
                "last_name": "Dupont",
                "email": f"camille.{len(tokens)}@exemple.fr",
                "commune": "Lyon (69001)",
                "consent": "on",
            },
        )
        assert signed.status_code == 302
    assert tokens[0] != tokens[1]
    assert Signature.objects.count() == 2


def test_the_cached_public_page_never_shows_one_person_buttons_to_another(
    client, petition, admin_national
):
    client.force_login(admin_national)
    assert "Gérer la pétition" in client.get(reverse("petitions:detail")).content.decode()
    visitor = Client()
    for _ in range(2):
        response = visitor.get(reverse("petitions:detail"))
        html = response.content.decode()
        assert "Gérer la pétition" not in html and "placeholder" not in html
        assert f'nonce="{_nonce(response)}"' in html
    assert "Gérer la pétition" in client.get(reverse("petitions:detail")).content.decode()


def _confirm(signature):
    services.confirm(Signature.objects.select_related("petition").get(pk=signature.pk))


def _count_shown(client) -> str:
    html = client.get(reverse("petitions:detail")).content.decode()
    return re.search(r'<span aria-live="polite">([^<]+)</span>', html).group(1)


def test_the_cached_page_follows_a_confirmation_and_a_closing(client, petition, admin_national):
    """Counts, map and table, page and counter fragment are all cached: a confirmation in this
    process shows at once in each, and so does closing the petition."""
    _many_departements(3)
    signatures = SignatureFactory.create_batch(2, petition=petition)
    _confirm(signatures[0])
    assert _count_shown(client) == "1 signature"
    _confirm(signatures[1])
    assert _count_shown(client) == "2 signatures"
    html = client.get(reverse("petitions:detail")).content.decode()
    assert '<td class="fr-cell--right">2</td>' in html  # the table of the départements
    assert "2 signatures" in client.get(reverse("petitions:counter")).content.decode()
    staff = Client()
    staff.force_login(admin_national)
    staff.post(reverse("petitions:manage"), {"transition": "close"})
    html = client.get(reverse("petitions:detail")).content.decode()
    assert "Signer la pétition" not in html and "Pétition close" in html
    assert "Signer la pétition" not in client.get(reverse("petitions:counter")).content.decode()


def test_stale_counts_are_refreshed_by_one_reader_while_the_others_serve_them(
    client, petition, django_assert_num_queries
):
    """No stampede on the expiry: while one request refreshes the counts or rebuilds the page,
    the others serve the previous ones, without a query."""
    signature = SignatureFactory(petition=petition)
    assert _count_shown(client) == "0 signature"
    DepartementCount.objects.create(
        petition=petition, departement=signature.departement, confirmed=7
    )
    cache.delete(f"petitions:figures-fresh:{petition.pk}")  # the counts are stale
    cache.add(f"petitions:figures:{petition.pk}:refresh", 1)  # another reader is refreshing
    with django_assert_num_queries(0):
        assert _count_shown(client) == "0 signature"
    cache.delete(f"petitions:figures:{petition.pk}:refresh")  # it has crashed: the lock expired
    with django_assert_num_queries(3):  # three small tables, never the signatures
        figures = services.counts(petition)
    assert figures.online == 7
    page_lock = f"page:{layout_token()}:petitions:page:{petition.pk}:rebuild"
    cache.add(page_lock, 1)  # another request rebuilds the page
    with django_assert_num_queries(0):
        assert _count_shown(client) == "0 signature"
    cache.delete(page_lock)
    assert _count_shown(client) == "7 signatures"


def test_the_map_and_table_are_rendered_again_only_when_a_figure_moves(petition):
    _many_departements(3)
    first = services.counts(petition)
    cache.delete(f"petitions:figures-fresh:{petition.pk}")
    again = services.counts(petition)
    assert again.changed_at == first.changed_at  # same figures: the same fragments serve
    _confirm(SignatureFactory(petition=petition))
    moved = services.counts(petition)
    assert moved.changed_at != first.changed_at and moved.online == 1
    spread = str(views._spread_html(petition, moved))
    assert "Département 1 (01)" in spread and "Signatures par département" in spread


def test_the_map_and_table_escape_names_and_group_thousands(petition, settings):
    settings.PETITION_DEPARTEMENT_THRESHOLD = 1
    departement = DepartementFactory(code="2A", name="Corse <du Sud>")
    DepartementCount.objects.create(petition=petition, departement=departement, confirmed=12345)
    html = str(views._spread_html(petition, services.counts(petition)))
    assert "Corse &lt;du Sud&gt; (2A) : 12\u202f345 signatures</title>" in html
    assert '<tr><th scope="row">Corse &lt;du Sud&gt; (2A)</th>' in html
    assert "<td>Atteint</td>" in html and "<du Sud>" not in html


def test_the_current_petition_is_read_again_once_forgotten(client, petition):
    assert views.current_petition().pk == petition.pk
    petition.title = "Un autre titre"
    petition.save()
    assert views.current_petition().title != "Un autre titre"  # a few seconds in the cache
    cache.delete("petitions:current-token")  # the expiry, or a transition in another process
    assert views.current_petition().title != "Un autre titre"  # asked again once a second
    caches["local"].delete(views._CHECKED_KEY)  # that second has passed
    assert views.current_petition().title == "Un autre titre"
    views._forget_current_petition()  # what a transition in this process does
    petition.delete()
    assert client.get(reverse("petitions:detail")).status_code == 200  # the empty state
