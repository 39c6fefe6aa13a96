"""The review page of a fiche that is not public yet, the committee's decisions on it, and the
committee's queue."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from enfance.core.access import require
from enfance.core.forms import add_service_errors
from enfance.core.models import LogEntry

from . import services
from .enums import QUEUE_STATES, MarkCriterion, PracticeLevel, PracticeState
from .forms import (
    ONPE_SECTIONS,
    OPTION_FIELDS,
    AgreementForm,
    ConflictForm,
    EvidenceForm,
    MarkForm,
    MessageForm,
    QueueFilterForm,
    RefusalForm,
    RequestInformationForm,
)
from .models import Practice
from .perms import (
    can_decide_on_practice,
    can_mark_practice,
    can_rate_evidence,
    can_see_queue,
    can_write_in_thread,
    has_conflict,
    is_committee_member,
    is_declarant,
)
from .views import PER_PAGE, breadcrumb, followed_practice
from .workflows import PRACTICE_WORKFLOW


def fiche_context(practice: Practice) -> dict:
    """What _fields.html shows: option labels with their precision, and the ONPE sections."""
    return {
        "practice_labels": {name: practice.option_label(name) for name in OPTION_FIELDS},
        "onpe_sections": [
            (Practice._meta.get_field(name).verbose_name.capitalize(), getattr(practice, name))
            for name in ONPE_SECTIONS
        ],
    }


def review(request, pk):
    return _review_page(request, followed_practice(request, pk))


def _review_page(request, practice, failed_form=None):
    """One page for a fiche that is not public yet: every field, the history, the thread and
    the actions this person may take (the buttons follow its abilities: what the services accept).

    ``failed_form`` is a form of this page that was posted and refused: the page shows it as
    typed, with its errors, instead of an empty one."""
    user = request.user
    thread = practice.messages.select_related("author")
    history = (
        LogEntry.objects.filter(target_type=Practice._meta.label_lower, target_id=str(practice.pk))
        .select_related("actor")
        .order_by("id")
    )
    if is_declarant(user, practice) and not is_committee_member(user):
        # The declarant sees the steps, not the committee's internal notes.
        history = history.exclude(action="practices.practice.conflict_of_interest")
    abilities = practice.abilities(user)
    my_marks = (
        set(practice.marks.filter(member=user).values_list("criterion", flat=True))
        if abilities["mark"]
        else set()
    )
    forms = {
        "message_form": MessageForm(),
        "request_form": RequestInformationForm(auto_id="id_request_%s"),
        "refusal_form": RefusalForm(auto_id="id_refuse_%s"),
        "agreement_form": AgreementForm(),
        "conflict_form": ConflictForm(),
        "evidence_form": EvidenceForm(
            initial={
                "stage": practice.evidence_stage,
                "level": practice.evidence_level,
                "reviewed_on": practice.reviewed_on or timezone.localdate(),
            }
        ),
        "mark_form": MarkForm(),
    }
    if failed_form is not None:
        name = next(key for key, form in forms.items() if type(form) is type(failed_form))
        forms[name] = failed_form
    return render(
        request,
        "practices/review.html",
        {
            "practice": practice,
            **fiche_context(practice),
            "thread": thread,
            "history": history,
            "abilities": abilities,
            "has_conflict": has_conflict(user, practice),
            **forms,
            "failed_form": failed_form,
            "my_marks": [(c, MarkCriterion(c).label) for c in sorted(my_marks)],
            "breadcrumb_data": breadcrumb(
                *(
                    [{"url": reverse("practices:queue"), "title": "Comité de sélection"}]
                    if can_see_queue(user)
                    else [{"url": reverse("practices:mine"), "title": "Mes déclarations"}]
                ),
                current=str(practice),
            ),
        },
    )


def _back(practice):
    return redirect("practices:review", pk=practice.pk)


def _refused(request, practice, form, error: ValidationError | None = None):
    """The review page again, with the refused form as typed and its errors in French."""
    if error is not None:
        add_service_errors(form, error)
    return _review_page(request, practice, failed_form=form)


def _fail(request, practice, error: ValidationError):
    for message in error.messages:
        messages.error(request, message)
    return _back(practice)


@require_POST
def transition(request, pk, name):
    practice = followed_practice(request, pk)
    user = request.user
    if name in ("request_information", "refuse"):
        return _decide_with_text(request, practice, name)
    actions = {
        "take_for_review": lambda: services.take_for_review(practice, by=user),
        "publish": lambda: services.publish_practice(practice, by=user),
        "unpublish": lambda: services.unpublish_onpe_fiche(practice, by=user),
    }
    if name not in actions:
        raise PermissionDenied
    try:
        actions[name]()
    except ValidationError as error:
        return _fail(request, practice, error)
    messages.success(request, f"C'est fait : {PRACTICE_WORKFLOW.get(name).label}.")
    return _back(practice)


def _decide_with_text(request, practice, name):
    """The two decisions that come with a text the declarant reads: refused, the text stays."""
    require(request.user, can_decide_on_practice, practice)
    if name == "refuse":
        form = RefusalForm(request.POST, auto_id="id_refuse_%s")
    else:
        form = RequestInformationForm(request.POST, auto_id="id_request_%s")
    if not form.is_valid():
        return _refused(request, practice, form)
    try:
        if name == "refuse":
            services.refuse_practice(practice, by=request.user, reason=form.cleaned_data["reason"])
        else:
            services.request_information(
                practice, by=request.user, message=form.cleaned_data["body"]
            )
    except ValidationError as error:
        return _refused(request, practice, form, error)
    messages.success(request, f"C'est fait : {PRACTICE_WORKFLOW.get(name).label}.")
    return _back(practice)


@require_POST
def message(request, pk):
    practice = followed_practice(request, pk)
    require(request.user, can_write_in_thread, practice)
    form = MessageForm(request.POST)
    if not form.is_valid():
        return _refused(request, practice, form)
    try:
        services.post_message(practice, by=request.user, body=form.cleaned_data["body"])
    except ValidationError as error:
        return _refused(request, practice, form, error)
    messages.success(request, "Message envoyé.")
    return _back(practice)


@require_POST
def agreement(request, pk):
    practice = followed_practice(request, pk)
    require(request.user, can_decide_on_practice, practice)
    form = AgreementForm(request.POST)
    if not form.is_valid():
        return _refused(request, practice, form)
    try:
        services.record_departement_agreement(
            practice,
            by=request.user,
            given_by=form.cleaned_data["given_by"],
            given_on=form.cleaned_data["given_on"],
        )
    except ValidationError as error:
        return _refused(request, practice, form, error)
    messages.success(request, "L'accord du département est enregistré.")
    return _back(practice)


@require_POST
def conflict(request, pk):
    practice = followed_practice(request, pk)
    require(request.user, is_committee_member, practice)
    form = ConflictForm(request.POST)
    if not form.is_valid():
        return _refused(request, practice, form)
    try:
        services.declare_conflict(practice, by=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        return _refused(request, practice, form, error)
    messages.success(
        request, "Votre conflit d'intérêts est enregistré : vous ne déciderez pas sur cette fiche."
    )
    return _back(practice)


@require_POST
def evidence(request, pk):
    practice = followed_practice(request, pk)
    require(request.user, can_rate_evidence, practice)
    form = EvidenceForm(request.POST)
    if not form.is_valid():
        return _refused(request, practice, form)
    try:
        services.set_evidence(
            practice,
            by=request.user,
            stage=form.cleaned_data["stage"],
            level=form.cleaned_data["level"],
            reviewed_on=form.cleaned_data["reviewed_on"],
        )
    except ValidationError as error:
        return _refused(request, practice, form, error)
    messages.success(request, "Le niveau de preuve est enregistré.")
    return _back(practice)


@require_POST
def mark(request, pk):
    practice = followed_practice(request, pk)
    require(request.user, can_mark_practice, practice)
    if request.POST.get("remove"):
        services.unmark_practice(practice, by=request.user, criterion=request.POST.get("remove"))
        messages.success(request, "Distinction retirée.")
        return _back(practice)
    form = MarkForm(request.POST)
    if not form.is_valid():
        return _refused(request, practice, form)
    try:
        services.mark_practice(
            practice,
            by=request.user,
            criterion=form.cleaned_data["criterion"],
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as error:
        return _refused(request, practice, form, error)
    messages.success(request, "Fiche distinguée.")
    return _back(practice)


def queue(request):
    require(request.user, can_see_queue)
    form = QueueFilterForm(request.GET or None)
    practices = (
        Practice.objects.filter(level=PracticeLevel.DECLARED)
        .exclude(state=PracticeState.DRAFT)
        .with_labels()
        .select_related("declarant", "reviewer")
        .annotate(message_count=Count("messages"))
        .order_by("submitted_at", "pk")
    )
    filters = form.cleaned_data if form.is_valid() else {}
    state = filters.get("state")
    practices = practices.filter(state=state) if state else practices.filter(state__in=QUEUE_STATES)
    if filters.get("theme"):
        practices = practices.filter(theme=filters["theme"])
    if filters.get("departement"):
        practices = practices.filter(departement=filters["departement"])
    if filters.get("q"):
        practices = practices.filter(
            Q(title__icontains=filters["q"]) | Q(entity_name__icontains=filters["q"])
        )
    page = Paginator(practices, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "practices/queue.html",
        {
            "form": form,
            "page_obj": page,
            "breadcrumb_data": breadcrumb(current="Comité de sélection"),
        },
    )
