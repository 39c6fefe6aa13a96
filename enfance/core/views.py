from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from .models import Event


@login_not_required
def home(request):
    return render(request, "core/home.html")


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


@login_not_required
def accessibility(request):
    return render(request, "core/accessibility.html")


@login_not_required
def privacy(request):
    return render(request, "core/privacy.html")


def event_log(request):
    if not request.user.has_perm("core.view_event_log"):
        raise PermissionDenied
    events = Event.objects.with_actor()
    action = request.GET.get("action", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "core/event_log.html", {"page_obj": page, "action": action})


@login_not_required
def too_many_requests(request, exception=None):
    return render(request, "429.html", status=429)
