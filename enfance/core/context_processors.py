from django.conf import settings
from django.urls import reverse

from .navigation import MAIN_NAVIGATION


def platform(request):
    """What every page needs to draw the layout; no database query."""
    path = getattr(request, "path", "/")
    navigation = []
    for item in MAIN_NAVIGATION:
        current = any(
            path == "/" if prefix == "/" else path.startswith(prefix)
            for prefix in item.path_prefixes
        )
        navigation.append({"label": item.label, "url": reverse(item.url_name), "current": current})
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
