"""Workflows: a state field, a table of named transitions, and one function that applies them.

A model declares its workflow once::

    EVENT_WORKFLOW = Workflow(
        state_field="state",
        transitions=[
            Transition("publish", {"proposed"}, "published", "publier", can_publish),
            ...
        ],
    )

and a service applies a transition with ``apply_transition(obj, "publish", by=user)``. The row is
locked, the source state and the permission are checked, the state is saved with
``update_fields`` and the event log records who did what. No view sets a state by hand.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model

from .eventlog import record_event

Permission = Callable[[object, Model], bool]


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    # The verb a person reads on the button and in the log, in French ("publier").
    label: str
    permission: Permission
    # Whether the event log entry is public (decisions made public, PRODUCT.md).
    public: bool = False

    def __post_init__(self):
        object.__setattr__(self, "sources", frozenset(self.sources))


@dataclass
class Workflow:
    transitions: Iterable[Transition]
    state_field: str = "state"
    _by_name: dict[str, Transition] = field(init=False, repr=False)

    def __post_init__(self):
        self.transitions = tuple(self.transitions)
        self._by_name = {t.name: t for t in self.transitions}
        if len(self._by_name) != len(self.transitions):
            raise ValueError("Deux transitions portent le même nom.")

    def get(self, name: str) -> Transition:
        try:
            return self._by_name[name]
        except KeyError:
            raise ValueError(f"Transition inconnue : {name}") from None

    def state_of(self, obj) -> str:
        return getattr(obj, self.state_field)

    def available(self, obj, user) -> list[Transition]:
        """The transitions this user may apply now: what buttons a page shows."""
        state = self.state_of(obj)
        return [t for t in self.transitions if state in t.sources and t.permission(user, obj)]


def apply_transition(
    obj: Model,
    workflow: Workflow,
    name: str,
    *,
    by,
    summary: str = "",
    data: dict | None = None,
    also_update: dict | None = None,
) -> Model:
    """Apply one named transition, atomically; returns the locked, updated object.

    ``also_update`` sets other fields in the same save (a date, a reason): they must be given
    here, not set by the caller, so that they are saved under the same lock.
    """
    transition_ = workflow.get(name)
    model = type(obj)
    with transaction.atomic():
        locked = model._default_manager.select_for_update(of=("self",)).get(pk=obj.pk)
        state = workflow.state_of(locked)
        if state not in transition_.sources:
            current = _state_label(locked, workflow)
            raise ValidationError(
                f"Impossible de {transition_.label} : l'état actuel est « {current} »."
            )
        if not transition_.permission(by, locked):
            raise PermissionDenied(f"Vous n'avez pas le droit de {transition_.label}.")
        setattr(locked, workflow.state_field, transition_.target)
        fields = [workflow.state_field]
        for field_name, value in (also_update or {}).items():
            setattr(locked, field_name, value)
            fields.append(field_name)
        locked.save(update_fields=fields)
        record_event(
            by=by,
            action=f"{model._meta.label_lower}.{transition_.name}",
            summary=summary or f"{transition_.label.capitalize()} : {locked}",
            target=locked,
            data={"from": state, "to": transition_.target, **(data or {})},
            public=transition_.public,
        )
    return locked


def _state_label(obj, workflow: Workflow) -> str:
    display = getattr(obj, f"get_{workflow.state_field}_display", None)
    return display() if display else workflow.state_of(obj)
