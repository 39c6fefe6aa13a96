import datetime
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enfance.core.models import LogEntry
from enfance.core.workflow import (
    Actionable,
    Transition,
    Workflow,
    abilities_for,
    apply_transition,
)
from tests.factories import UserFactory
from tests.testapp.models import Document
from tests.workflow_matrix import assert_page_and_service_agree

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
        with pytest.raises(ValidationError, match="Impossible d"):
            apply_transition(document, WORKFLOW, action, by=editor)
        document.refresh_from_db()
        assert document.state == state
        assert not LogEntry.objects.exists()
    else:
        updated = apply_transition(document, WORKFLOW, action, by=editor)
        assert updated.state == expected
        document.refresh_from_db()
        assert document.state == expected
        event = LogEntry.objects.get()
        assert event.action == f"testapp.document.{action}"
        assert event.data == {"from": state, "to": expected}
        assert event.public is (action == "publish")


def test_a_transition_without_permission_is_refused_and_changes_nothing():
    document = Document.objects.create(title="Charte")
    with pytest.raises(PermissionDenied, match="publier"):
        apply_transition(document, WORKFLOW, "publish", by=UserFactory(first_name="Lecteur"))
    document.refresh_from_db()
    assert document.state == "draft" and not LogEntry.objects.exists()


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


def needs_a_title(document):
    return None if document.title.strip() else "Donnez d'abord un titre au document."


GUARDED = Workflow(
    [Transition("publish", {"draft"}, "published", "publier", is_editor, guard=needs_a_title)]
)


def test_a_guard_refuses_with_its_reason_and_changes_nothing():
    editor = UserFactory(first_name="Éditrice")
    document = Document.objects.create(title=" ")
    assert GUARDED.refusal(document, editor, "publish").reason == (
        "Donnez d'abord un titre au document."
    )
    assert GUARDED.abilities(document, editor) == {"publish": False}
    assert GUARDED.available(document, editor) == []
    # What the page says instead of the button: to the editor only, and only from a draft.
    (waiting,) = GUARDED.waiting(document, editor)
    assert waiting[0].name == "publish" and waiting[1].startswith("Donnez d'abord")
    assert GUARDED.waiting(document, UserFactory(first_name="Lecteur")) == []
    assert GUARDED.waiting(Document(title=" ", state="published"), editor) == []
    with pytest.raises(ValidationError, match="Donnez d'abord un titre"):
        apply_transition(document, GUARDED, "publish", by=editor)
    document.refresh_from_db()
    assert document.state == "draft" and not LogEntry.objects.exists()


def test_the_guard_reads_the_locked_row_not_the_callers_copy():
    editor = UserFactory(first_name="Éditrice")
    document = Document.objects.create(title="")
    Document.objects.filter(pk=document.pk).update(title="Charte")
    assert apply_transition(document, GUARDED, "publish", by=editor).state == "published"


def test_state_is_checked_before_permission_and_permission_before_the_guard():
    reader, editor = UserFactory(first_name="Lecteur"), UserFactory(first_name="Éditrice")
    untitled = Document.objects.create(title="")
    assert GUARDED.refusal(untitled, reader, "publish").error is PermissionDenied
    assert GUARDED.refusal(untitled, editor, "publish").error is ValidationError
    published = Document.objects.create(title="", state="published")
    assert "l'état actuel est « Publié »" in GUARDED.refusal(published, reader, "publish").reason


def test_a_model_declares_its_abilities_once_and_pages_read_them():
    class Sheet(Actionable, Document):
        class Meta:
            proxy = True
            app_label = "testapp"

    abilities_for(Sheet)(lambda user, sheet: GUARDED.abilities(sheet, user) | {"read": True})
    sheet = Sheet.objects.create(title="Charte")
    assert sheet.abilities(UserFactory(first_name="Éditrice")) == {"publish": True, "read": True}
    assert sheet.abilities(UserFactory(first_name="Lecteur")) == {"publish": False, "read": True}
    with pytest.raises(ValueError, match="déjà déclarées"):
        abilities_for(Sheet)(lambda user, sheet: {})


def test_a_model_without_declared_abilities_says_so():
    class Loose(Actionable, Document):
        class Meta:
            proxy = True
            app_label = "testapp"

    with pytest.raises(LookupError, match="Aucune capacité déclarée pour Loose"):
        Loose(title="x").abilities(UserFactory())


def test_the_matrix_helper_catches_a_page_that_promises_what_the_service_refuses():
    editor = UserFactory(first_name="Éditrice")
    document = Document.objects.create(title="")

    def publish():
        apply_transition(document, GUARDED, "publish", by=editor)

    # What a view that read only state and permission (WORKFLOW, no guard) would offer.
    promised = WORKFLOW.abilities(document, editor)
    with pytest.raises(AssertionError, match="publish : la page propose, le service refuse"):
        assert_page_and_service_agree(
            where="brouillon / éditrice", abilities=promised, attempts={"publish": publish}
        )
    with pytest.raises(AssertionError, match="bouton affiché"):
        assert_page_and_service_agree(
            where="brouillon / éditrice",
            abilities=GUARDED.abilities(document, editor),
            attempts={"publish": publish},
            html='<button name="publish">Publier</button>',
            buttons={"publish": 'name="publish"'},
        )
    assert_page_and_service_agree(
        where="brouillon / éditrice",
        abilities=GUARDED.abilities(document, editor),
        attempts={"publish": publish},
        html="<p>Rien à faire</p>",
        buttons={"publish": 'name="publish"'},
    )
    document.refresh_from_db()
    assert document.state == "draft"


def before_the_deadline(document, *, at):
    deadline = datetime.datetime(2026, 12, 31, tzinfo=datetime.UTC)
    return None if at < deadline else "L'échéance est passée."


TIMED = Workflow(
    [Transition("publish", {"draft"}, "published", "publier", is_editor, guard=before_the_deadline)]
)


def test_a_guard_that_reads_the_clock_gets_the_moment_of_the_decision():
    editor = UserFactory(first_name="Éditrice")
    document = Document.objects.create(title="Charte")
    late = datetime.datetime(2027, 1, 2, tzinfo=datetime.UTC)
    early = datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)
    assert TIMED.refusal(document, editor, "publish", at=late).reason == "L'échéance est passée."
    assert TIMED.allows(document, editor, "publish") is (
        datetime.datetime.now(datetime.UTC) < datetime.datetime(2026, 12, 31, tzinfo=datetime.UTC)
    )
    with pytest.raises(ValidationError, match="L'échéance est passée"):
        apply_transition(document, TIMED, "publish", by=editor, at=late)
    assert apply_transition(document, TIMED, "publish", by=editor, at=early).state == "published"
