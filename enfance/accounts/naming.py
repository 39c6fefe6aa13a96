"""How a person appears to others on the platform (PRODUCT.md, the safety of children): first
name and initial for an adult, first name only for a minor, never more."""

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from enfance.core.dates import age_on

ADULT_AGE = 18


def is_minor(user) -> bool:
    """Whether the person is under 18. The platform knows a date of birth only for the members
    of a children's college (``assemblies.ChildProfile``, reached through its relation
    ``child_profile`` so that this layer imports nothing above it); an account without one is
    taken as an adult's. Read once per request."""
    if not user.is_authenticated:
        return False
    if "_is_minor" not in user.__dict__:
        # Through the relation, so that a list that selected ``author__child_profile`` asks
        # nothing more.
        try:
            birth_date = user.child_profile.birth_date
        except ObjectDoesNotExist:
            birth_date = None
        user.__dict__["_is_minor"] = (
            birth_date is not None and age_on(birth_date, timezone.localdate()) < ADULT_AGE
        )
    return user.__dict__["_is_minor"]


def public_name(user) -> str:
    """First name and initial: the public face of a person (first name only for a minor)."""
    if user is None:
        return "Compte supprimé"
    if is_minor(user):
        return user.first_name or "Anonyme"
    return initialled_name(user)


def initialled_name(user) -> str:
    """First name and initial (« Marie D. »), for a caller who already knows the person is an
    adult (a member outside the children's college), without reading their age."""
    first = user.first_name or "Anonyme"
    if not user.last_name:
        return first
    return f"{first} {user.last_name[0]}."
