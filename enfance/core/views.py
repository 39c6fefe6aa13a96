import sys

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from . import health
from . import home as home_registry
from . import privacy as privacy_registry
from .cache import versions
from .models import LogEntry
from .navigation import breadcrumb
from .pagecache import visitor_page

# The home page's sections are stale when their versions are bumped or their token changes;
# what is "upcoming" also moves with the clock, so a visitor's copy is kept no longer than this.
HOME_FRESH_SECONDS = 300
# The best few items of each search source, and the longest query read (fulltext reads less).
SEARCH_RESULTS_PER_SOURCE = 5
MAX_SEARCH_CHARACTERS = 10_000
# A restarting database or cache is usually back within seconds (bench/README.md, faults).
RETRY_AFTER_SECONDS = 5


@login_not_required
def home(request):
    def build(**extra):
        return render(
            request,
            "core/home.html",
            {"sections": home_registry.rendered_sections(request), **extra},
        )

    return visitor_page(
        request,
        f"core:home:{versions(*home_registry.section_versions())}",
        build,
        fresh_for=HOME_FRESH_SECONDS,
        token=home_registry.section_tokens(),
    )


@login_not_required
def search(request):
    """One search over every module's public items, the best few of each."""
    query = " ".join(request.GET.get("q", "")[:MAX_SEARCH_CHARACTERS].split())
    groups = []
    if query:
        for source in home_registry.sources():
            groups.append(
                {
                    "label": source.label,
                    "results": source.find(query, SEARCH_RESULTS_PER_SOURCE),
                    "more_url": source.more_url(query) if source.more_url else None,
                }
            )
    return render(
        request,
        "core/search.html",
        {
            "query": query,
            "groups": groups,
            "found": any(group["results"] for group in groups),
            "breadcrumb_data": breadcrumb(current="Recherche"),
        },
    )


@login_not_required
@never_cache
def healthz(request):
    results = health.check_all()
    healthy = all(result == "ok" for result in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "indisponible", **results}, status=200 if healthy else 503
    )


@login_not_required
def reference(request):
    """The benchmarks' yardstick: the cheapest response this stack can give (no database)."""
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


@login_not_required
def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@login_not_required
@requires_csrf_token
def server_error(request):
    # No context processors: the database or a processor may be what failed. A dependency that
    # is restarting is no error of ours: the person is told to retry in a moment (503).
    if health.is_outage(sys.exc_info()[1]):
        template = loader.get_template("503.html")
        response = HttpResponse(template.render({"request": request}), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    template = loader.get_template("500.html")
    return HttpResponse(template.render({"request": request}), status=500)


def _legal_facts() -> dict:
    """What the operator of this installation says of itself (settings, from the environment)."""
    return {
        "publisher": settings.LEGAL_PUBLISHER,
        "publication_director": settings.LEGAL_PUBLICATION_DIRECTOR,
        "host": settings.LEGAL_HOST,
        "contact_email": settings.LEGAL_CONTACT_EMAIL,
    }


@login_not_required
def about(request):
    return render(request, "core/about.html")


@login_not_required
def accessibility(request):
    return render(request, "core/accessibility.html", {"legal": _legal_facts()})


@login_not_required
def privacy(request):
    """The retention table is written from the modules' declarations (core.privacy): the page
    says what the code does."""
    return render(
        request,
        "core/privacy.html",
        {"legal": _legal_facts(), "declarations": privacy_registry.declarations()},
    )


@login_not_required
def processing_register(request):
    return render(
        request,
        "core/processing_register.html",
        {"legal": _legal_facts(), "declarations": privacy_registry.declarations()},
    )


@login_not_required
def legal_notice(request):
    return render(request, "core/legal_notice.html", {"legal": _legal_facts()})


def event_log(request):
    if not request.user.has_perm("core.view_event_log"):
        raise PermissionDenied
    events = LogEntry.objects.with_actor()
    action = request.GET.get("action", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "core/event_log.html", {"page_obj": page, "action": action})


@login_not_required
def too_many_requests(request, exception=None):
    return render(request, "429.html", status=429)
