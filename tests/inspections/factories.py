from datetime import date

from enfance.accounts.models import Role
from enfance.inspections import services
from enfance.inspections.models import Criterion
from tests.factories import UserFactory, with_totp

VISIT = date(2026, 12, 10)


def controleur(departement=None, **user_fields):
    """A contrôleur of ``departement`` (national when None), TOTP set up as the role requires."""
    user = with_totp(UserFactory(**user_fields))
    if departement is None:
        Role.objects.create(user=user, kind="controleur", scope_level="national")
    else:
        Role.objects.create(
            user=user, kind="controleur", scope_level="departement", departement=departement
        )
    return user


def opened(structure, lead, **options):
    return services.open_inspection(
        structure, by=lead, visit_on=options.pop("visit_on", VISIT), has_link=False, **options
    )


def score_all(inspection, lead, value=3, **overrides):
    """Every criterion of the inspection's version scored ``value`` (``overrides``: code ->
    score, or "nc" for « non concerné »)."""
    for criterion in Criterion.objects.filter(referentiel=inspection.referentiel):
        score = overrides.get(criterion.code, value)
        services.save_finding(
            inspection,
            criterion,
            by=lead,
            score=None if score == "nc" else score,
            not_concerned=score == "nc",
        )
