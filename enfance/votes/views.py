import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache as fragment_cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from enfance.core.access import get_visible_or_404, require

from . import counting, services
from .enums import METHOD_EXPLANATIONS, Grade, Method
from .forms import ProxyForm, ReceiptForm, vote_form
from .models import Ballot, Elector, NationalConsultation, Participation, Proxy, Result
from .perms import can_manage_ballot, can_view_ballot
from .workflows import closing_refusal

BALLOTS_PER_PAGE = 20


def _get_ballot(request, pk) -> Ballot:
    ballot = get_visible_or_404(Ballot.objects.select_related("content_type"), pk=pk)
    if not can_view_ballot(request.user, ballot):
        raise Http404("Cette page n'existe pas ou ne vous est pas accessible.")
    return ballot


def _breadcrumb(ballot, *, current: str, with_ballot: bool = False) -> dict:
    context = ballot.context
    links = [{"url": context.get_absolute_url(), "title": str(context)}]
    if with_ballot:
        links.append({"url": ballot.get_absolute_url(), "title": ballot.title})
    return {"links": links, "current": current, "root_dir": reverse("core:home")}


def _voting_state(request, ballot):
    """What this person may do now: vote for themselves, and for whom they hold a proxy."""
    user = request.user
    state = {"is_elector": False, "has_voted": False, "proxy_giver": None}
    if not user.is_authenticated:
        return state
    state["is_elector"] = Elector.objects.filter(ballot=ballot, user=user).exists()
    state["has_voted"] = Participation.objects.filter(ballot=ballot, voter=user).exists()
    proxy = Proxy.objects.filter(ballot=ballot, holder=user).select_related("giver").first()
    if proxy is not None:
        giver_voted = Participation.objects.filter(ballot=ballot, voter=proxy.giver_id).exists()
        state["proxy_giver"] = None if giver_voted else proxy.giver
    return state


@login_not_required
def ballot_detail(request, pk):
    ballot = _get_ballot(request, pk)
    options = list(ballot.options.all())
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    state = _voting_state(request, ballot)
    accepting = ballot.is_accepting_votes()
    form = proxy_form = receipt = None
    receipt_for_giver = False
    if accepting and state["is_elector"]:
        form = vote_form(ballot, options, prefix="vote")
        if state["proxy_giver"] is not None:
            proxy_form = vote_form(ballot, options, prefix="procuration")
    if request.method == "POST":
        if not state["is_elector"]:
            raise PermissionDenied("Vous ne faites pas partie du corps électoral de ce scrutin.")
        on_behalf = request.POST.get("pour_le_compte_de") == "mandant"
        giver = state["proxy_giver"] if on_behalf else None
        if on_behalf and giver is None:
            raise PermissionDenied("Vous ne détenez pas de procuration utilisable ici.")
        posted = vote_form(ballot, options, request.POST, prefix="procuration" if giver else "vote")
        if posted.is_valid():
            try:
                receipt = services.cast_vote(
                    ballot, by=request.user, choice=posted.to_choice(), on_behalf_of=giver
                )
            except ValidationError as exc:
                posted.add_error(None, exc)
        if receipt is None:
            if giver:
                proxy_form = posted
            else:
                form = posted
        else:
            receipt_for_giver = giver is not None
            state = _voting_state(request, ballot)
    return render(
        request,
        "votes/ballot_detail.html",
        {
            "ballot": ballot,
            "context_object": ballot.context,
            "options": options,
            "explanation": METHOD_EXPLANATIONS[ballot.method],
            "accepting": accepting,
            "form": None if receipt or state["has_voted"] else form,
            "proxy_form": proxy_form if state["proxy_giver"] else None,
            "receipt": receipt,
            "voted_for_giver": receipt is not None and receipt_for_giver,
            "abilities": ballot.abilities(request.user),
            **state,
            "breadcrumb_data": _breadcrumb(ballot, current=ballot.title),
        },
    )


@login_not_required
def results(request, pk):
    ballot = _get_ballot(request, pk)
    result = Result.objects.filter(ballot=ballot).first()
    recount = None
    if result is not None and request.GET.get("recalculer"):
        # A recount reads every stored ballot (10 million marks for the national one): done once
        # per stored result, then served from the cache, so that a link cannot load the database.
        recount = fragment_cache.get_or_set(
            f"recount:{ballot.pk}:{result.computed_at.timestamp()}",
            lambda: counting.tally(ballot),
            timeout=24 * 3600,
        )
    rows = []
    if result is not None and ballot.method != Method.MAJORITY:
        rows = _result_rows(ballot, result)
    return render(
        request,
        "votes/results.html",
        {
            "ballot": ballot,
            "result": result,
            "data": result.data if result else None,
            "rows": rows,
            "grades": list(reversed(Grade)),
            "recount": recount,
            "recount_matches": recount is not None and result.same_outcome(recount),
            "participation": counting.participation_counts(ballot),
            "breadcrumb_data": _breadcrumb(ballot, current="Résultats", with_ballot=True),
        },
    )


