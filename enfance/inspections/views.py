"""The pages of the contrôleurs and of the structures they inspect. Views stay thin: the rules
are in services.py, the rights in perms.py, what a page offers in ``inspection.abilities``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from enfance.care.models import Structure
from enfance.core.access import get_visible_or_404
from enfance.core.forms import act, add_service_errors, told
from enfance.core.models import LogEntry

from . import perms, reports, services
from .enums import PUBLIC_STATUSES, InspectionStatus, Origin
from .forms import (
    LINK,
    ActionForm,
    AnswerForm,
    FindingForm,
    InterestForm,
    JudgeForm,
    ObservationsForm,
    OpenInspectionForm,
    ReportForm,
    finding_initial,
)
from .models import Alert, Criterion, Finding, Inspection, PlanEntry, RequiredAction, Theme
from .public_views import PER_PAGE, breadcrumb
from .workflows import INSPECTION_WORKFLOW

JOURNAL_PER_PAGE = 50


def _readable():
    return Inspection.objects.select_related("structure__departement__region", "referentiel")


def _inspection(request, pk) -> Inspection:
    return get_visible_or_404(_readable().filter(perms.readable(request.user)).distinct(), pk=pk)


def _inspections_link() -> dict:
    return {"url": reverse("inspections:inspections"), "title": "Inspections"}


def _inspection_link(inspection) -> dict:
    return {"url": inspection.get_absolute_url(), "title": f"Inspection n° {inspection.pk}"}


def inspections(request):
    user = request.user
    involved = perms.involved(user)
    if involved is None:
        raise PermissionDenied
    listed = _readable().filter(involved).prefetch_related("members")
    mine = request.GET.get("equipe") == "1"
    if mine:
        listed = listed.filter(members__user=user)
    status = request.GET.get("etat", "")
    if status in InspectionStatus.values:
        listed = listed.filter(status=status)
    page = Paginator(listed.distinct().order_by("-visit_on", "-pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    # Every line is one the person may read: only an unannounced date can be hidden from them.
    for inspection in page:
        inspection.date_shown = not perms.date_kept_by_team(inspection) or perms.is_member(
            user, inspection
        )
    return render(
        request,
        "inspections/inspections.html",
        {
            "page_obj": page,
            "status": status,
            "statuses": InspectionStatus.choices,
            "mine": mine,
            "is_controleur": perms.is_controleur(user),
            "breadcrumb_data": breadcrumb(current="Inspections"),
        },
    )


def _territory(user):
    territory = perms.controlled(user, prefix="")
    if territory is None:
        raise PermissionDenied
    return Structure.objects.filter(territory).select_related("commune", "departement")


def structures(request):
    """The structures of the contrôleur's territory, to open an inspection."""
    listed = _territory(request.user)
    query = request.GET.get("q", "").strip()
    if query:
        listed = listed.filter(
            Q(name__icontains=query) | Q(finess=query) | Q(departement__code=query)
        )
    listed = listed.annotate(
        done=Count("inspections", filter=Q(inspections__status__in=PUBLIC_STATUSES))
    ).order_by("departement__code", "name")
    return render(
        request,
        "inspections/structures.html",
        {
            "page_obj": Paginator(listed, PER_PAGE).get_page(request.GET.get("page")),
            "query": query,
            "breadcrumb_data": breadcrumb(current="Structures à inspecter"),
        },
    )


def structure_journal(request, structure_pk):
    """What the event log holds about a structure of the contrôleur's territory: its own
    records, its inspections and the alerts about it (the chain is the log's, read only)."""
    structure = get_visible_or_404(_territory(request.user), pk=structure_pk)
    events = LogEntry.objects.with_actor().about(
        (Structure, [structure.pk]),
        (Inspection, structure.inspections.values_list("pk", flat=True)),
        (Alert, Alert.objects.filter(structure=structure).values_list("pk", flat=True)),
    )
    return render(
        request,
        "inspections/journal.html",
        {
            "structure": structure,
            "page_obj": Paginator(events, JOURNAL_PER_PAGE).get_page(request.GET.get("page")),
            "breadcrumb_data": breadcrumb(
                {"url": reverse("inspections:structures"), "title": "Structures à inspecter"},
                current=f"Journal : {structure.name}",
            ),
        },
    )


