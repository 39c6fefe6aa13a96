"""Workflows: a state field, a table of named transitions, and one function that applies them.

A model declares its workflow once::

    EVENT_WORKFLOW = Workflow(
        state_field="state",
        transitions=[
            Transition("publish", {"proposed"}, "published", "publier", can_publish),
            ...
        ],
    )

and a service applies a transition with ``apply_transition(obj, WORKFLOW, "publish", by=user)``.
The row is locked, the source state, the permission and the guard are checked, the state is saved
with ``update_fields`` and the event log records who did what. No view sets a state by hand.

A **guard** is a rule of the object rather than of the person (« the département's agreement is
recorded »): ``guard(obj)`` returns the French reason the transition is refused, or None. A guard
that depends on the clock declares a keyword-only ``at`` and gets the moment of the decision:
the caller's (``apply_transition(..., at=)``, a command run on a fixed clock) or now. The same
three checks decide what a page offers (``Workflow.abilities``) and what the service accepts, so
a button never promises what the service refuses.

**Abilities.** A model people act on inherits ``Actionable`` and its app registers, with
``@abilities_for(Model)``, one function ``(user, obj) -> dict[str, bool]``: the workflow's
abilities and the other things a person may do with it. Views pass ``obj.abilities(user)`` to
templates, which read ``abilities.publish`` (the manner of La Suite numérique). Registrations
live in each app's ``workflows.py``, imported when the apps are ready.
"""

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from .eventlog import record_event

Permission = Callable[[object, Model], bool]
# The French reason a transition cannot be applied to this object now, or None.
Guard = Callable[[Model], str | None]


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
    guard: Guard | None = None
    _guard_reads_clock: bool = field(init=False, repr=False, compare=False, default=False)

    def __post_init__(self):
        object.__setattr__(self, "sources", frozenset(self.sources))
        if self.guard is not None:
            reads_clock = "at" in inspect.signature(self.guard).parameters
            object.__setattr__(self, "_guard_reads_clock", reads_clock)

    def guard_refusal(self, obj, at: datetime | None) -> str | None:
        if self.guard is None:
            return None
        if self._guard_reads_clock:
            return self.guard(obj, at=at or timezone.now())
        return self.guard(obj)


@dataclass(frozen=True)
class Refusal:
    error: type[Exception]
    reason: str

    def exception(self) -> Exception:
        return self.error(self.reason)


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

    def refusal(self, obj, user, name: str, *, at: datetime | None = None) -> Refusal | None:
        """Why ``user`` may not apply ``name`` to ``obj`` (now, or at ``at``), or None."""
        transition_ = self.get(name)
        state = self.state_of(obj)
        if state not in transition_.sources:
            current = _state_label(obj, self)
            return Refusal(
                ValidationError,
                f"Impossible {_of(transition_.label)} : l'état actuel est « {current} ».",
            )
        if not transition_.permission(user, obj):
            return Refusal(PermissionDenied, f"Vous n'avez pas le droit {_of(transition_.label)}.")
        if reason := transition_.guard_refusal(obj, at):
            return Refusal(ValidationError, reason)
        return None

    def allows(self, obj, user, name: str) -> bool:
        return self.refusal(obj, user, name) is None

    def available(self, obj, user) -> list[Transition]:
        """The transitions this user may apply now: what buttons a page shows."""
        return [t for t in self.transitions if self.refusal(obj, user, t.name) is None]

    def abilities(self, obj, user) -> dict[str, bool]:
        return {t.name: self.refusal(obj, user, t.name) is None for t in self.transitions}

    def waiting(self, obj, user) -> list[tuple[Transition, str]]:
        """The transitions this user could apply from the current state but for a rule of the
        object, each with that rule's reason: what a page says instead of a missing button."""
        return [
            (t, reason)
            for t in self.transitions
            if self.state_of(obj) in t.sources
            and t.permission(user, obj)
            and (reason := t.guard_refusal(obj, None))
        ]


def apply_transition(
    obj: Model,
    workflow: Workflow,
    name: str,
    *,
    by,
    summary: str = "",
    data: dict | None = None,
    also_update: dict | None = None,
    at: datetime | None = None,
) -> Model:
    """Apply one named transition, atomically; returns the locked, updated object.

    ``also_update`` sets other fields in the same save (a date, a reason): they must be given
    here, not set by the caller, so that they are saved under the same lock. ``at`` is the moment
    of the decision for the guards that read the clock (now by default).
    """
    transition_ = workflow.get(name)
    model = type(obj)
    with transaction.atomic():
        locked = model._default_manager.select_for_update(of=("self",)).get(pk=obj.pk)
        state = workflow.state_of(locked)
        if refusal := workflow.refusal(locked, by, name, at=at):
            raise refusal.exception()
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


def _of(verb: str) -> str:
    """« de publier », « d'ouvrir », « d'héberger »: French elides « de » before a vowel or a
    mute h (the platform's verbs have no aspirated h)."""
    return f"d'{verb}" if verb[:1].lower() in "aâàeéèêiîoôuûyh" else f"de {verb}"


def _state_label(obj, workflow: Workflow) -> str:
    display = getattr(obj, f"get_{workflow.state_field}_display", None)
    return display() if display else workflow.state_of(obj)


# Abilities -------------------------------------------------------------------------------------

Abilities = Callable[[object, Model], dict[str, bool]]
_ABILITIES: dict[type, Abilities] = {}


def abilities_for(model: type[Model]):
    """Register the function that says what a person may do with an object of ``model``."""

    def register(function: Abilities) -> Abilities:
        if model in _ABILITIES:
            raise ValueError(f"Les capacités de {model.__name__} sont déjà déclarées.")
        _ABILITIES[model] = function
        return function

    return register


class Actionable:
    """Mixin of a model people act on: ``obj.abilities(user)`` is what its pages offer."""

    def abilities(self, user) -> dict[str, bool]:
        for klass in type(self).__mro__:
            if klass in _ABILITIES:
                return _ABILITIES[klass](user, self)
        raise LookupError(f"Aucune capacité déclarée pour {type(self).__name__}.")
