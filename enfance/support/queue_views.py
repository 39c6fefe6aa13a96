"""The professionals' triage queue: the waiting requests of their subjects and territory, the
oldest first, those close to or past the time of a first answer flagged; and their subjects."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from enfance.core.cache import digest, version
from enfance.core.forms import act
from enfance.core.pagecache import shared_fragment

from . import perms, services
from .enums import RequestStatus
from .forms import QueueFilterForm, SubjectsForm
from .models import SupportRequest
from .signals import QUEUE_VERSION
from .views import CONFIDED, PER_PAGE, breadcrumb

# A waiting request is flagged « bientôt en retard » this long before its first answer is due.
SOON = timedelta(hours=24)
# The table is the same for every professional with the same subjects and territory: kept this
# long at most (a flag « en retard » may show a minute late), and until a request changes.
TABLE_SECONDS = 60


def _table(request, where, form) -> str:
    waiting = (
        SupportRequest.objects.waiting()
        .filter(where)
        .select_related("departement")
        .defer(*CONFIDED)
    )
    if form.is_valid():
        if form.cleaned_data["sujet"]:
            waiting = waiting.filter(subject=form.cleaned_data["sujet"])
        if form.cleaned_data["age"]:
            waiting = waiting.filter(child_age=form.cleaned_data["age"])
    page = Paginator(waiting.order_by("created_at", "pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    now = timezone.now()
    for found in page:
        found.late = now >= found.answer_due
        found.soon = not found.late and now >= found.answer_due - SOON
    return render_to_string(
        "support/_queue_table.html", {"page_obj": page, "form": form}, request=request
    )


def queue(request):
    if not perms.is_professional(request.user):
        raise PermissionDenied
    where = perms.queue_filter(request.user)
    form = QueueFilterForm(request.GET or None)
    table = None
    if where is not None:
        asked = (str(where), sorted(request.GET.lists()))
        table = shared_fragment(
            request,
            f"support:queue:{version(QUEUE_VERSION)}:{digest(asked)}",
            lambda _csrf_token: _table(request, where, form),
            fresh_for=TABLE_SECONDS,
        )
    return render(
        request,
        "support/queue.html",
        {
            "table": table,
            "form": form,
            "followed": SupportRequest.objects.filter(
                handler=request.user, status=RequestStatus.TAKEN
            )
            .select_related("departement")
            .defer(*CONFIDED),
            "answer_hours": settings.SUPPORT_FIRST_ANSWER_HOURS,
            "subjects_form": SubjectsForm(
                initial={"subjects": sorted(perms.subjects_of(request.user))}
            ),
            "breadcrumb_data": breadcrumb(current="File des demandes"),
        },
    )


@require_POST
def subjects(request):
    if not perms.is_professional(request.user):
        raise PermissionDenied
    act(
        request,
        SubjectsForm(request.POST),
        lambda data: services.set_subjects(request.user, data["subjects"]),
        "Vos sujets sont enregistrés : votre file les suit.",
    )
    return redirect("support:queue")
