import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enfance.core.models import Event
from enfance.core.workflow import Transition, Workflow, apply_transition
from tests.factories import UserFactory
from tests.testapp.models import Document

pytestmark = pytest.mark.django_db


def is_editor(user, document):
    return user.first_name == "Éditrice"


WORKFLOW = Workflow(
    [
        Transition("publish", {"draft"}, "published", "publier", is_editor, public=True),
        Transition("archive", {"draft", "published"}, "archived", "archiver", is_editor),
    ]
)

# The whole table: every (state, action) pair and what must happen.
EXPECTED = {
    ("draft", "publish"): "published",
    ("draft", "archive"): "archived",
    ("published", "archive"): "archived",
}


@pytest.mark.parametrize(
    ("state", "action"),
    list(itertools.product(["draft", "published", "archived"], ["publish", "archive"])),
)
def test_every_state_and_action_pair(state, action):
    editor = UserFactory(first_name="Éditrice")
    document = Document.objects.create(title="Charte", state=state)
    expected = EXPECTED.get((state, action))
    if expected is None:
        with pytest.raises(ValidationError, match="Impossible de"):
            apply_transition(document, WORKFLOW, action, by=editor)
        document.refresh_from_db()
        assert document.state == state
        assert not Event.objects.exists()
    else:
        updated = apply_transition(document, WORKFLOW, action, by=editor)
        assert updated.state == expected
        document.refresh_from_db()
        assert document.state == expected
        event = Event.objects.get()
        assert event.action == f"testapp.document.{action}"
        assert event.data == {"from": state, "to": expected}
        assert event.public is (action == "publish")


def test_a_transition_without_permission_is_refused_and_changes_nothing():
    document = Document.objects.create(title="Charte")
    with pytest.raises(PermissionDenied, match="publier"):
        apply_transition(document, WORKFLOW, "publish", by=UserFactory(first_name="Lecteur"))
    document.refresh_from_db()
    assert document.state == "draft" and not Event.objects.exists()


def test_extra_fields_are_saved_with_the_state():
    document = Document.objects.create(title="Charte")
    apply_transition(
        document,
        WORKFLOW,
        "archive",
        by=UserFactory(first_name="Éditrice"),
        also_update={"reason": "Remplacée"},
    )
    document.refresh_from_db()
    assert (document.state, document.reason) == ("archived", "Remplacée")


def test_available_transitions_follow_state_and_permission():
    document = Document.objects.create(title="Charte", state="published")
    editor, reader = UserFactory(first_name="Éditrice"), UserFactory(first_name="Lecteur")
    assert [t.name for t in WORKFLOW.available(document, editor)] == ["archive"]
    assert WORKFLOW.available(document, reader) == []


def test_transition_names_are_unique():
    with pytest.raises(ValueError, match="même nom"):
        Workflow([WORKFLOW.get("publish"), WORKFLOW.get("publish")])
