"""The petition on the home page (``core.home``): its counter and its progress towards the goal,
read from the cached counts (``services.counts``: never the signatures)."""

from django.http import Http404

from enfance.core.home import Section, register_section

from . import services
from .views import current_petition


def _current():
    try:
        petition = current_petition()
    except Http404:
        return None, None
    return petition, services.counts(petition)


def _context(request) -> dict:
    petition, figures = _current()
    return {"petition": petition, "figures": figures}


def _token():
    # The counts say when they last changed: the page is rebuilt when a number moves.
    petition, figures = _current()
    if petition is None:
        return None
    return (petition.pk, petition.state, figures.changed_at)


register_section(
    Section(
        name="petition",
        order=10,
        template="petitions/home_section.html",
        context=_context,
        token=_token,
    )
)