def _result_rows(ballot, result):
    """The options in ranking order, with their place (ties share a place)."""
    by_id = {option["id"]: option for option in result.data["options"]}
    rows, place = [], 1
    for group in result.ranking:
        for option_id in group:
            option = dict(by_id[option_id])
            option["place"] = place
            option["tied"] = len(group) > 1
            if ballot.method == Method.MAJORITY_JUDGMENT:
                option["majority_label"] = (
                    Grade(option["majority_grade"]).label
                    if option["majority_grade"] is not None
                    else "–"
                )
                option["distribution"] = [
                    (option["grades"][g.value], option["paper_grades"][g.value])
                    for g in reversed(Grade)
                ]
            rows.append(option)
        place += len(group)
    return rows


@login_not_required
def verify_receipt(request, pk):
    ballot = _get_ballot(request, pk)
    form = ReceiptForm(request.POST or None)
    verified = None
    if request.method == "POST" and form.is_valid():
        verified = services.verify_receipt(ballot, form.cleaned_data["code"])
    return render(
        request,
        "votes/verify_receipt.html",
        {
            "ballot": ballot,
            "form": form,
            "verified": verified,
            "breadcrumb_data": _breadcrumb(ballot, current="Vérifier mon reçu", with_ballot=True),
        },
    )


def manage(request, pk):
    ballot = _get_ballot(request, pk)
    require(request.user, can_manage_ballot, ballot)
    abilities = ballot.abilities(request.user)
    options = list(ballot.options.all())
    paper_form = proxy_form = None
    if abilities["record_paper_ballot"]:
        paper_form = vote_form(ballot, options, prefix="papier")
    if abilities["give_proxy"]:
        proxy_form = ProxyForm(prefix="procuration")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "papier" and paper_form is not None:
            paper_form = vote_form(ballot, options, request.POST, prefix="papier")
            if paper_form.is_valid():
                try:
                    services.record_paper_ballot(
                        ballot,
                        by=request.user,
                        choice=paper_form.to_choice(),
                        entry_token=request.POST.get("papier-entree", ""),
                    )
                except ValidationError as exc:
                    paper_form.add_error(None, exc)
                else:
                    messages.success(request, "Le bulletin papier a été enregistré.")
                    return redirect("votes:manage", pk=ballot.pk)
        elif action == "procuration" and proxy_form is not None:
            proxy_form = ProxyForm(request.POST, prefix="procuration")
            if proxy_form.is_valid():
                try:
                    services.give_proxy(ballot, by=request.user, **proxy_form.cleaned_data)
                except ValidationError as exc:
                    proxy_form.add_error(None, exc)
                else:
                    messages.success(request, "La procuration a été enregistrée.")
                    return redirect("votes:manage", pk=ballot.pk)
        else:
            raise PermissionDenied("Cette action n'est pas possible maintenant.")
    return render(
        request,
        "votes/manage.html",
        {
            "ballot": ballot,
            "paper_form": paper_form,
            # One value per displayed form: the same entry submitted twice counts once.
            "paper_entry": request.POST.get("papier-entree") or secrets.token_urlsafe(16),
            "proxy_form": proxy_form,
            "proxies": Proxy.objects.filter(ballot=ballot).select_related("giver", "holder"),
            "abilities": abilities,
            "closing_refusal": closing_refusal(ballot),
            "participation": counting.participation_counts(ballot),
            "breadcrumb_data": _breadcrumb(ballot, current="Gestion du scrutin", with_ballot=True),
        },
    )


@require_POST
def transition(request, pk, name):
    ballot = _get_ballot(request, pk)
    require(request.user, can_manage_ballot, ballot)
    try:
        if name == "open":
            services.open_with_its_electorate(ballot, by=request.user)
            messages.success(request, "Le scrutin est ouvert.")
        elif name == "close":
            services.close_ballot(ballot, by=request.user)
            messages.success(request, "Le scrutin est clos ; les résultats sont publiés.")
            return redirect("votes:results", pk=ballot.pk)
        elif name == "cancel":
            services.cancel_ballot(ballot, by=request.user)
            messages.success(request, "Le scrutin est annulé.")
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("votes:manage", pk=ballot.pk)


@login_not_required
def consultation(request, pk):
    consultation = get_object_or_404(NationalConsultation, pk=pk)
    ballots = Ballot.objects.for_context(consultation).order_by("-opens_at", "pk")
    page = Paginator(ballots, BALLOTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "votes/consultation.html",
        {"consultation": consultation, "page_obj": page},
    )
