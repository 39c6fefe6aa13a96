from enfance.accounts.models import Role
from enfance.support import services
from enfance.support.models import Specialty
from tests.factories import UserFactory, with_totp

SITUATION = (
    "Depuis le jugement, je ne vois mon fils qu'une heure par mois, en visite médiatisée. "
    "Je voudrais savoir comment demander un droit d'hébergement le week-end."
)


def professional(departement=None, subjects=("droits_visite",), **user_fields):
    """A professional of ``departement`` (national when None) answering ``subjects``, TOTP set."""
    user = with_totp(UserFactory(**user_fields))
    if departement is None:
        Role.objects.create(user=user, kind="professionnel", scope_level="national")
    else:
        Role.objects.create(
            user=user, kind="professionnel", scope_level="departement", departement=departement
        )
    for subject in subjects:
        Specialty.objects.create(user=user, subject=subject)
    return user


def written(parent, departement, **fields):
    return services.submit(
        parent=parent,
        subject=fields.pop("subject", "droits_visite"),
        departement=departement,
        child_age=fields.pop("child_age", "6-10"),
        situation=fields.pop("situation", SITUATION),
        contact=fields.pop("contact", "Par téléphone, en semaine après 18 h."),
    )
