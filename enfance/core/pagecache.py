"""Whole pages for visitors who are not signed in, served from the cache.

Such a visitor (no session, no message waiting) sees the same page as every other one, but for
two per-request bits: the CSRF token of its forms and the nonce of its scripts (the Content
Security Policy). The page is rendered once with placeholders for both, cached, and each request
puts its own back. Anyone else (signed in, a message waiting, a POST) gets the page rendered for
them, as if there were no cache.

The key carries what the page shows (versions of ``core.cache``, a digest of a cheap fresh read)
and, added here, what the layout depends on: the token of the deployed static files (a page
cached before a deployment, in a cache that servers share, is never served with the previous
stylesheet's address) and the State brand setting.
"""

from collections.abc import Callable
from functools import cache as memoize
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.safestring import mark_safe

from .cache import rebuilt_once

CSRF_PLACEHOLDER = "visitor-page-csrf-token-placeholder"
# The nonce is random and "<" never comes out of escaped text: neither can be mistaken for the
# page's own content.
NONCE_PLACEHOLDER = "<!--csp-nonce-->"


def is_shared_visitor(request) -> bool:
    """Whether this request gets the page every visitor gets."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.user.is_authenticated
    )


@memoize
def assets_token() -> str:
    """Changes with every deployment of new static files (the manifest's hash); empty in
    development, where files keep their names."""
    return getattr(staticfiles_storage, "manifest_hash", "") or ""


def layout_token() -> str:
    """What every page's layout depends on beyond its own content: the deployed static files
    and the State brand block (shown once the ministry is adopted)."""
    return f"{assets_token()}:{int(settings.STATE_BRAND)}"


def visitor_page(
    request,
    key: str,
    build: Callable[..., HttpResponse],
    *,
    fresh_for: int,
    token: Any = None,
) -> HttpResponse:
    """The page of ``build(**extra)`` (``extra`` goes into its template context), from the cache
    for a shared visitor: rendered again after ``fresh_for`` seconds or when ``token`` changes,
    by one request at a time (``core.cache.rebuilt_once``). A page that is not a plain 200 (an
    error, a redirect, a page setting a cookie) is never cached."""
    if not is_shared_visitor(request):
        return build()
    # django-csp's nonce is lazy and reads as false until rendered: make it now, so that the
    # page cached and the Content-Security-Policy header of this response share it.
    nonce = str(request.csp_nonce) if hasattr(request, "csp_nonce") else ""
    uncacheable = []

    def render_shared():
        response = build(csrf_token=CSRF_PLACEHOLDER)
        if response.status_code != 200 or response.has_header("Set-Cookie"):
            uncacheable.append(response)
            return None
        html = response.content.decode()
        return html.replace(nonce, NONCE_PLACEHOLDER) if nonce else html

    html = rebuilt_once(
        f"page:{layout_token()}:{key}", render_shared, fresh_for=fresh_for, token=token
    )
    if uncacheable:
        return _with_request_bits(request, uncacheable[0])
    return HttpResponse(_put_back(request, html, nonce))


def shared_fragment(request, key: str, render: Callable[[str], str], *, fresh_for: int) -> str:
    """Markup that is the same for everyone allowed to see it (a plan's tables, with their
    forms), rendered once per ``key`` by ``render(csrf_token)``: the key must carry the versions
    of what it shows. Each request gets its own CSRF token put back; no script may be in it
    (its nonce is the page's)."""
    html = rebuilt_once(
        f"fragment:{layout_token()}:{key}",
        lambda: render(CSRF_PLACEHOLDER),
        fresh_for=fresh_for,
    )
    return mark_safe(_put_back(request, html, nonce=""))  # noqa: S308 - our own rendering


def _put_back(request, html: str, nonce: str) -> str:
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    if NONCE_PLACEHOLDER in html:
        html = html.replace(NONCE_PLACEHOLDER, nonce)
    return html


def _with_request_bits(request, response: HttpResponse) -> HttpResponse:
    content = getattr(response, "content", b"")
    if CSRF_PLACEHOLDER.encode() in content:
        response.content = content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    return response
