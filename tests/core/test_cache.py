import threading
import time

from django.core.cache import cache
from django.http import HttpResponse
from django.template import engines
from django.test import RequestFactory

from enfance.core import cache as shared
from enfance.core.pagecache import CSRF_PLACEHOLDER, visitor_page


def test_versions_are_read_together_and_a_bump_moves_only_its_own(db):
    assert shared.versions("a", "b") == "1.1"
    shared.bump("b")
    shared.bump("b")
    assert shared.versions("a", "b") == "1.3"
    assert shared.version("b") == 3


def test_a_bump_on_commit_waits_for_the_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        shared.bump_on_commit("a", "b")
        assert shared.versions("a", "b") == "1.1"
    for callback in callbacks:
        callback()
    assert shared.versions("a", "b") == "2.2"


def test_a_fresh_value_is_served_and_a_new_token_rebuilds_it():
    builds = []

    def build():
        builds.append(1)
        return f"valeur {len(builds)}"

    assert shared.rebuilt_once("k", build, fresh_for=60, token="t1") == "valeur 1"
    assert shared.rebuilt_once("k", build, fresh_for=60, token="t1") == "valeur 1"
    assert shared.rebuilt_once("k", build, fresh_for=60, token="t2") == "valeur 2"
    assert len(builds) == 2


def test_a_stale_value_is_served_while_another_request_rebuilds_it(monkeypatch):
    shared.rebuilt_once("k", lambda: "ancienne", fresh_for=60)
    later = time.time() + 61
    monkeypatch.setattr(shared.time, "time", lambda: later)
    cache.add("k:rebuild", 1)  # another request is rebuilding it
    assert shared.rebuilt_once("k", lambda: "nouvelle", fresh_for=60) == "ancienne"
    cache.delete("k:rebuild")
    assert shared.rebuilt_once("k", lambda: "nouvelle", fresh_for=60) == "nouvelle"


def test_the_first_value_is_built_once_while_the_others_wait_for_it():
    builds = []
    started = threading.Event()

    def slow_build():
        builds.append(1)
        started.set()
        time.sleep(0.3)
        return "calculée"

    results = []
    first = threading.Thread(
        target=lambda: results.append(shared.rebuilt_once("k", slow_build, fresh_for=60))
    )
    first.start()
    started.wait()
    results.append(shared.rebuilt_once("k", slow_build, fresh_for=60))
    first.join()
    assert results == ["calculée", "calculée"] and builds == [1]


def test_a_build_that_returns_none_caches_nothing():
    assert shared.rebuilt_once("k", lambda: None, fresh_for=60) is None
    assert shared.rebuilt_once("k", lambda: "ensuite", fresh_for=60) == "ensuite"


PAGE = engines["django"].from_string(
    '<form>{% csrf_token %}</form><script nonce="{{ request.csp_nonce }}"></script>{{ n }}'
)


def _visitor(nonce="n0nce", **cookies):
    request = RequestFactory().get("/page/")
    request.COOKIES.update(cookies)
    request.csp_nonce = nonce
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    return request


def _page(request, counter, status=200):
    def build(**extra):
        counter.append(1)
        response = HttpResponse(PAGE.render({"n": len(counter), **extra}, request), status=status)
        return response

    return visitor_page(request, "essai", build, fresh_for=60)


def test_a_visitor_page_is_rendered_once_with_each_requests_token_and_nonce(db):
    counter = []
    first = _page(_visitor("aaa"), counter).content.decode()
    second_request = _visitor("bbb")
    second = _page(second_request, counter).content.decode()
    assert counter == [1]
    assert 'nonce="aaa"' in first and 'nonce="bbb"' in second
    assert CSRF_PLACEHOLDER not in second and "csrfmiddlewaretoken" in second
    assert second.endswith("1")


def test_a_signed_in_person_or_a_pending_message_gets_the_page_rendered_for_them(db):
    counter = []
    _page(_visitor(), counter)
    _page(_visitor(sessionid="x"), counter)
    _page(_visitor(messages="x"), counter)
    assert len(counter) == 3


def test_an_error_page_is_never_cached_and_still_gets_its_token(db):
    counter = []
    response = _page(_visitor(), counter, status=404)
    _page(_visitor(), counter, status=404)
    assert len(counter) == 2
    assert CSRF_PLACEHOLDER.encode() not in response.content


def test_the_home_page_is_rendered_once_for_visitors(db, client, django_assert_max_num_queries):
    first = client.get("/").content.decode()
    # Only the sections' fresh reads (the petition's counter, the most supported proposals'
    # ids): no template is rendered again.
    with django_assert_max_num_queries(2):
        response = client.get("/")
    assert response.templates == []
    second = response.content.decode()
    assert "initiative citoyenne" in second and second.count("nonce=") == first.count("nonce=")


def test_a_page_cached_under_one_layout_is_not_served_under_another(db, settings):
    counter = []
    _page(_visitor(), counter)
    settings.STATE_BRAND = not settings.STATE_BRAND
    _page(_visitor(), counter)
    assert len(counter) == 2


def test_each_visitor_of_a_cached_page_gets_the_nonce_of_their_own_header(db, client):
    nonces = []
    for _ in range(2):
        response = client.get("/")
        header = response.headers["Content-Security-Policy"]
        nonce = header.split("'nonce-")[1].split("'")[0]
        assert f'nonce="{nonce}"' in response.content.decode()
        nonces.append(nonce)
    assert nonces[0] != nonces[1]
