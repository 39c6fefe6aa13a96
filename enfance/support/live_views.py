"""The lives' pages: the list, and one live with its questions (rules in lives.py); and the
public figures of the module (stats.py)."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from enfance.core.access import get_visible_or_404
from enfance.core.cache import digest, version
from enfance.core.charts import horizontal_bars
from enfance.core.csv_export import csv_response
from enfance.core.forms import act, told
from enfance.core.pagecache import visitor_page
from enfance.events.caching import EVENTS
from enfance.events.enums import EventKind
from enfance.events.models import Event
from enfance.events.perms import is_host
from enfance.measures.stats import SECRECY_THRESHOLD

from . import consultation, lives, stats, testimonies
from .enums import QuestionStatus
from .forms import QuestionForm, RecordForm
from .models import LiveQuestion, LiveRecord
from .views import PER_PAGE, breadcrumb

HOUR = 3600

SHOWN = (QuestionStatus.SHOWN, QuestionStatus.ANSWERED)


def _lives():
    return Event.objects.public().filter(kind=EventKind.LIVE)


@login_not_required
def lives_page(request):
    # The same for every visitor until an event changes (events.signals) or the hour turns
    # (what is « à venir » moves with the clock), as the agenda is.
    hour = f"{timezone.localtime():%Y%m%d%H}"
    return visitor_page(
        request,
        f"support:lives:{version(EVENTS)}:{digest(sorted(request.GET.lists()))}",
        lambda **extra: _lives_page(request, extra),
        fresh_for=HOUR,
        token=hour,
    )


def _lives_page(request, extra):
    now = timezone.now()
    return render(
        request,
        "support/lives.html",
        {
            "upcoming": _lives().upcoming(now).order_by("starts_at")[:20],
            "page_obj": Paginator(_lives().past(now).order_by("-starts_at"), PER_PAGE).get_page(
                request.GET.get("page")
            ),
            "breadcrumb_data": breadcrumb(current="Lives d'écoute"),
            **extra,
        },
    )


@login_not_required
def live_page(request, pk):
    event = get_visible_or_404(_lives().prefetch_related("hosts"), pk=pk)
    user = request.user
    hosting = is_host(user, event)
    questions = LiveQuestion.objects.filter(event=event)
    record = LiveRecord.objects.filter(event=event).first()
    return render(
        request,
        "support/live.html",
        {
            "event": event,
            "hosting": hosting,
            "shown": questions.filter(status__in=SHOWN),
            "mine": questions.filter(author=user, status=QuestionStatus.PENDING)
            if user.is_authenticated
            else [],
            "pending": questions.filter(status=QuestionStatus.PENDING) if hosting else [],
            "open": lives.open_for_questions(event),
            "question_form": QuestionForm() if user.is_authenticated else None,
            "record": record,
            "record_form": RecordForm(
                initial={"replay_url": record.replay_url, "summary": record.summary}
                if record
                else None
            )
            if hosting and timezone.now() >= event.ends_at
            else None,
            "breadcrumb_data": breadcrumb(
                {"url": reverse("support:lives"), "title": "Lives d'écoute"}, current=event.title
            ),
        },
    )


def _event(pk):
    return get_visible_or_404(_lives().prefetch_related("hosts"), pk=pk)


def _question(event, question_pk) -> LiveQuestion:
    return get_visible_or_404(LiveQuestion.objects.filter(event=event), pk=question_pk)


@require_POST
def ask(request, pk):
    event = _event(pk)
    act(
        request,
        QuestionForm(request.POST),
        lambda data: lives.ask(event, by=request.user, **data),
        "Merci : votre question sera affichée dès qu'un animateur l'aura relue.",
    )
    return redirect("support:live", pk=event.pk)


QUESTION_ACTIONS = {
    "afficher": (lambda q, by: lives.moderate(q, by=by, show=True), "La question est affichée."),
    "ecarter": (
        lambda q, by: lives.moderate(q, by=by, show=False),
        "La question n'est pas retenue.",
    ),
    "repondue": (lambda q, by: lives.mark_answered(q, by=by), "La question est marquée répondue."),
    "soutenir": (lambda q, by: lives.support(q, by=by), "Votre soutien est compté."),
}


@require_POST
def question_action(request, pk, question_pk, action):
    if action not in QUESTION_ACTIONS:
        raise Http404
    event = _event(pk)
    question = _question(event, question_pk)
    service, success = QUESTION_ACTIONS[action]
    told(request, lambda: service(question, request.user), success)
    return redirect(f"{reverse('support:live', args=[event.pk])}#question-{question.pk}")


@require_POST
def record(request, pk):
    event = _event(pk)
    act(
        request,
        RecordForm(request.POST),
        lambda data: lives.publish_record(event, by=request.user, **data),
        "Le replay et la synthèse sont publiés.",
    )
    return redirect("support:live", pk=event.pk)


@login_not_required
def figures(request):
    rows = stats.response_times()
    shown = [r for r in rows if r.within_percent is not None]
    consulted, consulted_total = consultation.shares()
    themes, flagship, testimonies_total = testimonies.counts()
    return render(
        request,
        "support/figures.html",
        {
            "rows": rows,
            "answer_hours": settings.SUPPORT_FIRST_ANSWER_HOURS,
            "secrecy": SECRECY_THRESHOLD,
            "consulted": consulted,
            "consulted_total": consulted_total,
            "testimony_themes": themes,
            "testimony_flagship": flagship,
            "testimonies_total": testimonies_total,
            "chart": horizontal_bars(
                ((r.label, r.within_percent, f"{r.within_percent} %") for r in shown),
                maximum=100,
                left=300,
                length=200,
            ),
            "breadcrumb_data": breadcrumb(current="Les délais de réponse"),
        },
    )


@login_not_required
def figures_csv(request):
    header = ["sujet", "demandes", "delai_median_heures", "part_dans_le_delai_pourcent"]
    return csv_response(
        [
            header,
            *(
                [
                    r.label,
                    "" if r.hidden else r.requests,
                    "" if r.median_hours is None else r.median_hours,
                    "" if r.within_percent is None else r.within_percent,
                ]
                for r in stats.response_times()
            ),
        ],
        filename="soutien-delais-de-reponse.csv",
    )
