"""Declaring, reviewing and highlighting practices. The public library is in library_views.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from enfance.core.access import get_visible_or_404, require
from enfance.core.models import Event as LogEntry

from . import services
from .enums import (
    CONDITIONS,
    CONDITIONS_VERSION,
    PRACTICE_WORKFLOW,
    QUEUE_STATES,
    EvidenceLevel,
    EvidenceStage,
    MarkCriterion,
    PracticeLevel,
    PracticeState,
    ReferenceList,
)
from .forms import (
    ONPE_SECTIONS,
    OPTION_FIELDS,
    AgreementForm,
    ConditionsForm,
    ConflictForm,
    EvidenceForm,
    MarkForm,
    MessageForm,
    OnpeFicheForm,
    OptionForm,
    PracticeForm,
    QueueFilterForm,
    RefusalForm,
    RequestInformationForm,
)
from .models import Practice, PracticeMark, ReferenceOption
from .perms import (
    can_decide_on_practice,
    can_edit_practice,
    can_follow_practice,
    can_manage_options,
    can_mark_practice,
    can_rate_evidence,
    can_see_queue,
    can_write_in_thread,
    can_write_onpe_fiche,
    has_conflict,
    is_committee_member,
    is_declarant,
)

PER_PAGE = 20


def _posted(request):
    # An empty POST is still a submission: its errors must show.
    return request.POST if request.method == "POST" else None


def _breadcrumb(*links, current: str) -> dict:
    root = {"url": reverse("practices:about"), "title": "Pratiques inspirantes"}
    return {"links": [root, *links], "current": current, "root_dir": reverse("core:home")}


def _followed(request, pk) -> Practice:
    queryset = Practice.objects.visible_to(request.user).with_labels().select_related("declarant")
    practice = get_visible_or_404(queryset, pk=pk)
    if not practice.is_published:
        require(request.user, can_follow_practice, practice)
    return practice


def fiche_context(practice: Practice) -> dict:
    """What _fields.html shows: option labels with their precision, and the ONPE sections."""
    return {
        "practice_labels": {name: practice.option_label(name) for name in OPTION_FIELDS},
        "onpe_sections": [
            (Practice._meta.get_field(name).verbose_name.capitalize(), getattr(practice, name))
            for name in ONPE_SECTIONS
        ],
    }


# Public pages ---------------------------------------------------------------------------------


def _spaces(user) -> list[tuple[str, str]]:
    """The working pages this person may open, linked from the dispositif's page."""
    if not user.is_authenticated:
        return []
    spaces = [("Mes déclarations", reverse("practices:mine"))]
    if can_see_queue(user):
        spaces.append(("Comité de sélection : pratiques à examiner", reverse("practices:queue")))
    if can_write_onpe_fiche(user):
        spaces.append(("Fiches dispositifs ONPE", reverse("practices:onpe_fiches")))
    if can_manage_options(user):
        spaces.append(("Listes du formulaire", reverse("practices:options")))
    return spaces


@login_not_required
def about(request):
    return render(
        request,
        "practices/about.html",
        {
            "conditions": CONDITIONS[CONDITIONS_VERSION],
            "spaces": _spaces(request.user),
            "breadcrumb_data": {
                "current": "Pratiques inspirantes",
                "root_dir": reverse("core:home"),
            },
        },
    )


@login_not_required
def evidence_scale(request):
    return render(
        request,
        "practices/evidence_scale.html",
        {
            "stages": EvidenceStage.choices,
            "levels": EvidenceLevel.choices,
            "breadcrumb_data": _breadcrumb(current="L'échelle de preuve"),
        },
    )


@login_not_required
def highlights(request, year=None):
    this_year = timezone.localdate().year
    year = year or this_year
    years = sorted(
        set(PracticeMark.objects.values_list("year", flat=True).distinct()) | {this_year},
        reverse=True,
    )
    counts = {
        criterion: Count("marks", filter=Q(marks__year=year, marks__criterion=criterion))
        for criterion in MarkCriterion.values
    }
    practices = (
        Practice.objects.published()
        .filter(marks__year=year)
        .distinct()
        .with_labels()
        .annotate(**{f"marks_{c}": n for c, n in counts.items()})
        .annotate(marks_total=Count("marks", filter=Q(marks__year=year), distinct=True))
        .order_by("-marks_total", "title")
    )
    rows = [
        {
            "practice": p,
            "counts": [
                (label, getattr(p, f"marks_{value}")) for value, label in MarkCriterion.choices
            ],
        }
        for p in practices
    ]
    return render(
        request,
        "practices/highlights.html",
        {
            "year": year,
            "years": years,
            "rows": rows,
            "breadcrumb_data": _breadcrumb(current=f"Pratiques distinguées en {year}"),
        },
    )


# Declaring ------------------------------------------------------------------------------------


