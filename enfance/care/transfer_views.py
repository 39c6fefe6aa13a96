"""The transfers of competences: public (the list by département and phase, the money moved,
each transfer with its history and its convention); proposed and conducted by the receiving
instance, each step a button its abilities offer. Rules in transfers.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from enfance.assemblies.forms import BallotDatesForm
from enfance.assemblies.models import Instance
from enfance.core.access import get_visible_or_404
from enfance.core.cache import digest, versions
from enfance.core.forms import act, add_service_errors, told
from enfance.core.models import LogEntry
from enfance.core.pagecache import visitor_page
from enfance.territories.models import Departement
from enfance.votes.models import Ballot

from . import transfers
from .cooperative_forms import ConventionForm, ReasonForm, TransferForm
from .enums import TransferPhase, TransferStatus
from .models import Transfer
from .pages import care_breadcrumb
from .signals import TRANSFERS_VERSION

PER_PAGE = 25
PUBLIC_FRESH_FOR = 300
# In force: the money that has moved.
IN_FORCE = (TransferStatus.EFFECTIVE, TransferStatus.SUSPENDED)


def _transfer(pk) -> Transfer:
    return get_visible_or_404(
        Transfer.objects.select_related("departement", "instance", "cooperative"), pk=pk
    )


@login_not_required
def transfers_page(request):
    """Served whole to visitors from the page cache until a transfer changes (signals.py)."""
    code, phase = request.GET.get("departement", ""), request.GET.get("phase", "")
    question = (code, phase, request.GET.get("page"))
    return visitor_page(
        request,
        f"care:transfers:{versions(TRANSFERS_VERSION)}:{digest(question)}",
        lambda **extra: _render_transfers(request, code, phase, **extra),
        fresh_for=PUBLIC_FRESH_FOR,
    )


def _render_transfers(request, code, phase, **extra):
    found = Transfer.objects.select_related("departement", "instance", "cooperative")
    if code:
        found = found.filter(departement__code=code)
    if phase.isdigit() and int(phase) in TransferPhase.values:
        found = found.filter(phase=int(phase))
    totals = (
        found.order_by()
        .values("phase")
        .annotate(
            count=Count("pk"),
            in_force=Count("pk", filter=Q(status__in=IN_FORCE)),
            budget=Sum("yearly_budget", filter=Q(status__in=IN_FORCE)),
        )
        .order_by("phase")
    )
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "care/transfers.html",
        {
            "page_obj": page,
            "totals": [{**t, "label": TransferPhase(t["phase"]).label} for t in totals],
            "moved": sum(t["budget"] or 0 for t in totals),
            "departements": Departement.objects.order_by("code"),
            "phases": TransferPhase.choices,
            "chosen": {"departement": code, "phase": phase},
            "can_propose": request.user.is_authenticated
            and Instance.objects.managed_by(request.user).exists(),
            "breadcrumb_data": care_breadcrumb(current="Transferts de compétences"),
            **extra,
        },
    )


def _list_link() -> dict:
    return {"url": reverse("care:transfers"), "title": "Transferts de compétences"}


@login_not_required
def transfer_page(request, pk):
    transfer = _transfer(pk)
    abilities = transfer.abilities(request.user)
    return render(
        request,
        "care/transfer.html",
        {
            "transfer": transfer,
            "abilities": abilities,
            "ballots": Ballot.objects.for_context(transfer).order_by("opens_at", "pk"),
            "history": LogEntry.objects.about((Transfer, [transfer.pk]))
            .filter(public=True)
            .order_by("occurred_at", "pk"),
            "vote_form": BallotDatesForm() if abilities["put_to_vote"] else None,
            "convention_form": ConventionForm() if abilities["attach_convention"] else None,
            "reason_form": ReasonForm() if abilities["suspend"] or abilities["end"] else None,
            "breadcrumb_data": care_breadcrumb(_list_link(), current=str(transfer)),
        },
    )


def transfer_new(request):
    instances = Instance.objects.order_by("name").managed_by(request.user)
    if not instances.exists():
        raise PermissionDenied
    form = TransferForm(request.POST or None, instances=instances)
    if request.method == "POST" and form.is_valid():
        try:
            created = transfers.propose_transfer(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Le transfert est proposé : mettez-le au vote de l'instance.")
            return redirect(created)
    return render(
        request,
        "care/transfer_new.html",
        {"form": form, "breadcrumb_data": care_breadcrumb(_list_link(), current="Proposer")},
    )


@require_POST
def transfer_vote(request, pk):
    transfer = _transfer(pk)
    act(
        request,
        BallotDatesForm(request.POST),
        lambda data: transfers.put_to_vote(transfer, by=request.user, **data),
        "Le vote est préparé : ouvrez-le depuis sa page.",
    )
    return redirect(transfer)


@require_POST
def transfer_convention(request, pk):
    transfer = _transfer(pk)
    act(
        request,
        ConventionForm(request.POST, request.FILES),
        lambda data: transfers.attach_convention(
            transfer, by=request.user, upload=data["convention"]
        ),
        "La convention est jointe : le transfert est conventionné.",
    )
    return redirect(transfer)


STEPS = {
    "vote-adopte": (transfers.record_vote, "Le vote de l'instance est enregistré."),
    "effectif": (transfers.start, "Le transfert est effectif."),
    "reprendre": (transfers.resume, "Le transfert reprend."),
}
STEPS_WITH_REASON = {
    "suspendre": (transfers.suspend, "Le transfert est suspendu."),
    "terminer": (transfers.end, "Il est mis fin au transfert."),
}


@require_POST
def transfer_step(request, pk, step):
    transfer = _transfer(pk)
    if step in STEPS:
        service, success = STEPS[step]
        told(request, lambda: service(transfer, by=request.user), success)
    elif step in STEPS_WITH_REASON:
        service, success = STEPS_WITH_REASON[step]
        act(
            request,
            ReasonForm(request.POST),
            lambda data: service(transfer, by=request.user, reason=data["reason"]),
            success,
        )
    else:
        raise Http404
    return redirect(transfer)


@login_not_required
def convention_file(request, pk):
    transfer = _transfer(pk)
    if not transfer.convention:
        raise Http404
    return FileResponse(
        transfer.convention.open("rb"),
        as_attachment=True,
        filename=f"convention-transfert-{transfer.pk}.pdf",
        content_type="application/pdf",
    )
