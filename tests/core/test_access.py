import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from enfance.core.access import get_visible_or_404, one_of_or_404, require
from tests.testapp.models import Document

pytestmark = pytest.mark.django_db


def test_an_invisible_object_is_a_404_whether_it_exists_or_not():
    hidden = Document.objects.create(title="Brouillon", state="draft")
    visible = Document.objects.filter(state="published")
    with pytest.raises(Http404):
        get_visible_or_404(visible, pk=hidden.pk)
    with pytest.raises(Http404):
        get_visible_or_404(visible, pk=hidden.pk + 1000)


def test_a_visible_object_is_returned():
    shown = Document.objects.create(title="Publié", state="published")
    assert get_visible_or_404(Document.objects.filter(state="published"), pk=shown.pk) == shown


def test_require_raises_403_when_the_predicate_refuses():
    require(None, lambda user, obj: True)
    with pytest.raises(PermissionDenied):
        require(None, lambda user, obj: False)


def test_one_of_the_objects_already_read_or_a_404_without_a_query(django_assert_num_queries):
    shown = Document.objects.create(title="Publié", state="published")
    visible = list(Document.objects.filter(state="published"))
    with django_assert_num_queries(0):
        assert one_of_or_404(visible, title="Publié", state="published") == shown
        with pytest.raises(Http404):
            one_of_or_404(visible, title="Brouillon")
