from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from enfance.accounts.enums import RoleKind
from enfance.core.access import get_visible_or_404, one_of_or_404
from enfance.core.forms import act, add_service_errors
from enfance.territories.models import Departement

from . import perms, services
from .enums import StructureStatus
from .forms import (
    SEARCH_OWN_DEPARTEMENT_ONLY,
    CategoryForm,
    DeclarationForm,
    JoinForm,
    ManagerForm,
    SearchForm,
    StructureForm,
)
from .models import DepartementParticipation, Structure
from .pages import care_breadcrumb
from .search import participating_zone
from .search import results_html as results_html_for

PER_PAGE = 25


def _structure_link(structure) -> dict:
    return {"url": structure.get_absolute_url(), "title": structure.name}


def _readable(user):
    """The structures this person may see: those they manage, those of the départements where
    they search places and of their neighbours, every one for a national administrator."""
    structures = Structure.objects.select_related("commune", "departement")
    if perms.is_national_administrator(user):
        return structures
    departements = perms.departements_near(user)
    return structures.filter(
        Q(manager_links__user=user) | Q(departement__in=departements)
    ).distinct()


def _structure(request, pk) -> Structure:
    return get_visible_or_404(_readable(request.user), pk=pk)


@login_not_required
def home(request):
    user = request.user
    return render(
        request,
        "care/home.html",
        {
            "participations": DepartementParticipation.objects.select_related("departement"),
            "can_search": bool(perms.departements_of(user, *perms.SEARCHERS)),
            "has_structures": perms.can_create_structure(user)
            or (user.is_authenticated and user.structure_links.exists()),
            "services_departements": Departement.objects.filter(
                pk__in=perms.departements_of(user, RoleKind.SERVICES_DEPARTEMENT)
            ).exclude(pk__in=DepartementParticipation.objects.values("departement")),
            "join_form": JoinForm(initial={"joined_on": timezone.localdate()}),
        },
    )


@require_POST
def join(request):
    departement = get_visible_or_404(
        Departement.objects.filter(
            pk__in=perms.departements_of(request.user, RoleKind.SERVICES_DEPARTEMENT)
        ),
        pk=request.POST.get("departement"),
    )
    act(
        request,
        JoinForm(request.POST),
        lambda data: services.join_departement(
            departement, by=request.user, joined_on=data["joined_on"]
        ),
        f"Le département {departement.name} participe désormais.",
    )
    return redirect("care:home")


