"""The buttons of the State's sign-in services: `{% state_signin_buttons "login" %}` (or
"connect" on « Mon compte »). Nothing is shown for a service that is off; reading which are on
asks nothing of the database or the cache."""

from django import template
from django.urls import reverse

from ..identity import FRANCECONNECT, PROCONNECT, services

register = template.Library()

# The services' own pages, for the « Qu'est-ce que … ? » links their rules ask for.
ABOUT_URLS = {
    PROCONNECT: "https://www.proconnect.gouv.fr/",
    FRANCECONNECT: "https://franceconnect.gouv.fr/",
}


@register.inclusion_tag("state_signin/buttons.html", takes_context=True)
def state_signin_buttons(context, process="login", next_url=None, only=None):
    request = context.get("request")
    if next_url is None and request is not None:
        next_url = request.GET.get("next", "")
    buttons = [
        {
            "id": provider_id,
            "name": name,
            "url": reverse("etat_login", kwargs={"provider_id": provider_id}),
            "about": ABOUT_URLS.get(provider_id, ""),
            "official": provider_id == FRANCECONNECT,
        }
        for provider_id, name in services().items()
        if only is None or provider_id == only
    ]
    return {"buttons": buttons, "process": process, "next_url": next_url or "", "request": request}


@register.simple_tag
def state_signin_on(provider_id=None) -> bool:
    return bool(services()) if provider_id is None else provider_id in services()
