from functools import cache

from django.conf import settings
from django.urls import get_script_prefix, reverse

from .navigation import MAIN_NAVIGATION, NavGroup, navigation_items


@cache
def _navigation_urls(script_prefix: str) -> dict[str, str]:
    """The menu's addresses, the same on every page: resolved once per process."""
    return {item.url_name: reverse(item.url_name) for item in navigation_items()}


def _is_current(item, path: str) -> bool:
    return any(
        path == "/" if prefix == "/" else path.startswith(prefix) for prefix in item.path_prefixes
    )


def platform(request):
    """What every page needs to draw the layout; no database query."""
    path = getattr(request, "path", "/")
    urls = _navigation_urls(get_script_prefix())

    def link(item) -> dict:
        # "group_items" is read by the template on every entry (a dict's "items" is its method).
        return {
            "label": item.label,
            "url": urls[item.url_name],
            "current": _is_current(item, path),
            "group_items": (),
        }

    navigation = []
    for entry in MAIN_NAVIGATION:
        if isinstance(entry, NavGroup):
            items = [link(item) for item in entry.items]
            navigation.append(
                {
                    "label": entry.label,
                    "menu_id": entry.menu_id,
                    "group_items": items,
                    "current": any(item["current"] for item in items),
                }
            )
        else:
            navigation.append(link(entry))
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