def open_inspection(request, structure_pk):
    structure = get_visible_or_404(_territory(request.user), pk=structure_pk)
    form = OpenInspectionForm(
        request.POST or None,
        initial={
            "plan_entry": request.GET.get("plan"),
            "alert": request.GET.get("alerte"),
            "origin": Origin.ALERT if request.GET.get("alerte") else Origin.PLANNED,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sources = {
            "plan_entry": get_visible_or_404(
                PlanEntry.objects.filter(structure=structure, withdrawn_at__isnull=True),
                pk=data["plan_entry"],
            )
            if data["plan_entry"]
            else None,
            "alert": get_visible_or_404(Alert.objects.filter(structure=structure), pk=data["alert"])
            if data["alert"]
            else None,
        }
        try:
            inspection = services.open_inspection(
                structure,
                by=request.user,
                visit_on=data["visit_on"],
                origin=data["origin"],
                announced=data["announced"],
                joint_with=data["joint_with"],
                has_link=form.declaration()["has_link"],
                link_details=form.declaration()["details"],
                **sources,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "L'inspection est ouverte ; vous en êtes responsable.")
            return redirect(inspection)
    return render(
        request,
        "inspections/open.html",
        {
            "structure": structure,
            "form": form,
            "breadcrumb_data": breadcrumb(
                {"url": reverse("inspections:structures"), "title": "Structures à inspecter"},
                current="Ouvrir une inspection",
            ),
        },
    )


def inspection(request, pk):
    inspection = _inspection(request, pk)
    abilities = inspection.abilities(request.user)
    report = None
    if abilities["see_findings"] and inspection.status in perms.REPORT_SENT:
        report = reports.detail(inspection)
    return render(
        request,
        "inspections/inspection.html",
        {
            "inspection": inspection,
            "abilities": abilities,
            "waiting": INSPECTION_WORKFLOW.waiting(inspection, request.user),
            "members": inspection.members.select_related("user").order_by("-lead", "joined_at"),
            "report": report,
            "progress": _progress(inspection) if abilities["see_findings"] else None,
            "join_form": InterestForm() if abilities["join"] else None,
            "report_form": ReportForm(initial={"report": inspection.report})
            if abilities["write_report"]
            else None,
            "observations_form": ObservationsForm() if abilities["send_observations"] else None,
            "actions": _actions(request.user, inspection) if abilities["see_findings"] else None,
            "action_form": ActionForm(referentiel=inspection.referentiel)
            if abilities["write_report"]
            else None,
            "breadcrumb_data": breadcrumb(
                _inspections_link(),
                current=f"Inspection n° {inspection.pk}",
            ),
        },
    )


def _actions(user, inspection) -> list[RequiredAction]:
    """The report's actions, each with the forms this person may use (prefixed by the action:
    several on one page)."""
    actions = reports.actions(inspection)
    for action in actions:
        abilities = action.abilities(user)
        prefix = f"action-{action.pk}"
        action.answer_form = AnswerForm(prefix=prefix) if abilities["answer"] else None
        action.judge_form = JudgeForm(prefix=prefix) if abilities["accept"] else None
    return actions


def _progress(inspection) -> list[dict]:
    """Each theme with how many of its criteria are answered."""
    answered = {f.criterion_id for f in inspection.findings.all() if f.answered}
    themes: dict[int, dict] = {}
    for criterion in reports.criteria(inspection):
        row = themes.setdefault(
            criterion.theme_id, {"theme": criterion.theme, "total": 0, "answered": 0}
        )
        row["total"] += 1
        row["answered"] += criterion.pk in answered
    return list(themes.values())


@require_POST
def join(request, pk):
    inspection = _inspection(request, pk)
    act(
        request,
        InterestForm(request.POST),
        lambda data: services.join_team(
            inspection,
            by=request.user,
            has_link=data["has_link"] == LINK,
            details=data["link_details"],
        ),
        "Vous faites partie de l'équipe d'inspection.",
    )
    return redirect(inspection)


# The transitions a page's buttons post, with what is said once done.
TRANSITIONS = {
    "commencer": (services.start_visit, "La visite est commencée : notez les critères."),
    "rapport-provisoire": (
        services.send_provisional,
        "Le rapport provisoire est envoyé aux gestionnaires de la structure.",
    ),
    "rapport-definitif": (services.finalise, "Le rapport définitif est arrêté."),
    "publier": (services.publish, "Le rapport est publié, anonymisé."),
    "annuler": (services.cancel, "L'inspection est annulée."),
    "clore": (services.close_follow_up, "Le suivi de l'inspection est clos."),
}


@require_POST
def transition(request, pk, action):
    if action not in TRANSITIONS:
        raise Http404
    inspection = _inspection(request, pk)
    service, success = TRANSITIONS[action]
    told(request, lambda: service(inspection, by=request.user), success)
    return redirect(inspection)


@require_POST
def report_edit(request, pk):
    inspection = _inspection(request, pk)
    act(
        request,
        ReportForm(request.POST),
        lambda data: services.save_report(inspection, by=request.user, text=data["report"]),
        "Le rapport est enregistré.",
    )
    return redirect(inspection)


@require_POST
def observations(request, pk):
    inspection = _inspection(request, pk)
    act(
        request,
        ObservationsForm(request.POST),
        lambda data: services.send_observations(
            inspection, by=request.user, text=data["observations"]
        ),
        "Vos observations sont envoyées ; elles sont jointes au rapport.",
    )
    return redirect(inspection)


def findings(request, pk, theme):
    """One theme of the référentiel at a time, each criterion its own small form saved as it is
    typed (htmx) or with its button: the page of a visit, on a tablet."""
    inspection = _inspection(request, pk)
    if not perms.sees_findings(request.user, inspection):
        raise PermissionDenied
    themes = list(Theme.objects.filter(referentiel_id=inspection.referentiel_id))
    current = next((t for t in themes if t.code == theme), None)
    if current is None:
        raise Http404
    found = {
        f.criterion_id: f
        for f in Finding.objects.filter(inspection=inspection, criterion__theme=current)
    }
    editable = perms.can_write_findings(request.user, inspection)
    rows = [
        {
            "criterion": criterion,
            "finding": found.get(criterion.pk),
            "form": FindingForm(
                initial=finding_initial(found.get(criterion.pk)), prefix=f"c{criterion.pk}"
            ),
        }
        for criterion in current.criteria.all()
    ]
    position = themes.index(current)
    return render(
        request,
        "inspections/findings.html",
        {
            "inspection": inspection,
            "theme": current,
            "themes": themes,
            "previous": themes[position - 1] if position else None,
            "next": themes[position + 1] if position + 1 < len(themes) else None,
            "rows": rows,
            "editable": editable,
            "breadcrumb_data": breadcrumb(
                _inspections_link(),
                _inspection_link(inspection),
                current=current.title,
            ),
        },
    )


@require_POST
def finding_save(request, pk, criterion_pk):
    inspection = _inspection(request, pk)
    criterion = get_visible_or_404(Criterion.objects.select_related("theme"), pk=criterion_pk)
    form = FindingForm(request.POST, prefix=f"c{criterion.pk}")
    error = ""
    if form.is_valid():
        try:
            services.save_finding(inspection, criterion, by=request.user, **form.values())
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
    else:
        error = " ".join(m for errors in form.errors.values() for m in errors)
    if request.htmx:
        # 200 either way: htmx swaps only successful answers, and the refusal must show.
        return render(
            request, "inspections/_finding_saved.html", {"error": error, "criterion": criterion}
        )
    if error:
        messages.error(request, f"{criterion.code} : {error}")
    else:
        messages.success(request, f"Critère {criterion.code} enregistré.")
    url = reverse(
        "inspections:findings", kwargs={"pk": inspection.pk, "theme": criterion.theme.code}
    )
    return redirect(f"{url}#critere-{criterion.pk}")


@require_POST
def action_add(request, pk):
    inspection = _inspection(request, pk)
    form = ActionForm(request.POST, referentiel=inspection.referentiel)
    act(
        request,
        form,
        lambda data: services.add_action(
            inspection,
            by=request.user,
            criterion=data["criterion"],
            kind=data["kind"],
            text=data["text"],
            due_on=data["due_on"],
        ),
        "L'action est ajoutée au rapport.",
    )
    return redirect(f"{inspection.get_absolute_url()}#actions")


def _action(request, pk) -> RequiredAction:
    action = get_visible_or_404(
        RequiredAction.objects.select_related("inspection__structure__departement", "criterion"),
        pk=pk,
    )
    if not perms.sees_findings(request.user, action.inspection):
        raise Http404
    return action


@require_POST
def action_answer(request, pk):
    action = _action(request, pk)
    act(
        request,
        AnswerForm(request.POST, prefix=f"action-{action.pk}"),
        lambda data: services.answer_action(
            action, by=request.user, plan=data["plan"], evidence=data["evidence"]
        ),
        "Votre réponse est envoyée à l'équipe d'inspection.",
    )
    return redirect(f"{action.inspection.get_absolute_url()}#action-{action.pk}")


@require_POST
def action_judge(request, pk):
    action = _action(request, pk)
    accept = "accept" in request.POST
    act(
        request,
        JudgeForm(request.POST, prefix=f"action-{action.pk}"),
        lambda data: services.judge_action(
            action, by=request.user, accept=accept, note=data["note"]
        ),
        "La réponse est acceptée." if accept else "Un complément est demandé à la structure.",
    )
    return redirect(f"{action.inspection.get_absolute_url()}#action-{action.pk}")
