"""The pages of the requests for a place: sending one from a search, the structures' answers,
the lists of each side."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from enfance.core.access import get_visible_or_404
from enfance.core.forms import add_service_errors
from enfance.core.navigation import crumb

from . import perms
from .forms import SEARCH_OWN_DEPARTEMENT_ONLY, AnswerForm, RequestForm
from .models import PlaceOffer, PlaceRequest
from .pages import care_breadcrumb
from .place_requests import answer_offer, close_request, send_place_request
from .search import free_places, search_zone

PER_PAGE = 20


def _breadcrumb(*links, current: str) -> dict:
    return care_breadcrumb(crumb("care:requests", "Demandes de place"), *links, current=current)


def request_create(request):
    searchable = perms.searchable_departements(request.user)
    if not searchable:
        raise PermissionDenied
    departement = get_visible_or_404(
        searchable, code=request.GET.get("departement") or searchable[0].code
    )
    now = timezone.now()
    zone = search_zone(
        departement, with_neighbours=request.GET.get("zone") != SEARCH_OWN_DEPARTEMENT_ONLY
    )
    initial = {
        "place_type": request.GET.get("place_type") or "internat",
        "age_band": request.GET.get("age_band") or "13-17",
        "children": 1,
        "wished_on": timezone.localdate(),
    }
    form = RequestForm(request.POST or None, initial=initial)
    data = form.data if form.is_bound else initial
    # The fresh free places the request could go to, as the search found them.
    categories = free_places(
        zone, {name: data.get(name) for name in ("place_type", "age_band")}, now=now
    )
    chosen = request.POST.getlist("categorie") if form.is_bound else []
    if request.method == "POST" and form.is_valid():
        try:
            sent = send_place_request(
                by=request.user,
                departement=departement,
                category_ids=[int(pk) for pk in chosen if pk.isdigit()],
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"La demande est envoyée à {sent.offers.count()} structure"
                f"{'s' if sent.offers.count() > 1 else ''}. Vous recevrez un e-mail dès qu'une "
                "place est acceptée.",
            )
            return redirect(sent)
    return render(
        request,
        "care/request_form.html",
        {
            "form": form,
            "departement": departement,
            "categories": categories,
            "chosen": chosen,
            "breadcrumb_data": _breadcrumb(current="Nouvelle demande"),
        },
    )


def requests(request):
    user = request.user
    searchable = perms.departements_of(user, *perms.SEARCHERS)
    offers = PlaceOffer.objects.filter(structure__manager_links__user=user)
    if not searchable and not offers.exists():
        raise PermissionDenied
    sent = _readable_requests(user).select_related("departement").distinct()
    return render(
        request,
        "care/requests.html",
        {
            "sent_page": Paginator(sent, PER_PAGE).get_page(request.GET.get("page"))
            if searchable
            else None,
            "offers": offers.select_related("request", "structure").order_by(
                "status", "-request__created_at"
            )[:PER_PAGE],
            "can_send": bool(searchable),
            "breadcrumb_data": {
                "links": [{"url": reverse("care:home"), "title": "Places et accueil"}],
                "current": "Demandes de place",
                "root_dir": reverse("core:home"),
            },
        },
    )


def _readable_requests(user):
    searchable = perms.departements_of(user, *perms.SEARCHERS)
    return PlaceRequest.objects.filter(Q(departement__in=searchable) | Q(requested_by=user))


def request_detail(request, pk):
    place_request = get_visible_or_404(_readable_requests(request.user).distinct(), pk=pk)
    if request.method == "POST":
        try:
            close_request(place_request, by=request.user)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(
                request, "La demande est close : les structures n'ont plus à répondre."
            )
        return redirect(place_request)
    return render(
        request,
        "care/request.html",
        {
            "place_request": place_request,
            "offers": place_request.offers.select_related("structure__commune", "category"),
            "can_close": place_request.requested_by_id == request.user.pk
            and place_request.status == "ouverte",
            "breadcrumb_data": _breadcrumb(current=f"Demande n° {place_request.pk}"),
        },
    )


def offer_detail(request, pk):
    offer = get_visible_or_404(
        PlaceOffer.objects.filter(structure__manager_links__user=request.user).select_related(
            "request", "structure", "category"
        ),
        pk=pk,
    )
    abilities = offer.abilities(request.user)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accept = "accepter" in request.POST
        try:
            answer_offer(offer, by=request.user, accept=accept, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "Merci : la demande est acceptée, les places libres sont mises à jour et le "
                "service qui l'a envoyée est prévenu."
                if accept
                else "Merci : le refus et son motif sont transmis.",
            )
            return redirect(offer)
    return render(
        request,
        "care/offer.html",
        {
            "offer": offer,
            "form": form,
            "abilities": abilities,
            "breadcrumb_data": _breadcrumb(current=f"Demande n° {offer.request_id}"),
        },
    )