# Never from the browser's cache: the page's acceptance token must be new each time it is shown.
@never_cache
def declare(request):
    """Seed 004's "Informations préalables": the conditions come before the form."""
    form = ConditionsForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        practice = services.start_declaration(
            by=request.user, accepted=True, token=form.cleaned_data["acceptance"]
        )
        messages.success(request, "Merci. Vous pouvez maintenant présenter votre pratique.")
        return redirect("practices:edit", pk=practice.pk)
    return render(
        request,
        "practices/declare.html",
        {
            "form": form,
            "conditions": CONDITIONS[CONDITIONS_VERSION],
            "breadcrumb_data": _breadcrumb(current="Déclarer une pratique"),
        },
    )


def edit(request, pk):
    practice = _followed(request, pk)
    require(request.user, can_edit_practice, practice)
    form_class = OnpeFicheForm if practice.is_onpe_fiche else PracticeForm
    action = request.POST.get("action", "draft")
    form = form_class(_posted(request), instance=practice, saving_draft=action == "draft")
    if request.method == "POST" and form.is_valid():
        try:
            practice = services.save_practice(
                by=request.user, practice=practice, fields=form.values()
            )
            if action == "submit" and practice.state == PracticeState.DRAFT:
                if practice.is_onpe_fiche:
                    services.publish_onpe_fiche(by=request.user, practice=practice)
                    messages.success(request, "La fiche dispositif est publiée.")
                else:
                    services.submit_practice(by=request.user, practice=practice)
                    messages.success(
                        request,
                        "Votre pratique est transmise au comité de sélection. "
                        "Vous recevrez un courriel à chaque étape.",
                    )
                return redirect("practices:review", pk=practice.pk)
            if action == "submit" and practice.state == PracticeState.INFORMATION_REQUESTED:
                services.resubmit_practice(
                    by=request.user, practice=practice, message=request.POST.get("reply", "")
                )
                messages.success(request, "Votre pratique complétée est renvoyée au comité.")
                return redirect("practices:review", pk=practice.pk)
            messages.success(request, "Brouillon enregistré. Vous pouvez reprendre plus tard.")
            return redirect("practices:edit", pk=practice.pk)
        except ValidationError as error:
            form.add_error(None, error.messages)
    return render(
        request,
        "practices/edit.html",
        {
            "form": form,
            "practice": practice,
            "breadcrumb_data": _breadcrumb(
                {"url": reverse("practices:onpe_fiches"), "title": "Fiches dispositifs ONPE"}
                if practice.is_onpe_fiche
                else {"url": reverse("practices:mine"), "title": "Mes déclarations"},
                current=str(practice),
            ),
        },
    )


def mine(request):
    practices = Practice.objects.declared_by(request.user).with_labels()
    page = Paginator(practices, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "practices/mine.html",
        {"page_obj": page, "breadcrumb_data": _breadcrumb(current="Mes déclarations")},
    )


# Following and reviewing ----------------------------------------------------------------------


def review(request, pk):
    return _review_page(request, _followed(request, pk))


