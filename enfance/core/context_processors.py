from functools import cache

from django.conf import settings
from django.urls import get_script_prefix, reverse

from .navigation import MAIN_NAVIGATION


@cache
def _navigation_urls(script_prefix: str) -> tuple[str, ...]:
    """The menu's addresses, the same on every page: resolved once per process."""
    return tuple(reverse(item.url_name) for item in MAIN_NAVIGATION)


def platform(request):
    """What every page needs to draw the layout; no database query."""
    path = getattr(request, "path", "/")
    navigation = []
    for item, url in zip(MAIN_NAVIGATION, _navigation_urls(get_script_prefix()), strict=True):
        current = any(
            path == "/" if prefix == "/" else path.startswith(prefix)
            for prefix in item.path_prefixes
        )
        navigation.append({"label": item.label, "url": url, "current": current})
    return {
        "STATE_BRAND": settings.STATE_BRAND,
        "SITE_NAME": settings.SITE_NAME,
        "SITE_TAGLINE": settings.SITE_TAGLINE,
        "main_navigation": navigation,
        "skiplinks": [
            {"link": "#contenu", "label": "Contenu"},
            {"link": "#navigation-principale", "label": "Menu"},
            {"link": "#pied-de-page", "label": "Pied de page"},
        ],
        "csp_nonce": getattr(request, "csp_nonce", ""),
    }
