"""The SCIC pages. Public: the list by département and each SCIC's page (its missions, the
structures it runs, its associates counted by category, never named: a beneficiary is a family
followed by child protection, and its colleges). For the supervising instance: registering a
SCIC and keeping its register of associates and its colleges. Rules in cooperatives.py."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from enfance.assemblies.models import Instance
from enfance.assemblies.perms import can_manage_instance
from enfance.core.access import get_visible_or_404
from enfance.core.cache import versions
from enfance.core.forms import act, add_service_errors
from enfance.core.navigation import crumb
from enfance.core.pagecache import visitor_page
from enfance.territories.models import Departement
from enfance.votes.models import Ballot

from . import cooperatives, supervision_views
from .cooperative_forms import (
    AssemblyForm,
    AssociateForm,
    CollegesForm,
    CooperativeForm,
    LeaveForm,
    MinutesForm,
    ResolutionForm,
    StatutesForm,
)
from .enums import AssociateCategory
from .models import Associate, Cooperative, GeneralAssembly
from .pages import care_breadcrumb
from .signals import COOPERATIVES_VERSION

PER_PAGE = 25
PUBLIC_FRESH_FOR = 60


def _breadcrumb(*links, current: str) -> dict:
    return care_breadcrumb(crumb("care:cooperatives", "SCIC"), *links, current=current)


def _cooperative(pk) -> Cooperative:
    return get_visible_or_404(Cooperative.objects.select_related("departement", "instance"), pk=pk)


def _supervised(request, pk) -> Cooperative:
    found = _cooperative(pk)
    if not can_manage_instance(request.user, found.instance):
        raise PermissionDenied
    return found


@login_not_required
def cooperatives_page(request):
    found = Cooperative.objects.select_related("departement", "instance").annotate(
        associates_count=Count("associates", filter=Q(associates__left_on__isnull=True))
    )
    code = request.GET.get("departement", "")
    if code:
        found = found.filter(departement__code=code)
    page = Paginator(found.order_by("departement__code", "name", "pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "care/cooperatives.html",
        {
            "page_obj": page,
            "departements": Departement.objects.order_by("code"),
            "chosen": code,
            "can_register": request.user.is_authenticated
            and Instance.objects.managed_by(request.user).exists(),
            "breadcrumb_data": care_breadcrumb(current="SCIC"),
        },
    )


def _composition(cooperative: Cooperative) -> list[dict]:
    """Associates and shares by category, for the public page: counts, never names."""
    rows = (
        cooperative.associates.current()
        .values("category")
        .annotate(people=Count("pk"), shares=Sum("shares"))
        .order_by("category")
    )
    total = sum(r["shares"] for r in rows) or 1
    return [
        {
            "label": AssociateCategory(r["category"]).label,
            "people": r["people"],
            "shares": r["shares"],
            "percent": round(r["shares"] * 100 / total),
        }
        for r in rows
    ]


@login_not_required
def cooperative_page(request, pk):
    """Served whole to visitors from the page cache until a write to a SCIC (signals.py) or the
    end of PUBLIC_FRESH_FOR (a vote on a report closes without a write here)."""
    key = f"care:cooperative:{versions(COOPERATIVES_VERSION)}:{pk}:{timezone.localdate()}"
    return visitor_page(
        request,
        key,
        lambda **extra: _render_cooperative(request, pk, **extra),
        fresh_for=PUBLIC_FRESH_FOR,
    )


def _render_cooperative(request, pk, **extra):
    found = _cooperative(pk)
    user = request.user
    supervision = supervision_views.page_context(request, found)
    member = user.is_authenticated and found.associates.current().filter(user=user).exists()
    return render(
        request,
        "care/cooperative.html",
        {
            **supervision,
            "assemblies": found.assemblies.all() if supervision["supervise"] or member else None,
            "cooperative": found,
            "missions": [m.get_mission_display() for m in found.missions.all()],
            "runs": list(found.run_structures.select_related("structure")),
            "composition": _composition(found),
            "colleges": list(found.colleges.all()),
            "problems": cooperatives.composition_problems(found),
            "breadcrumb_data": _breadcrumb(current=found.name),
            **extra,
        },
    )


def cooperative_new(request):
    instances = Instance.objects.order_by("name").managed_by(request.user)
    if not instances.exists():
        raise PermissionDenied
    form = CooperativeForm(request.POST or None, instances=instances)
    if request.method == "POST" and form.is_valid():
        try:
            created = cooperatives.register_cooperative(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, "La SCIC est enregistrée. Tenez maintenant son registre des sociétaires."
            )
            return redirect("care:cooperative_register", pk=created.pk)
    return render(
        request,
        "care/cooperative_new.html",
        {"form": form, "breadcrumb_data": _breadcrumb(current="Enregistrer une SCIC")},
    )


def cooperative_register(request, pk):
    found = _supervised(request, pk)
    form = AssociateForm(request.POST or None, cooperative=found)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        account = None
        if data["email"]:
            account = get_user_model().objects.filter(email__iexact=data["email"]).first()
            if account is None:
                form.add_error("email", "Aucun compte ne porte cette adresse.")
        if not form.errors:
            entry = cooperatives.Entry(
                category=data["category"],
                name=data["name"],
                shares=data["shares"],
                joined_on=data["joined_on"],
                user=account,
                college=data["college"],
                represents=data["represents"],
            )
            try:
                cooperatives.add_associate(found, by=request.user, entry=entry)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Le sociétaire est inscrit au registre.")
                return redirect("care:cooperative_register", pk=found.pk)
    colleges = list(found.colleges.all())
    return render(
        request,
        "care/cooperative_register.html",
        {
            "cooperative": found,
            "associates": found.associates.select_related("college", "user").order_by(
                "left_on", "category", "name"
            ),
            "form": form,
            "colleges_form": CollegesForm(
                initial={"colleges": "\n".join(f"{c.name} = {c.weight}" for c in colleges)}
            ),
            "problems": cooperatives.composition_problems(found),
            "capital": cooperatives.capital(found),
            "assemblies": found.assemblies.all(),
            "assembly_form": AssemblyForm(),
            "statutes_form": StatutesForm(),
            "breadcrumb_data": _breadcrumb(
                {"url": reverse("care:cooperative", args=[found.pk]), "title": found.name},
                current="Registre des sociétaires",
            ),
        },
    )


@require_POST
def cooperative_colleges(request, pk):
    found = _supervised(request, pk)
    act(
        request,
        CollegesForm(request.POST),
        lambda data: cooperatives.set_colleges(found, by=request.user, colleges=data["colleges"]),
        "Les collèges sont enregistrés.",
    )
    return redirect("care:cooperative_register", pk=found.pk)


@require_POST
def associate_leave(request, pk, associate_pk):
    found = _supervised(request, pk)
    associate = get_visible_or_404(Associate.objects.filter(cooperative=found), pk=associate_pk)
    act(
        request,
        LeaveForm(request.POST),
        lambda data: cooperatives.remove_associate(
            associate, by=request.user, left_on=data["left_on"]
        ),
        "La sortie du sociétaire est enregistrée.",
    )
    return redirect("care:cooperative_register", pk=found.pk)


# General assemblies ----------------------------------------------------------------------------


@require_POST
def assembly_convene(request, pk):
    found = _supervised(request, pk)
    form = AssemblyForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect("care:cooperative_register", pk=found.pk)
    try:
        assembly = cooperatives.convene(found, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("care:cooperative_register", pk=found.pk)
    messages.success(request, "L'assemblée est convoquée ; les sociétaires en sont prévenus.")
    return redirect(assembly)


def assembly_page(request, pk):
    """For its associates and its supervising instance; anyone else gets a 404."""
    assembly = get_visible_or_404(
        GeneralAssembly.objects.select_related("cooperative__instance"), pk=pk
    )
    if not assembly.is_visible_to(request.user):
        raise Http404
    manage = assembly.can_manage_ballots(request.user)
    form = ResolutionForm(request.POST or None) if manage else None
    if request.method == "POST":
        if not manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                ballot = cooperatives.propose_resolution(
                    assembly, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, "La résolution est prête : ouvrez son vote depuis sa page."
                )
                return redirect(ballot)
    cooperative = assembly.cooperative
    return render(
        request,
        "care/assembly.html",
        {
            "assembly": assembly,
            "resolutions": Ballot.objects.for_context(assembly).order_by("opens_at", "pk"),
            "colleges": list(cooperative.colleges.all()),
            "form": form,
            "minutes_form": MinutesForm() if manage else None,
            "breadcrumb_data": _breadcrumb(
                {"url": cooperative.get_absolute_url(), "title": cooperative.name},
                current=assembly.title,
            ),
        },
    )


@require_POST
def cooperative_statutes(request, pk):
    found = _supervised(request, pk)
    act(
        request,
        StatutesForm(request.POST, request.FILES),
        lambda data: cooperatives.attach_statutes(found, by=request.user, upload=data["statutes"]),
        "Les statuts sont déposés.",
    )
    return redirect("care:cooperative_register", pk=found.pk)


@login_not_required
def statutes_file(request, pk):
    found = _cooperative(pk)
    if not found.statutes:
        raise Http404
    return FileResponse(
        found.statutes.open("rb"),
        as_attachment=True,
        filename=f"statuts-{found.siren}.pdf",
        content_type="application/pdf",
    )