def structures(request):
    user = request.user
    readable = _readable(user)
    if not (readable.exists() or perms.can_create_structure(user)):
        raise PermissionDenied
    status = request.GET.get("etat", "")
    if status in StructureStatus.values:
        readable = readable.filter(status=status)
    page = Paginator(readable.order_by("departement__code", "name"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "care/structures.html",
        {
            "page_obj": page,
            "status": status,
            "statuses": StructureStatus.choices,
            "can_create": perms.can_create_structure(user),
            "breadcrumb_data": care_breadcrumb(current="Structures"),
        },
    )


def _record_from(form) -> dict:
    return {name: form.cleaned_data[name] for name in services.RECORD_FIELDS}


def structure_create(request):
    if not perms.can_create_structure(request.user):
        raise PermissionDenied
    form = StructureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            structure = services.create_structure(by=request.user, **_record_from(form))
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as refusal:
            form.add_error("commune", str(refusal))
        else:
            messages.success(
                request,
                "La structure est enregistrée."
                + (
                    ""
                    if structure.is_validated
                    else " Les services du département la valideront "
                    "avant que ses places soient visibles des magistrats."
                ),
            )
            return redirect(structure)
    return render(
        request,
        "care/structure_form.html",
        {
            "form": form,
            "title": "Déclarer une structure",
            "breadcrumb_data": care_breadcrumb(
                {"url": reverse("care:structures"), "title": "Structures"}, current="Déclarer"
            ),
        },
    )


def structure_edit(request, pk):
    structure = _structure(request, pk)
    if not structure.abilities(request.user)["edit"]:
        raise PermissionDenied
    initial = {name: getattr(structure, name) for name in services.RECORD_FIELDS}
    form = StructureForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_structure(structure, by=request.user, **_record_from(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "La fiche de la structure est mise à jour.")
            return redirect(structure)
    return render(
        request,
        "care/structure_form.html",
        {
            "form": form,
            "title": f"Modifier : {structure.name}",
            "breadcrumb_data": care_breadcrumb(_structure_link(structure), current="Modifier"),
        },
    )


def structure(request, pk):
    structure = _structure(request, pk)
    now = timezone.now()
    categories = list(structure.categories.select_related("declared_by"))
    for category in categories:
        category.known = category.known_free(now)
    return render(
        request,
        "care/structure.html",
        {
            "structure": structure,
            "categories": categories,
            "abilities": structure.abilities(request.user),
            "category_form": CategoryForm(),
            "manager_form": ManagerForm(),
            "managers": structure.manager_links.select_related("user").order_by("added_at"),
            "tokens": structure.tokens.all(),
            "breadcrumb_data": care_breadcrumb(
                {"url": reverse("care:structures"), "title": "Structures"},
                current=structure.name,
            ),
        },
    )


@require_POST
def structure_validate(request, pk):
    structure = _structure(request, pk)
    try:
        services.validate_structure(structure, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, "La structure est validée : ses places sont visibles des magistrats."
        )
    return redirect(structure)


@require_POST
def category_add(request, pk):
    structure = _structure(request, pk)
    act(
        request,
        CategoryForm(request.POST),
        lambda data: services.add_category(structure, by=request.user, **data),
        "La catégorie de places est ajoutée.",
    )
    return redirect(structure)


@require_POST
def manager_add(request, pk):
    structure = _structure(request, pk)
    act(
        request,
        ManagerForm(request.POST),
        lambda data: services.name_manager(structure, by=request.user, email=data["email"]),
        "Le gestionnaire est nommé.",
    )
    return redirect(structure)


def declare(request, pk):
    structure = _structure(request, pk)
    if not structure.abilities(request.user)["declare"]:
        raise PermissionDenied
    categories = list(structure.categories.all())
    form = DeclarationForm(request.POST or None, categories=categories)
    if request.method == "POST":
        try:
            if "unchanged" in request.POST:
                services.confirm_unchanged(structure, by=request.user)
                messages.success(request, "Merci : toutes les places sont confirmées à l'instant.")
                return redirect("care:declare", pk=structure.pk)
            if form.is_valid():
                services.declare_places(structure, by=request.user, figures=form.figures())
                messages.success(request, "Merci : les places libres sont à jour.")
                return redirect("care:declare", pk=structure.pk)
        except ValidationError as error:
            add_service_errors(form, error)
    now = timezone.now()
    for category in categories:
        category.known = category.known_free(now)
    return render(
        request,
        "care/declare.html",
        {
            "structure": structure,
            "form": form,
            "categories": categories,
            "breadcrumb_data": care_breadcrumb(_structure_link(structure), current="Places libres"),
        },
    )


def search(request):
    user = request.user
    searchable = list(perms.searchable_departements(user))
    if not searchable:
        raise PermissionDenied
    code = request.GET.get("departement")
    departement = one_of_or_404(searchable, code=code) if code else searchable[0]
    form = SearchForm(request.GET or None)
    filters = {
        **dict.fromkeys(SearchForm.base_fields, ""),
        **(form.cleaned_data if form.is_valid() else {}),
    }
    with_neighbours = filters["zone"] != SEARCH_OWN_DEPARTEMENT_ONLY
    zone = participating_zone(departement, with_neighbours=with_neighbours)
    participates = zone is not None
    results_html = (
        results_html_for(
            departement, zone, filters, now=timezone.now(), with_neighbours=with_neighbours
        )
        if participates
        else ""
    )
    return render(
        request,
        "care/search.html",
        {
            "form": form,
            "departement": departement,
            "searchable": searchable,
            "participates": participates,
            "results_html": results_html,
            "breadcrumb_data": care_breadcrumb(current="Rechercher des places"),
        },
    )


@require_POST
def token_create(request, pk):
    structure = _structure(request, pk)
    try:
        access, token = services.create_token(
            structure, by=request.user, label=request.POST.get("label", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(structure)
    # Shown on this answer only, never stored: the page is not cached and has no address.
    response = render(
        request,
        "care/token_created.html",
        {
            "structure": structure,
            "access": access,
            "token": token,
            "breadcrumb_data": care_breadcrumb(_structure_link(structure), current="Jeton d'accès"),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def token_revoke(request, pk, token_pk):
    structure = _structure(request, pk)
    access = get_visible_or_404(structure.tokens.all(), pk=token_pk)
    services.revoke_token(access, by=request.user)
    messages.success(request, f"Le jeton de « {access.label} » est révoqué.")
    return redirect(structure)