def _review_page(request, practice, failed_form=None):
    """One page for a fiche that is not public yet: every field, the history, the thread and
    the actions this person may take (the buttons follow the permissions).

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
    abilities = {
        "edit": can_edit_practice(user, practice),
        "write": can_write_in_thread(user, practice),
        "decide": can_decide_on_practice(user, practice),
        "declare_conflict": is_committee_member(user)
        and not is_declarant(user, practice)
        and not has_conflict(user, practice),
        "has_conflict": has_conflict(user, practice),
        "rate": can_rate_evidence(user, practice),
        "mark": can_mark_practice(user, practice) and practice.is_published,
    }
    transitions = [
        t
        for t in PRACTICE_WORKFLOW.available(practice, user)
        if t.name not in ("submit", "resubmit", "publish_onpe")
    ]
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
            "transitions": transitions,
            **forms,
            "failed_form": failed_form,
            "my_marks": [(c, MarkCriterion(c).label) for c in sorted(my_marks)],
            "breadcrumb_data": _breadcrumb(
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
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error.messages)
    return _review_page(request, practice, failed_form=form)


def _fail(request, practice, error: ValidationError):
    for message in error.messages:
        messages.error(request, message)
    return _back(practice)


@require_POST
def transition(request, pk, name):
    practice = _followed(request, pk)
    user = request.user
    if name in ("request_information", "refuse"):
        return _decide_with_text(request, practice, name)
    actions = {
        "take_for_review": lambda: services.take_for_review(by=user, practice=practice),
        "publish": lambda: services.publish_practice(by=user, practice=practice),
        "unpublish": lambda: services.unpublish_onpe_fiche(by=user, practice=practice),
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
            services.refuse_practice(
                by=request.user, practice=practice, reason=form.cleaned_data["reason"]
            )
        else:
            services.request_information(
                by=request.user, practice=practice, message=form.cleaned_data["body"]
            )
    except ValidationError as error:
        return _refused(request, practice, form, error)
    messages.success(request, f"C'est fait : {PRACTICE_WORKFLOW.get(name).label}.")
    return _back(practice)


@require_POST
def message(request, pk):
    practice = _followed(request, pk)
    require(request.user, can_write_in_thread, practice)
    form = MessageForm(request.POST)
    if not form.is_valid():
        return _refused(request, practice, form)
    try:
        services.post_message(by=request.user, practice=practice, body=form.cleaned_data["body"])
    except ValidationError as error:
        return _refused(request, practice, form, error)
    messages.success(request, "Message envoyé.")
    return _back(practice)


@require_POST
def agreement(request, pk):
    practice = _followed(request, pk)
    require(request.user, can_decide_on_practice, practice)
    form = AgreementForm(request.POST)
    if not form.is_valid():
        return _refused(request, practice, form)
    try:
        services.record_departement_agreement(
            by=request.user,
            practice=practice,
            given_by=form.cleaned_data["given_by"],
            given_on=form.cleaned_data["given_on"],
        )
    except ValidationError as error:
        return _refused(request, practice, form, error)
    messages.success(request, "L'accord du département est enregistré.")
    return _back(practice)


@require_POST
def conflict(request, pk):
    practice = _followed(request, pk)
    require(request.user, is_committee_member, practice)
    form = ConflictForm(request.POST)
    if not form.is_valid():
        return _refused(request, practice, form)
    try:
        services.declare_conflict(
            by=request.user, practice=practice, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        return _refused(request, practice, form, error)
    messages.success(
        request, "Votre conflit d'intérêts est enregistré : vous ne déciderez pas sur cette fiche."
    )
    return _back(practice)


@require_POST
def evidence(request, pk):
    practice = _followed(request, pk)
    require(request.user, can_rate_evidence, practice)
    form = EvidenceForm(request.POST)
    if not form.is_valid():
        return _refused(request, practice, form)
    try:
        services.set_evidence(
            by=request.user,
            practice=practice,
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
    practice = _followed(request, pk)
    require(request.user, can_mark_practice, practice)
    if request.POST.get("remove"):
        services.unmark_practice(
            by=request.user, practice=practice, criterion=request.POST.get("remove")
        )
        messages.success(request, "Distinction retirée.")
        return _back(practice)
    form = MarkForm(request.POST)
    if not form.is_valid():
        return _refused(request, practice, form)
    try:
        services.mark_practice(
            by=request.user,
            practice=practice,
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
            "breadcrumb_data": _breadcrumb(current="Comité de sélection"),
        },
    )


# Level 2 ------------------------------------------------------------------------------------


def onpe_fiches(request):
    require(request.user, can_write_onpe_fiche)
    practices = (
        Practice.objects.filter(level=PracticeLevel.ONPE)
        .with_labels()
        .order_by("-updated_at", "-pk")
    )
    page = Paginator(practices, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "practices/onpe_list.html",
        {"page_obj": page, "breadcrumb_data": _breadcrumb(current="Fiches dispositifs ONPE")},
    )


def onpe_new(request):
    require(request.user, can_write_onpe_fiche)
    practice = Practice(level=PracticeLevel.ONPE, declarant=request.user)
    form = OnpeFicheForm(_posted(request), instance=practice, saving_draft=True)
    if request.method == "POST" and form.is_valid():
        practice = services.create_onpe_fiche(by=request.user, fields=form.values())
        messages.success(request, "Fiche enregistrée comme brouillon.")
        return redirect("practices:edit", pk=practice.pk)
    return render(
        request,
        "practices/edit.html",
        {
            "form": form,
            "practice": None,
            "breadcrumb_data": _breadcrumb(
                {"url": reverse("practices:onpe_fiches"), "title": "Fiches dispositifs ONPE"},
                current="Nouvelle fiche",
            ),
        },
    )


# The option lists -----------------------------------------------------------------------------


def options(request):
    require(request.user, can_manage_options)
    by_list = {value: [] for value in ReferenceList.values}
    for option in ReferenceOption.objects.order_by("list", "position", "pk"):
        by_list[option.list].append(option)
    return render(
        request,
        "practices/options.html",
        {
            "lists": [(ReferenceList(value), items) for value, items in by_list.items()],
            "breadcrumb_data": _breadcrumb(current="Listes du formulaire"),
        },
    )


def option_edit(request, list_name, pk=None):
    require(request.user, can_manage_options)
    if list_name not in ReferenceList.values:
        raise Http404
    if pk is None:
        option = ReferenceOption(list=list_name)
    else:
        option = get_visible_or_404(ReferenceOption.objects.filter(list=list_name), pk=pk)
    form = OptionForm(_posted(request), instance=option)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_option(by=request.user, option=option, fields=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, f"Option « {option.label} » enregistrée.")
            return redirect("practices:options")
    title = f"{ReferenceList(list_name).label} : " + (
        "nouvelle option" if pk is None else f"« {option.label} »"
    )
    return render(
        request,
        "practices/option_edit.html",
        {
            "form": form,
            "title": title,
            "breadcrumb_data": _breadcrumb(
                {"url": reverse("practices:options"), "title": "Listes du formulaire"},
                current=title,
            ),
        },
    )
