"""The page and the service agree, for every (state, role, action) of a workflow (adhocracy4's
matrix of roles x phases x actions; the abilities of La Suite numérique).

An app's matrix test builds, for each state and role, the object and the person, then calls
``assert_page_and_service_agree`` with:

- ``abilities``: ``obj.abilities(user)``, what the page is told it may offer;
- ``attempts``: for each action, a function calling the service as that person would;
- ``html`` and ``buttons``: the page as that person sees it, and for each action the markup of
  its button (a form's action URL, a button's label), which must be there exactly when the
  ability is.

Each attempt runs in a transaction that is rolled back, so the same object serves every action.
"""

from collections.abc import Callable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404


class _RollBack(Exception):
    pass


def service_accepts(attempt: Callable[[], object]) -> bool:
    """Whether the service accepts the action (and then undoes it)."""
    try:
        with transaction.atomic():
            attempt()
            raise _RollBack
    except _RollBack:
        return True
    except (PermissionDenied, ValidationError, Http404):
        return False


def assert_page_and_service_agree(
    *,
    where: str,
    abilities: Mapping[str, bool],
    attempts: Mapping[str, Callable[[], object]],
    html: str | None = None,
    buttons: Mapping[str, str] | None = None,
) -> None:
    disagreements = []
    for action, attempt in attempts.items():
        offered = abilities[action]
        accepted = service_accepts(attempt)
        if offered != accepted:
            disagreements.append(
                f"{where} / {action} : la page {'propose' if offered else 'ne propose pas'}, "
                f"le service {'accepte' if accepted else 'refuse'}"
            )
        if html is not None and buttons and action in buttons:
            shown = buttons[action] in html
            if shown != offered:
                disagreements.append(
                    f"{where} / {action} : bouton {'affiché' if shown else 'absent'} alors que "
                    f"la capacité est {offered}"
                )
    assert disagreements == [], "\n".join(disagreements)
