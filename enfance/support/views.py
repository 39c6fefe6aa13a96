"""Pages of the support module: thin, rules in services.py and perms.py, what a page offers in
``request.abilities``."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from enfance.core.access import get_visible_or_404
from enfance.core.forms import act, add_service_errors, told

from . import attachments, perms, services, testimonies
from .forms import DisclosureForm, MessageForm, RequestForm, TestimonyForm
from .models import Attachment, Interlocutor, RequestRead, SupportRequest, Testimony
from .pdf import request_pdf
from .personal_data import request_data
from .safeguarding import disclosures_of

PER_PAGE = 25
# What a list never shows: left in the database, not decrypted for nothing.
CONFIDED = ("situation", "contact")


def retention() -> str:
    """The published schedule in words: « deux ans » rather than 730 days."""
    days = settings.SUPPORT_RETENTION_DAYS
    years = {365: "un an", 730: "deux ans", 1095: "trois ans"}
    return years.get(days, f"{days} jours")


def breadcrumb(*links, current: str) -> dict:
    root = {"url": reverse("support:home"), "title": "Écoute et soutien"}
    return {"links": [root, *links], "current": current, "root_dir": reverse("core:home")}


@login_not_required
def home(request):
    user = request.user
    mine = (
        SupportRequest.objects.filter(parent=user).select_related("departement").defer(*CONFIDED)
        if user.is_authenticated
        else SupportRequest.objects.none()
    )
    return render(
        request,
        "support/home.html",
        {
            "page_obj": Paginator(mine, PER_PAGE).get_page(request.GET.get("page")),
            "is_professional": perms.is_professional(user),
            "answer_hours": settings.SUPPORT_FIRST_ANSWER_HOURS,
            "retention": retention(),
            "breadcrumb_data": {
                "links": [],
                "current": "Écoute et soutien",
                "root_dir": reverse("core:home"),
            },
        },
    )


def new_request(request):
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.submit(parent=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "Votre demande est envoyée. Un professionnel vous répondra ici ; vous recevrez "
                "un courriel quand un message vous attend.",
            )
            return redirect(created)
    return render(
        request,
        "support/new.html",
        {
            "form": form,
            "retention": retention(),
            "answer_hours": settings.SUPPORT_FIRST_ANSWER_HOURS,
            "breadcrumb_data": breadcrumb(current="Écrire une demande"),
        },
    )


def _request(request, pk, requests=SupportRequest.objects) -> SupportRequest:
    """The request, for its parent, the professional who handles it, or a professional who may
    take it; a 404 for anyone else, as if it did not exist."""
    found = get_visible_or_404(requests.select_related("departement", "handler"), pk=pk)
    if not (perms.can_read(request.user, found) or perms.can_take(request.user, found)):
        raise Http404
    return found


def request_page(request, pk):
    # Whether there are testimonies or people to consult, read with the request: most have
    # neither, and the page then asks nothing more.
    found = _request(
        request,
        pk,
        SupportRequest.objects.annotate(
            has_testimonies=Exists(Testimony.objects.filter(request=OuterRef("pk"))),
            has_interlocutors=Exists(Interlocutor.objects.filter(parent=OuterRef("parent"))),
        ),
    )
    abilities = found.abilities(request.user)
    thread = services.read(found, by=request.user) if abilities["read"] else None
    return render(
        request,
        "support/request.html",
        {
            "support": found,
            "abilities": abilities,
            "thread": thread,
            "message_form": MessageForm() if abilities["write"] else None,
            "disclosure_form": DisclosureForm() if abilities["disclose"] else None,
            "disclosures": disclosures_of(found) if abilities["read"] else None,
            # The professional who handles it sees whom the parent asks the services to consult.
            "testimonies": found.testimonies.prefetch_related("themes", "proposals")
            if abilities["read"] and found.has_testimonies
            else None,
            "can_propose_testimony": abilities["disclose"],
            "interlocutors": (
                Interlocutor.objects.filter(parent_id=found.parent_id)
                if found.has_interlocutors
                else []
            )
            if abilities["disclose"]
            else None,
            "reads": found.reads.select_related("reader")[:50] if abilities["see_reads"] else None,
            "breadcrumb_data": breadcrumb(current=f"Demande n° {found.pk}"),
        },
    )


@require_POST
def message(request, pk):
    found = _request(request, pk)
    act(
        request,
        MessageForm(request.POST, request.FILES),
        lambda data: services.send_message(
            found, by=request.user, body=data["body"], attachment=data["attachment"]
        ),
        "Votre message est envoyé.",
    )
    return redirect(f"{found.get_absolute_url()}#fil")


def attachment(request, pk):
    """A joined file, decrypted for the parent or the professional who handles the request (a
    professional's download is recorded as a read); a 404 for anyone else."""
    joined = get_visible_or_404(
        Attachment.objects.select_related("message__request__departement"), pk=pk
    )
    found = joined.message.request
    if not perms.can_read(request.user, found):
        raise Http404
    if not perms.is_parent(request.user, found):
        RequestRead.objects.create(request=found, reader=request.user)
    response = HttpResponse(attachments.read(joined), content_type=joined.content_type)
    response["Content-Disposition"] = content_disposition_header(True, joined.filename)
    return response


def _own(request, pk) -> SupportRequest:
    found = _request(request, pk)
    if not perms.is_parent(request.user, found):
        raise Http404
    return found


def _attachment(content, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def download_json(request, pk):
    data = request_data(_own(request, pk))
    return _attachment(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        "application/json; charset=utf-8",
        f"demande-{pk}.json",
    )


def download_pdf(request, pk):
    return _attachment(
        request_pdf(request_data(_own(request, pk))), "application/pdf", f"demande-{pk}.pdf"
    )


def delete(request, pk):
    found = _own(request, pk)
    if request.method == "POST":
        services.delete(found, by=request.user)
        messages.success(request, "Votre demande et ses échanges sont supprimés.")
        return redirect("support:home")
    return render(
        request,
        "support/delete.html",
        {
            "support": found,
            "breadcrumb_data": breadcrumb(
                {"url": found.get_absolute_url(), "title": f"Demande n° {found.pk}"},
                current="Supprimer",
            ),
        },
    )


@require_POST
def disclose(request, pk):
    found = _request(request, pk)
    act(
        request,
        DisclosureForm(request.POST),
        lambda data: services.disclose(found, by=request.user, reason=data["reason"]),
        "Le danger est transmis aux référents protection, qui suivent la procédure du 119 et de "
        "la cellule départementale.",
    )
    return redirect(found)


def testimony(request, pk):
    """The professional who handles the request proposes a testimony to the parent (a page of
    its own: the thread stays light)."""
    found = _request(request, pk)
    if not perms.handles(request.user, found):
        raise Http404
    form = TestimonyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            testimonies.propose(found, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, "Le témoignage est proposé au parent, qui l'acceptera ou non."
            )
            return redirect(f"{found.get_absolute_url()}#temoignages")
    return render(
        request,
        "support/testimony.html",
        {
            "support": found,
            "form": form,
            "breadcrumb_data": breadcrumb(
                {"url": found.get_absolute_url(), "title": f"Demande n° {found.pk}"},
                current="Proposer un témoignage",
            ),
        },
    )


@require_POST
def testimony_decision(request, pk, decision):
    if decision not in ("accepter", "refuser"):
        raise Http404
    proposed = get_visible_or_404(
        Testimony.objects.filter(request__parent=request.user).select_related("request"), pk=pk
    )
    accept = decision == "accepter"
    told(
        request,
        lambda: testimonies.decide(proposed, by=request.user, accept=accept),
        "Merci : votre témoignage comptera parmi ceux qui appuient la réforme."
        if accept
        else "C'est noté : ce témoignage ne sera pas utilisé.",
    )
    return redirect(f"{proposed.request.get_absolute_url()}#temoignages")


TRANSITIONS = {
    "prendre": (services.take, "Vous suivez cette demande : répondez au parent ci-dessous."),
    "remettre": (services.release, "La demande est remise dans la file."),
    "clore": (services.close, "La demande est close."),
}


@require_POST
def transition(request, pk, action):
    if action not in TRANSITIONS:
        raise Http404
    found = _request(request, pk)
    service, success = TRANSITIONS[action]
    told(request, lambda: service(found, by=request.user), success)
    if action == "remettre":
        return redirect("support:queue")
    return redirect(found)
