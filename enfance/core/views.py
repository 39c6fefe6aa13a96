from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from . import privacy as privacy_registry
from .models import LogEntry
from .pagecache import visitor_page

# The home page shows nothing that changes between deployments yet: a visitor's copy is kept
# for this long (the layout's links and the assets token are in it).
HOME_FRESH_SECONDS = 3600


@login_not_required
def home(request):
    return visitor_page(
        request,
        "core:home",
        lambda **extra: render(request, "core/home.html", extra),
        fresh_for=HOME_FRESH_SECONDS,
    )


@login_not_required
@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "indisponible", "database": "erreur"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


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
    # No context processors: the database or a processor may be what failed.
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
