import csv
import hashlib
from collections import defaultdict
from datetime import timedelta
from functools import cache
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache as fragment_cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from enfance.core.access import get_visible_or_404, require
from enfance.territories.models import Departement
from enfance.territories.services import cache_version

from . import draw as draw_module
from . import perms, services
from .composition import college_bounds, evaluate
from .enums import ApplicationStatus, InstanceStatus
from .forms import (
    AddMemberForm,
    ApplicationForm,
    BallotDatesForm,
    CollegeElectionForm,
    ConsentForm,
    DecisionForm,
    DrawForm,
    EndMembershipForm,
    InstanceFilterForm,
    InstanceForm,
    InstanceProposalForm,
    MeetingForm,
    MinutesForm,
    PriorityForm,
    SeatApplicationForm,
)
from .models import (
    CompositionRule,
    Decision,
    Instance,
    InstanceProposal,
    Membership,
    Minutes,
    Priority,
    PriorityRanking,
)
from .signals import instance_version, instances_version
from .workflows import AUTOMATIC, INSTANCE_WORKFLOW, MINUTES_WORKFLOW

INSTANCES_PER_PAGE = 20
# Seed 000, "Chiffres et budget": the prototype, then the national deployment.
PROTOTYPE_TARGET = (6, 10)
NATIONAL_TARGET = (1000, 1200)
TILE_GRID_FILE = Path(__file__).parent / "data" / "tile_grid.csv"
TILE = 44
# DSFR blue-france scale, lightest to darkest, with the text colour readable on each.
COLOUR_SCALE = [
    ("#f6f6f6", "#161616"),
    ("#e3e3fd", "#161616"),
    ("#cacafb", "#161616"),
    ("#6a6af4", "#ffffff"),
    ("#000091", "#ffffff"),
]


def _breadcrumb(*links, current: str) -> dict:
    root = {"url": reverse("assemblies:list"), "title": "Instances locales"}
    return {"links": [root, *links], "current": current, "root_dir": reverse("core:home")}


def _instance_link(instance) -> dict:
    return {"url": instance.get_absolute_url(), "title": instance.name}


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


# Public pages ---------------------------------------------------------------------------------


@login_not_required
def instance_list(request):
    form = InstanceFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    filtered = form.is_bound and any(form.data.get(k) for k in form.fields)
    results, page_number = _instance_list_results(request, filters, filtered=filtered)
    total = Instance.objects.exclude(status=InstanceStatus.DISSOUTE).count()
    return render(
        request,
        "assemblies/list.html",
        {
            "form": form,
            "results": results,
            "page_number": page_number,
            "total": total,
            "targets": [
                {"label": label, "low": low, "high": high, "missing": max(low - total, 0)}
                for label, (low, high) in (
                    ("Prototype (2025-2026)", PROTOTYPE_TARGET),
                    ("Déploiement national", NATIONAL_TARGET),
                )
            ],
            "filtered": filtered,
            "territories_version": cache_version(),
            "can_create": perms.can_create_instance(request.user, None),
        },
    )


def _instance_list_results(request, filters: dict, *, filtered: bool) -> tuple[str, int]:
    """The table of instances, rendered once per question and cached until an instance or a
    membership changes (signals.py bumps the version) or the day turns (member counts are those
    of today)."""
    page_number = request.GET.get("page")
    question = (sorted(request.GET.lists()), f"{timezone.localdate():%Y%m%d}")
    digest = hashlib.sha256(repr(question).encode()).hexdigest()
    key = f"instances-list:{instances_version()}:{cache_version()}:{digest}"
    cached = fragment_cache.get(key)
    if cached is None:
        instances = Instance.objects.select_related("departement__region")
        if filters.get("region"):
            instances = instances.filter(departement__region=filters["region"])
        if filters.get("departement"):
            instances = instances.filter(departement=filters["departement"])
        if filters.get("status"):
            instances = instances.filter(status=filters["status"])
        page = Paginator(instances.order_by("name", "pk"), INSTANCES_PER_PAGE).get_page(page_number)
        # Members are counted for the rows of the page only: counting them for every instance
        # before paginating cost more than the rest of the page at national scale.
        counts = dict(
            Instance.objects.filter(pk__in=[i.pk for i in page.object_list])
            .with_member_count()
            .values_list("pk", "member_count")
        )
        for instance in page.object_list:
            instance.member_count = counts.get(instance.pk, 0)
        html = render_to_string(
            "assemblies/_list_results.html",
            {"page_obj": page, "filtered": filtered},
            request=request,
        )
        cached = (html, page.number)
        fragment_cache.set(key, cached, timeout=24 * 3600)
    html, number = cached
    return mark_safe(html), number  # noqa: S308 - rendered by our own template, escaped there


