"""What each module holds about a person, declared once and read by everything that must agree
with it: the person's download of their data (JSON and PDF), the deletion of their account, the
published retention table (« Données personnelles ») and the register of processing activities
(« Registre des traitements »).

Each application declares, in its own ``personal_data.py`` (discovered when the project starts,
like ``workflows.py``), one ``declare(app_label, processing, *holdings)``: the processing it
carries out (purpose, legal basis, recipients…) and one ``Holding`` per thing it keeps about a
person: where it is (a model and its fields that point at the person or name them), how the
person gets it (``export``), and what becomes of it when the account is deleted (``fate``, with
the retention and the reason, and the ``erase`` that does it).

``undeclared()`` walks every model of every installed application and names the fields that
point at an account or hold a person's identity and that no module has declared: a test keeps
it empty, so a new model or field cannot be forgotten.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models

# The retention of what goes with the account.
UNTIL_DELETION = "Tant que votre compte existe."


class Fate(StrEnum):
    """What becomes of a holding when the person deletes their account."""

    ERASED = "effacé"
    ANONYMISED = "anonymisé"
    KEPT = "conservé"


@dataclass(frozen=True)
class Processing:
    """The public part of one entry of the register of processing activities (RGPD art. 30)."""

    name: str
    purpose: str
    legal_basis: str
    data: str
    people: str
    recipients: str
    retention: str
    security: str = ""


@dataclass(frozen=True)
class Holding:
    """One thing a module keeps about a person.

    ``links`` are the fields of ``model`` that point at the person's account (foreign keys or
    many-to-many); ``fields`` those that hold a person's identity without pointing at an account
    (a name or an address as typed). ``export(user)`` gives what the person downloads, under
    ``key`` in the JSON; without one, a holding with links lists the objects that point at the
    person and how (``linked_objects``). ``erase(user)`` carries out the ``fate``; without one, an
    ERASED holding deletes the rows linked to the person and the others cut the links (NULL, or
    out of the many-to-many), so that no row points at the account any more. A holding without
    links only tells the retention table what the module keeps and why.
    """

    model: str
    what: str
    fate: Fate
    retention: str
    why: str = ""
    links: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    key: str = ""
    export: Callable | None = None
    erase: Callable | None = None

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    @property
    def exported(self) -> bool:
        return self.export is not None or bool(self.links)

    def export_for(self, user):
        if self.export is not None:
            return self.export(user)
        return linked_objects(self, user)

    def run_erase(self, user) -> None:
        if self.erase is not None:
            self.erase(user)
            return
        model = self.model_class
        for name in self.links:
            model_field = model._meta.get_field(name)
            if model_field.many_to_many:
                model_field.remote_field.through._base_manager.filter(
                    **{model_field.m2m_reverse_field_name(): user}
                ).delete()
            elif self.fate == Fate.ERASED:
                model._base_manager.filter(**{name: user}).delete()
            else:
                model._base_manager.filter(**{name: user}).update(**{name: None})


def linked_objects(holding: Holding, user) -> list[dict]:
    """Each object that points at the person, and through which of its fields (« créée par »)."""
    model = holding.model_class
    rows = []
    for name in holding.links:
        model_field = model._meta.get_field(name)
        for obj in model._base_manager.filter(**{name: user}).order_by("pk"):
            rows.append({"objet": str(obj), "en_tant_que": str(model_field.verbose_name)})
    return rows


@dataclass(frozen=True)
class Declaration:
    app_label: str
    processing: Processing
    holdings: tuple[Holding, ...]
    # Fields that look like a person's identity and are not: "app.Model.field" -> why.
    not_personal: dict[str, str] = field(default_factory=dict)


_declarations: dict[str, Declaration] = {}


def declare(
    app_label: str,
    processing: Processing,
    *holdings: Holding,
    not_personal: dict[str, str] | None = None,
) -> Declaration:
    keys = {h.key for d in _declarations.values() if d.app_label != app_label for h in d.holdings}
    for holding in holdings:
        if holding.exported and (not holding.key or holding.key in keys):
            raise ValueError(f"{holding.model} : la clé d'export « {holding.key} » est déjà prise")
        keys.add(holding.key)
    declaration = Declaration(app_label, processing, tuple(holdings), dict(not_personal or {}))
    _declarations[app_label] = declaration
    return declaration


def declarations() -> list[Declaration]:
    """The modules' declarations, from the bottom layer up (the order of INSTALLED_APPS)."""
    order = [config.label for config in apps.get_app_configs()]
    return sorted(_declarations.values(), key=lambda d: order.index(d.app_label))


def holdings() -> list[Holding]:
    return [holding for declaration in declarations() for holding in declaration.holdings]


def export(user) -> dict:
    """Everything the modules hold about the person, as they download it (RGPD art. 15, 20)."""
    return {holding.key: holding.export_for(user) for holding in holdings() if holding.exported}


def erase(user) -> None:
    """Carry out every holding's fate, the top layers first (they may still need what the lower
    ones hold: an event's registration is cancelled before the account goes). The caller deletes
    the account afterwards, in the same transaction."""
    for declaration in reversed(declarations()):
        for holding in declaration.holdings:
            holding.run_erase(user)


# --- What must be declared -------------------------------------------------------------------

# A field holds a person's identity when it is an e-mail field or when its name says so.
PERSONAL_FIELD_NAME = re.compile(
    r"(^|_)(e?mail|email_normalized|first_name|last_name|parent_name|birth_date|phone|"
    r"signatory|co_authors|ip_address|agreement_by)$"
)


def person_fields(model: type[models.Model]) -> set[str]:
    """The fields defined on ``model`` (not inherited from a parent table) that point at an
    account or hold a person's identity."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    found = set()
    for model_field in [*model._meta.local_fields, *model._meta.local_many_to_many]:
        if model_field.is_relation:
            if model_field.related_model is user_model:
                found.add(model_field.name)
        elif isinstance(model_field, models.EmailField) or PERSONAL_FIELD_NAME.search(
            model_field.name
        ):
            found.add(model_field.name)
    return found


def undeclared() -> list[str]:
    """Every "app.Model.field" that points at an account or names a person and that no module
    declares (as a link, a personal field, or a field that is not personal after all)."""
    declared = set()
    for declaration in declarations():
        declared.update(declaration.not_personal)
        for holding in declaration.holdings:
            label = holding.model_class._meta.label
            declared.update(f"{label}.{name}" for name in (*holding.links, *holding.fields))
    missing = []
    for model in apps.get_models(include_auto_created=False):
        if model._meta.proxy:
            continue
        for name in sorted(person_fields(model)):
            if f"{model._meta.label}.{name}" not in declared:
                missing.append(f"{model._meta.label}.{name}")
    return missing


def stale() -> list[str]:
    """Declared fields that no longer exist."""
    found = []
    for holding in holdings():
        model = holding.model_class
        for name in (*holding.links, *holding.fields):
            try:
                model._meta.get_field(name)
            except FieldDoesNotExist:
                found.append(f"{holding.model}.{name}")
    return found
