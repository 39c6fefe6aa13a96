"""The list's search form and its sort: words typed on the list are sorted by relevance, unless
the person chose the date (issue 12: a search from the list used to switch to the date)."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from enfance.practices import library
from tests.practices.factories import PracticeFactory

pytestmark = pytest.mark.django_db

LIBRARY = reverse("practices:library")


class _SearchForm(HTMLParser):
    """The pairs a browser sends with the list's form: filled fields, checked boxes, the
    selected option of each list."""

    def __init__(self):
        super().__init__()
        self.pairs: list[tuple[str, str]] = []
        self._select = None
        self._first_option = None
        self._chosen = False
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("action") == LIBRARY:
            self._in_form = True
        if not self._in_form:
            return
        if tag == "input" and attrs.get("name"):
            if attrs.get("type") != "checkbox" or "checked" in attrs:
                self.pairs.append((attrs["name"], attrs.get("value", "")))
        elif tag == "select":
            self._select, self._first_option, self._chosen = attrs["name"], None, False
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = attrs["value"]
            if "selected" in attrs:
                self.pairs.append((self._select, attrs["value"]))
                self._chosen = True

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            if not self._chosen:
                self.pairs.append((self._select, self._first_option))
            self._select = None
        elif tag == "form":
            self._in_form = False


def _submitted(content: str, text: str) -> dict[str, str]:
    form = _SearchForm()
    form.feed(content)
    sent = {name: value for name, value in form.pairs if value}
    return {**sent, "q": text}


@pytest.fixture
def fiches(db):
    for title in ("Parentalité positive", "Ateliers de parentalité"):
        library.index_practice(PracticeFactory(title=title))


def _selected_sort(content: str) -> str | None:
    form = _SearchForm()
    form.feed(content)
    return dict(form.pairs).get("tri")


def test_a_search_typed_on_the_list_is_sorted_by_relevance(client, fiches):
    # Without words the list comes by date, and offers no sort to send along with a search.
    listing = client.get(LIBRARY).content.decode()
    assert 'name="tri"' not in listing
    assert "les pratiques les plus récentes sont présentées en premier" in listing
    params = _submitted(listing, "parentalité")
    assert "tri" not in params
    answer = client.get(LIBRARY, params).content.decode()
    assert _selected_sort(answer) == library.SORT_RELEVANCE


def test_a_sort_the_person_chose_is_kept_for_new_words(client, fiches):
    by_date = client.get(LIBRARY, {"q": "parentalité", "tri": library.SORT_DATE})
    content = by_date.content.decode()
    assert _selected_sort(content) == library.SORT_DATE
    again = client.get(LIBRARY, _submitted(content, "ateliers")).content.decode()
    assert _selected_sort(again) == library.SORT_DATE
    assert (
        _selected_sort(client.get(LIBRARY, {"q": "ateliers"}).content.decode())
        == library.SORT_RELEVANCE
    )