@cache
def tile_grid() -> dict[str, tuple[int, int]]:
    """Département code -> (row, column) on the hand-placed grid of data/tile_grid.csv."""
    with TILE_GRID_FILE.open(encoding="utf-8") as handle:
        return {row["code"]: (int(row["row"]), int(row["col"])) for row in csv.DictReader(handle)}


def _colour_levels(maximum: int) -> list[dict]:
    """0, then 1 to the maximum cut into four bins: the legend and the colour of each tile."""
    levels = [{"low": 0, "high": 0, "fill": COLOUR_SCALE[0][0], "text": COLOUR_SCALE[0][1]}]
    step = max(-(-maximum // 4), 1)
    for n, (fill, text) in enumerate(COLOUR_SCALE[1:]):
        low = 1 + n * step
        if low > max(maximum, 1):
            break
        levels.append(
            {"low": low, "high": min(low + step - 1, max(maximum, 1)), "fill": fill, "text": text}
        )
    return levels


@login_not_required
def instance_map(request):
    counts = dict(
        Instance.objects.exclude(status=InstanceStatus.DISSOUTE)
        .values_list("departement__code")
        .annotate(n=Count("pk"))
    )
    levels = _colour_levels(max(counts.values(), default=0))
    grid = tile_grid()
    tiles = []
    list_url = reverse("assemblies:list")
    for departement in Departement.objects.order_by("code"):
        if departement.code not in grid:
            continue
        row, col = grid[departement.code]
        n = counts.get(departement.code, 0)
        level = next(lv for lv in reversed(levels) if n >= lv["low"])
        tiles.append(
            {
                "departement": departement,
                "count": n,
                "x": col * TILE,
                "y": row * TILE,
                "cx": col * TILE + (TILE - 4) // 2,
                "cy": row * TILE + (TILE - 4) // 2 + 4,
                "fill": level["fill"],
                "text": level["text"],
                "url": f"{list_url}?departement={departement.code}",
            }
        )
    rows = max((r for r, _ in grid.values()), default=0) + 1
    cols = max((c for _, c in grid.values()), default=0) + 1
    return render(
        request,
        "assemblies/map.html",
        {
            "tiles": tiles,
            "levels": levels,
            "width": cols * TILE,
            "height": rows * TILE,
            "tile_size": TILE - 4,
            "breadcrumb_data": _breadcrumb(current="Carte des instances"),
        },
    )


def _public_instance(slug):
    return get_visible_or_404(
        Instance.objects.public().select_related("departement__region"), slug=slug
    )


def _composition_view(instance):
    """Members grouped by college, with the composition report, from one query of members."""
    today = timezone.localdate()
    members = list(Membership.objects.filter(instance=instance).active_on(today).for_display())
    by_college = defaultdict(list)
    for membership in members:
        by_college[membership.seat.college.code].append(membership)
    rule = CompositionRule.objects.get(code="national")
    bounds = college_bounds()
    report = evaluate(
        {code: len(ms) for code, ms in by_college.items()},
        bounds,
        rule.min_total,
        rule.max_total,
        today,
    )
    colleges = [{"line": line, "members": by_college[line.college.code]} for line in report.lines]
    return report, colleges


@login_not_required
def instance_detail(request, slug):
    instance = _public_instance(slug)
    user = request.user
    return render(
        request,
        "assemblies/detail.html",
        {
            "instance": instance,
            "communes": list(instance.communes.order_by("name").values_list("name", flat=True)),
            "public_body": _public_body(request, instance),
            "can_manage": perms.can_manage_instance(user, instance),
            "can_apply": user.is_authenticated and perms.can_apply_to_instance(user, instance),
            "breadcrumb_data": _breadcrumb(current=instance.name),
        },
    )


def _public_body(request, instance) -> str:
    """Composition, priorities, meetings, decisions and minutes, rendered once and cached until
    the instance's data changes (signals.py bumps its version) or the hour turns (what is
    "upcoming" moves with the clock)."""
    now = timezone.localtime()
    key = f"instance-public:{instance.pk}:{instance_version(instance.pk)}:{now:%Y%m%d%H}"
    body = fragment_cache.get(key)
    if body is None:
        report, colleges = _composition_view(instance)
        priorities = list(instance.priorities.all())
        body = render_to_string(
            "assemblies/_detail_public.html",
            {
                "instance": instance,
                "report": report,
                "colleges": colleges,
                "meetings": list(instance.meetings.upcoming()[:5]),
                "decisions": list(
                    Decision.objects.filter(meeting__instance=instance)
                    .select_related("meeting")
                    .order_by("-meeting__starts_at", "-pk")[:10]
                ),
                "minutes_list": list(
                    Minutes.objects.published()
                    .filter(meeting__instance=instance)
                    .select_related("meeting")
                    .order_by("-meeting__starts_at")[:10]
                ),
                "priorities": priorities,
                "ranked": any(p.rank for p in priorities),
            },
            request=request,
        )
        fragment_cache.set(key, body, timeout=3600)
    return mark_safe(body)  # noqa: S308 - rendered by our own template, escaped there


@login_not_required
def meeting_detail(request, slug, pk):
    instance = _public_instance(slug)
    meeting = get_visible_or_404(instance.meetings.all(), pk=pk)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    can_manage = perms.can_manage_instance(request.user, instance)
    if minutes is not None and minutes.status != "publie" and not can_manage:
        minutes = None
    return render(
        request,
        "assemblies/meeting.html",
        {
            "instance": instance,
            "meeting": meeting,
            "agenda": meeting.agenda_items.all(),
            "decisions": meeting.decisions.all(),
            "minutes": minutes,
            "can_manage": can_manage,
            "breadcrumb_data": _breadcrumb(_instance_link(instance), current=meeting.title),
        },
    )


@login_not_required
def draw_detail(request, slug, pk):
    instance = _public_instance(slug)
    record = get_visible_or_404(instance.draws.select_related("college"), pk=pk)
    recomputed = draw_module.draw(
        record.candidates, record.seats, record.seed, record.strata or None
    )
    tickets = [
        {
            "code": code,
            "ticket": draw_module.ticket(record.seed, code),
            "stratum": record.strata.get(code, ""),
            "drawn": code in record.result,
        }
        for code in record.candidates
    ]
    return render(
        request,
        "assemblies/draw.html",
        {
            "instance": instance,
            "draw": record,
            "tickets": tickets,
            "verified": recomputed == record.result,
            "breadcrumb_data": _breadcrumb(
                _instance_link(instance), current=f"Tirage au sort n° {record.pk}"
            ),
        },
    )


# Citizens -------------------------------------------------------------------------------------


def apply(request, slug):
    instance = _public_instance(slug)
    require(request.user, perms.can_apply_to_instance, instance)
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.apply(by=request.user, instance=instance, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                f"Votre candidature au collège {application.college.of_label} est déposée. "
                "Le secrétariat de l'instance vous répondra.",
            )
            return redirect(instance)
    return render(
        request,
        "assemblies/apply.html",
        {
            "instance": instance,
            "form": form,
            "breadcrumb_data": _breadcrumb(_instance_link(instance), current="Candidater"),
        },
    )


def create_instance(request):
    require(request.user, perms.can_create_instance, None)
    form = InstanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            instance = services.create_instance(
                by=request.user,
                name=data["name"],
                departement=data["departement"],
                communes=data["communes"],
                description=data["description"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"L'instance « {instance.name} » est créée.")
            return redirect("assemblies:manage", slug=instance.slug)
    return render(
        request,
        "assemblies/create.html",
        {"form": form, "breadcrumb_data": _breadcrumb(current="Créer une instance")},
    )


# Management (secretary, animateur, administrateur national) -----------------------------------


def _managed_instance(request, slug) -> Instance:
    instance = _public_instance(slug)
    require(request.user, perms.can_manage_instance, instance)
    return instance


def _manage_crumbs(instance, current):
    manage = {"url": reverse("assemblies:manage", args=[instance.slug]), "title": "Gestion"}
    return _breadcrumb(_instance_link(instance), manage, current=current)


def manage(request, slug):
    instance = _managed_instance(request, slug)
    form = AddMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_member(
                by=request.user,
                instance=instance,
                user=form.person,
                college=data["college"],
                mandate_start=data["mandate_start"],
                mandate_end=data["mandate_end"],
                selection_method=data["selection_method"],
                role=data["role"],
                expert_field=data["expert_field"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "Le membre est installé.")
            return redirect("assemblies:manage", slug=slug)
    report, colleges = _composition_view(instance)
    transitions = [
        t for t in INSTANCE_WORKFLOW.available(instance, request.user) if t.name not in AUTOMATIC
    ]
    return render(
        request,
        "assemblies/manage.html",
        {
            "instance": instance,
            "form": form,
            "report": report,
            "colleges": colleges,
            "transitions": transitions,
            "end_form": EndMembershipForm(initial={"ended_on": timezone.localdate()}),
            "breadcrumb_data": _breadcrumb(_instance_link(instance), current="Gestion"),
        },
    )


@require_POST
def change_status(request, slug, transition):
    instance = _managed_instance(request, slug)
    try:
        services.change_instance_status(instance, transition, by=request.user)
    except (ValidationError, ValueError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, "L'état de l'instance est mis à jour.")
    return redirect("assemblies:manage", slug=slug)


@require_POST
def end_member(request, slug, pk):
    instance = _managed_instance(request, slug)
    membership = get_visible_or_404(instance.memberships.seated(), pk=pk)
    form = EndMembershipForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez la date de fin et le motif.")
        return redirect("assemblies:manage", slug=slug)
    try:
        services.end_membership(membership, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Le mandat a pris fin.")
    return redirect("assemblies:manage", slug=slug)


def applications(request, slug):
    instance = _managed_instance(request, slug)
    rows = instance.applications.select_related(
        "college", "applicant", "commune", "cooptation_ballot"
    ).order_by("college__position", "-created_at")
    status = request.GET.get("etat", "")
    if status in ApplicationStatus.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "assemblies/applications.html",
        {
            "instance": instance,
            "page_obj": page,
            "status": status,
            "statuses": ApplicationStatus.choices,
            "seat_form": SeatApplicationForm(initial={"mandate_start": timezone.localdate()}),
            "ballot_form": BallotDatesForm(initial=_default_ballot_dates()),
            "draws": instance.draws.select_related("college")[:10],
            "breadcrumb_data": _manage_crumbs(instance, "Candidatures"),
        },
    )


@require_POST
def decide_application(request, slug, pk, decision):
    instance = _managed_instance(request, slug)
    application = get_visible_or_404(instance.applications.all(), pk=pk)
    actions = {"retenir": services.shortlist, "ecarter": services.reject}
    if decision not in actions:
        raise PermissionDenied
    try:
        actions[decision](application, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Candidature {application.public_code} mise à jour.")
    return redirect("assemblies:applications", slug=slug)


def _default_ballot_dates() -> dict:
    now = timezone.localtime().replace(second=0, microsecond=0)
    return {"opens_at": now, "closes_at": now + timedelta(days=7)}


@require_POST
def cooptation(request, slug, pk):
    """Open the co-optation ballot of a shortlisted application, or close it."""
    instance = _managed_instance(request, slug)
    application = get_visible_or_404(instance.applications.all(), pk=pk)
    try:
        if application.cooptation_ballot_id is None:
            form = BallotDatesForm(request.POST)
            if not form.is_valid():
                messages.error(request, "Indiquez l'ouverture et la clôture du vote.")
                return redirect("assemblies:applications", slug=slug)
            services.open_cooptation(application, by=request.user, **form.cleaned_data)
            messages.success(request, "Le vote de cooptation est ouvert aux membres.")
        else:
            decided = services.conclude_cooptation(application, by=request.user)
            messages.success(
                request, f"Vote clos : candidature {decided.get_status_display().lower()}."
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("assemblies:applications", slug=slug)


@require_POST
def seat(request, slug, pk):
    instance = _managed_instance(request, slug)
    application = get_visible_or_404(instance.applications.all(), pk=pk)
    form = SeatApplicationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez les dates du mandat.")
        return redirect("assemblies:applications", slug=slug)
    try:
        services.seat_application(application, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"La candidature {application.public_code} devient un mandat.")
    return redirect("assemblies:applications", slug=slug)


def consent(request, slug, pk):
    instance = _managed_instance(request, slug)
    application = get_visible_or_404(
        instance.applications.filter(college__max_age__isnull=False).select_related("applicant"),
        pk=pk,
    )
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_parental_consent(
                by=request.user,
                instance=instance,
                child=application.applicant,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "Le consentement du parent est enregistré.")
            return redirect("assemblies:applications", slug=slug)
    return render(
        request,
        "assemblies/consent.html",
        {
            "instance": instance,
            "application": application,
            "form": form,
            "breadcrumb_data": _manage_crumbs(instance, "Consentement d'un parent"),
        },
    )


def run_draw(request, slug):
    instance = _managed_instance(request, slug)
    form = DrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.run_draw(by=request.user, instance=instance, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "Le tirage au sort est fait et publié.")
            return redirect(record)
    shortlisted = (
        instance.applications.filter(status=ApplicationStatus.RETENUE)
        .values("college__label")
        .annotate(n=Count("pk"))
        .order_by("college__label")
    )
    return render(
        request,
        "assemblies/draw_form.html",
        {
            "instance": instance,
            "form": form,
            "shortlisted": shortlisted,
            "breadcrumb_data": _manage_crumbs(instance, "Tirage au sort"),
        },
    )


def meetings(request, slug):
    instance = _managed_instance(request, slug)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.schedule_meeting(
                by=request.user,
                instance=instance,
                title=data["title"],
                starts_at=data["starts_at"],
                place=data["place"],
                online_link=data["online_link"],
                agenda=data["agenda"].splitlines(),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "La réunion est prévue. Envoyez la convocation aux membres.")
            return redirect("assemblies:manage_meeting", slug=slug, pk=meeting.pk)
    page = Paginator(instance.meetings.order_by("-starts_at"), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "assemblies/meetings.html",
        {
            "instance": instance,
            "form": form,
            "page_obj": page,
            "breadcrumb_data": _manage_crumbs(instance, "Réunions"),
        },
    )


def manage_meeting(request, slug, pk):
    instance = _managed_instance(request, slug)
    meeting = get_visible_or_404(instance.meetings.all(), pk=pk)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    decision_form = DecisionForm(prefix="decision")
    minutes_form = MinutesForm(prefix="minutes", initial={"text": minutes.text if minutes else ""})
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "convoquer":
                sent = services.convene_meeting(meeting, by=request.user)
                messages.success(request, f"Convocation envoyée à {sent} membre(s).")
                return redirect(request.path)
            if action == "presences":
                present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
                here, total = services.record_attendance(meeting, by=request.user, present=present)
                messages.success(request, f"Présences enregistrées : {here} sur {total}.")
                return redirect(request.path)
            if action == "decision":
                decision_form = DecisionForm(request.POST, prefix="decision")
                if decision_form.is_valid():
                    services.record_decision(meeting, by=request.user, **decision_form.cleaned_data)
                    messages.success(request, "La décision est inscrite.")
                    return redirect(request.path)
            if action in {"compte_rendu", "publier"}:
                minutes_form = MinutesForm(request.POST, prefix="minutes")
                if minutes_form.is_valid():
                    minutes = services.save_minutes(
                        meeting, by=request.user, **minutes_form.cleaned_data
                    )
                    if action == "publier":
                        services.publish_minutes(minutes, by=request.user)
                        messages.success(request, "Le compte rendu est publié.")
                    else:
                        messages.success(request, "Le brouillon du compte rendu est enregistré.")
                    return redirect(request.path)
        except ValidationError as exc:
            target = minutes_form if action in {"compte_rendu", "publier"} else decision_form
            if action in {"convoquer", "presences"}:
                messages.error(request, " ".join(exc.messages))
                return redirect(request.path)
            _form_errors(target, exc)
    members = list(services.members_for_meeting(meeting))
    present = set(meeting.attendances.filter(present=True).values_list("membership_id", flat=True))
    required = instance.quorum_for(len(members))
    return render(
        request,
        "assemblies/manage_meeting.html",
        {
            "instance": instance,
            "meeting": meeting,
            "agenda": meeting.agenda_items.all(),
            "decisions": meeting.decisions.all(),
            "members": members,
            "present": present,
            "quorum_required": required,
            "quorum_reached": len(present) >= required and bool(members),
            "minutes": minutes,
            "minutes_published": minutes is not None and minutes.status == "publie",
            "can_publish": minutes is None
            or bool(MINUTES_WORKFLOW.available(minutes, request.user)),
            "decision_form": decision_form,
            "minutes_form": minutes_form,
            "breadcrumb_data": _manage_crumbs(instance, meeting.title),
        },
    )


def priorities(request, slug):
    instance = _managed_instance(request, slug)
    form = PriorityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_priority(by=request.user, instance=instance, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "Le besoin est ajouté au diagnostic local.")
            return redirect("assemblies:priorities", slug=slug)
    return render(
        request,
        "assemblies/priorities.html",
        {
            "instance": instance,
            "form": form,
            "priorities": Priority.objects.filter(instance=instance),
            "ranking": PriorityRanking.objects.filter(instance=instance, closed_at__isnull=True)
            .select_related("ballot")
            .first(),
            "ballot_form": BallotDatesForm(initial=_default_ballot_dates()),
            "breadcrumb_data": _manage_crumbs(instance, "Priorités locales"),
        },
    )


@require_POST
def rank_priorities(request, slug):
    """Open the majority-judgment ranking of the priorities, or close the one in progress."""
    instance = _managed_instance(request, slug)
    ranking = PriorityRanking.objects.filter(instance=instance, closed_at__isnull=True).first()
    try:
        if ranking is None:
            form = BallotDatesForm(request.POST)
            if not form.is_valid():
                messages.error(request, "Indiquez l'ouverture et la clôture du vote.")
                return redirect("assemblies:priorities", slug=slug)
            services.open_priority_ranking(by=request.user, instance=instance, **form.cleaned_data)
            messages.success(request, "Le classement est ouvert : les membres peuvent voter.")
        else:
            services.close_priority_ranking(ranking, by=request.user)
            messages.success(request, "Le classement est clos et publié sur la page de l'instance.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("assemblies:priorities", slug=slug)


def elections(request, slug):
    """Elections of college members at an atelier: open one, follow and conclude them."""
    instance = _managed_instance(request, slug)
    form = CollegeElectionForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.open_college_election(by=request.user, instance=instance, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "L'élection est ouverte aux personnes présentes.")
            return redirect("assemblies:elections", slug=slug)
    elections = instance.elections.select_related("college", "event", "ballot")
    page = Paginator(elections, 20).get_page(request.GET.get("page"))
    if not request.POST:
        form.initial.update(_default_ballot_dates())
    return render(
        request,
        "assemblies/elections.html",
        {
            "instance": instance,
            "form": form,
            "page_obj": page,
            "breadcrumb_data": _manage_crumbs(instance, "Élections"),
        },
    )


@require_POST
def conclude_election(request, slug, pk):
    instance = _managed_instance(request, slug)
    election = get_visible_or_404(instance.elections.select_related("ballot", "college"), pk=pk)
    try:
        seated = services.conclude_college_election(election, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"Élection conclue : {len(seated)} personne{'s' if len(seated) > 1 else ''} "
            f"installée{'s' if len(seated) > 1 else ''} au collège {election.college.of_label}.",
        )
    return redirect("assemblies:elections", slug=slug)


def propose_instance(request, event_pk):
    """The hosts of a forum ouvert propose the instance it launches."""
    from enfance.events.models import Event
    from enfance.events.perms import is_host

    event = get_visible_or_404(Event.objects.visible_to(request.user), pk=event_pk)
    require(request.user, is_host, event)
    form = InstanceProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.propose_instance(by=request.user, event=event, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                "Merci ! Votre proposition d'instance est transmise à l'administration nationale, "
                "qui vous répondra par e-mail.",
            )
            return redirect(event.get_absolute_url())
    return render(request, "assemblies/propose.html", {"form": form, "event": event})


def instance_proposals(request):
    require(request.user, perms.can_create_instance, None)
    pending = InstanceProposal.objects.filter(status="proposee").select_related(
        "event", "departement", "proposed_by"
    )
    page = Paginator(pending, 20).get_page(request.GET.get("page"))
    return render(request, "assemblies/proposals.html", {"page_obj": page})


@require_POST
def decide_instance_proposal(request, pk, decision):
    proposal = get_visible_or_404(InstanceProposal.objects.filter(status="proposee"), pk=pk)
    try:
        if decision == "accepter":
            instance = services.accept_instance_proposal(proposal, by=request.user)
            messages.success(request, f"L'instance « {instance.name} » est créée.")
        elif decision == "refuser":
            reason = request.POST.get("reason", "")
            services.refuse_instance_proposal(proposal, by=request.user, reason=reason)
            messages.success(request, "La proposition est refusée ; l'animateur est prévenu.")
        else:
            raise PermissionDenied
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("assemblies:proposals")
