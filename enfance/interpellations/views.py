from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache as fragment_cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from enfance.assemblies.caching import instance_version
from enfance.assemblies.models import Instance, Membership
from enfance.core.access import get_visible_or_404, require
from enfance.core.cache import digest, rebuilt_once, version
from enfance.core.forms import add_service_errors
from enfance.core.navigation import breadcrumb, crumb
from enfance.territories.services import cache_version

from . import services, stats
from .enums import InstitutionKind, State
from .forms import (
    InterpellationForm,
    LinkAnswerForm,
    ListFilterForm,
    PostalAnswerForm,
    SendForm,
    VoteForm,
)
from .models import Institution, Interpellation, answer_status_q
from .perms import can_manage_interpellation
from .signals import VERSION
from .voting import vote_progress

PER_PAGE = 20
# The public fragments are rebuilt at least this often, and at once when an interpellation
# changes (signals.py) or the day turns (statuses move with the date).
FRAGMENT_SECONDS = 3600


def _breadcrumb(*links, current: str) -> dict:
    return breadcrumb(crumb("interpellations:list", "Interpellations"), *links, current=current)


def _link(interpellation) -> dict:
    return {"url": interpellation.get_absolute_url(), "title": interpellation.title}


def _detail_queryset():
    return Interpellation.objects.select_related(
        "institution", "instance__departement", "ballot__result"
    )


def _visible(request, pk) -> Interpellation:
    return get_visible_or_404(_detail_queryset().visible_to(request.user), pk=pk)


def _managed(request, pk) -> Interpellation:
    interpellation = _visible(request, pk)
    require(request.user, can_manage_interpellation, interpellation)
    return interpellation


def _managed_instances(user):
    return Instance.objects.order_by("name").managed_by(user)


# Public pages --------------------------------------------------------------------------------


def _cached_fragment(request, name: str, render) -> str:
    """A public fragment, the same for everyone asking the same thing: rendered once (by one
    request at a time), cached until an interpellation changes (signals.py) or the day turns
    (statuses move with the date)."""
    question = (sorted(request.GET.lists()), timezone.localdate().isoformat())
    key = f"interpellations:{name}:{version(VERSION)}:{digest(question)}"
    fragment = rebuilt_once(key, render, fresh_for=FRAGMENT_SECONDS)
    return mark_safe(fragment)  # noqa: S308 - rendered by our own templates, escaped there


@login_not_required
def interpellation_list(request):
    form = ListFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    filtered = any(filters.values())

    def render_results():
        items = Interpellation.objects.public().for_list().order_by("-adopted_at", "-pk")
        if filters.get("kind"):
            items = items.filter(institution__kind=filters["kind"])
        if filters.get("statut"):
            items = items.filter(answer_status_q(filters["statut"], timezone.localdate()))
        if filters.get("departement"):
            items = items.filter(instance__departement=filters["departement"])
        if filters.get("instance"):
            items = items.filter(instance=filters["instance"])
        page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
        return render_to_string(
            "interpellations/_list_results.html",
            {"page_obj": page, "filtered": filtered},
            request=request,
        )

    return render(
        request,
        "interpellations/list.html",
        {
            "form": form,
            "results": _cached_fragment(request, "list", render_results),
            "filtered": filtered,
            "instance_filter": filters.get("instance"),
            "territories_version": cache_version(),
            "can_draft": request.user.is_authenticated
            and _managed_instances(request.user).exists(),
        },
    )


def _render_body(interpellation) -> str:
    ballot = interpellation.ballot
    result = getattr(ballot, "result", None) if ballot is not None else None
    return render_to_string(
        "interpellations/_detail_public.html",
        {
            "interpellation": interpellation,
            "status": interpellation.answer_status(),
            "ballot": ballot,
            "result": result.data if result is not None else None,
        },
    )


def _public_page(pk, interpellation=None) -> dict:
    """The body of a public interpellation's page, the same for everyone: rendered once, cached
    until an interpellation or an institution changes (signals.py), its instance changes (the
    assemblies' version: name, département) or the day turns (the answer status moves with the
    date). 404 when the interpellation is not public."""
    today = timezone.localdate()
    # The version is read before the data: a write committed meanwhile bumps it past this key.
    key = f"interpellations:detail:{pk}:{version(VERSION)}:{today.isoformat()}"
    page = fragment_cache.get(key)
    if page is not None and page["instance_version"] == instance_version(page["instance_id"]):
        return page
    if interpellation is None:
        interpellation = get_visible_or_404(_detail_queryset().public(), pk=pk)
    page = {
        "title": interpellation.title,
        "instance_id": interpellation.instance_id,
        "instance_version": instance_version(interpellation.instance_id),
        "body": _render_body(interpellation),
    }
    fragment_cache.set(key, page, timeout=FRAGMENT_SECONDS)
    return page


@login_not_required
def detail(request, pk):
    user = request.user
    if not user.is_authenticated:
        # A visitor sees public interpellations only and can act on none: the cached page.
        page = _public_page(pk)
        return render(
            request,
            "interpellations/detail.html",
            {
                "title": page["title"],
                "body": mark_safe(page["body"]),  # noqa: S308 - rendered by our own template
                # Without an account, nothing to act on.
                "abilities": {},
                "breadcrumb_data": _breadcrumb(current=page["title"]),
            },
        )
    interpellation = _visible(request, pk)
    if interpellation.is_public:
        body = _public_page(pk, interpellation)["body"]
    else:
        # A draft, a vote or a rejection: for the instance's members only, never cached.
        body = _render_body(interpellation)
    # The vote's progress, for the secretariat: what the page says of its closing.
    concluding = (
        interpellation.state == State.VOTING
        and interpellation.ballot_id is not None
        and can_manage_interpellation(user, interpellation)
    )
    return render(
        request,
        "interpellations/detail.html",
        {
            "title": interpellation.title,
            "body": mark_safe(body),  # noqa: S308 - rendered by our own template
            "interpellation": interpellation,
            "ballot": interpellation.ballot,
            "abilities": interpellation.abilities(user),
            "progress": vote_progress(interpellation.ballot) if concluding else None,
            "vote_form": VoteForm(initial=VoteForm.default()),
            "send_form": SendForm(
                initial={
                    "due_on": services.add_months(timezone.localdate(), services.answer_months())
                }
            ),
            "breadcrumb_data": _breadcrumb(current=interpellation.title),
        },
    )


@login_not_required
def institutions(request):
    def render_tables():
        today = timezone.localdate()
        page = Paginator(stats.institutions_with_stats(today), PER_PAGE).get_page(
            request.GET.get("page")
        )
        rows = list(page.object_list)
        medians = stats.median_delays([row.pk for row in rows])
        for row in rows:
            row.median_delay = medians.get(row.pk)
            stats.with_rates(row.__dict__)
        kinds = dict(InstitutionKind.choices)
        summary = stats.by_kind(today)
        for row in summary:
            row["label"] = kinds.get(row["institution__kind"], row["institution__kind"])
        return render_to_string(
            "interpellations/_institutions_tables.html",
            {"page_obj": page, "rows": rows, "summary": summary},
            request=request,
        )

    return render(
        request,
        "interpellations/institutions.html",
        {
            "tables": _cached_fragment(request, "institutions", render_tables),
            "page_number": request.GET.get("page", ""),
            "breadcrumb_data": _breadcrumb(current="Réponses des institutions"),
        },
    )


@login_not_required
def institution(request, pk):
    institution = get_visible_or_404(Institution.objects.all(), pk=pk)
    items = (
        Interpellation.objects.public()
        .filter(institution=institution)
        .for_list()
        .order_by("-adopted_at", "-pk")
    )
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "interpellations/institution.html",
        {
            "institution": institution,
            "figures": stats.stats_for(institution, timezone.localdate()),
            "page_obj": page,
            "breadcrumb_data": _breadcrumb(
                {
                    "url": reverse("interpellations:institutions"),
                    "title": "Réponses des institutions",
                },
                current=institution.name,
            ),
        },
    )


# The instance's work -------------------------------------------------------------------------


def mine(request):
    """Every interpellation of the instances this person sits in or runs, drafts included."""
    user = request.user
    instance_ids = set(
        Membership.objects.current().filter(user=user).values_list("instance", flat=True)
    )
    items = (
        Interpellation.objects.visible_to(user)
        .filter(Q(instance__in=instance_ids) | Q(instance__in=_managed_instances(user)))
        .for_list()
        .order_by("-created_at", "-pk")
    )
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "interpellations/mine.html",
        {
            "page_obj": page,
            "breadcrumb_data": _breadcrumb(current="Les interpellations de mes instances"),
        },
    )


def create(request):
    instances = _managed_instances(request.user)
    if not instances.exists():
        raise PermissionDenied("Seul le secrétariat d'une instance rédige ses interpellations.")
    form = InterpellationForm(request.POST or None, instances=instances)
    if request.method == "POST" and form.is_valid():
        try:
            interpellation = services.create_interpellation(
                form.cleaned_data["instance"], by=request.user, **form.service_fields()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                "Le brouillon est enregistré. Seuls les membres de l'instance et "
                "l'administration nationale de la plateforme le voient ; soumettez-le au vote "
                "quand il est prêt.",
            )
            return redirect(interpellation)
    title = "Rédiger une interpellation"
    return render(
        request,
        "interpellations/form.html",
        {"form": form, "title": title, "breadcrumb_data": _breadcrumb(current=title)},
        status=400 if form.errors else 200,
    )


def edit(request, pk):
    interpellation = _managed(request, pk)
    initial = {
        "institution_kind": interpellation.institution.kind,
        "institution_name": interpellation.institution.name,
        **{key: getattr(interpellation, key) for key in services.TEXT_FIELDS},
    }
    form = InterpellationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_interpellation(interpellation, by=request.user, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Le brouillon est mis à jour.")
            return redirect(interpellation)
    title = "Modifier le brouillon"
    return render(
        request,
        "interpellations/form.html",
        {
            "form": form,
            "title": title,
            "interpellation": interpellation,
            "breadcrumb_data": _breadcrumb(_link(interpellation), current=title),
        },
        status=400 if form.errors else 200,
    )


def _action_page(request, interpellation, form, *, template, title, status=400):
    return render(
        request,
        template,
        {
            "interpellation": interpellation,
            "form": form,
            "title": title,
            "breadcrumb_data": _breadcrumb(_link(interpellation), current=title),
        },
        status=status,
    )


@require_POST
def submit_to_vote(request, pk):
    interpellation = _managed(request, pk)
    form = VoteForm(request.POST)
    if form.is_valid():
        try:
            services.submit_to_vote(
                interpellation, by=request.user, closes_at=form.cleaned_data["closes_at"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, "Le vote est ouvert : chaque membre de l'instance a reçu un courriel."
            )
            return redirect(interpellation)
    return _action_page(
        request, interpellation, form, template="interpellations/vote.html",
        title="Soumettre au vote",
    )  # fmt: skip


def _simple(request, pk, service, done):
    interpellation = _managed(request, pk)
    try:
        updated = service(interpellation, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done(updated) if callable(done) else done)
    return redirect(interpellation)


@require_POST
def conclude(request, pk):
    return _simple(
        request,
        pk,
        services.conclude_vote,
        lambda i: {
            State.ADOPTED: "L'interpellation est adoptée. Vous pouvez l'envoyer à l'institution.",
            State.REJECTED: "L'interpellation n'est pas adoptée.",
            State.DRAFT: "Le vote a été annulé : l'interpellation redevient un brouillon.",
        }[i.state],
    )


@require_POST
def back_to_draft(request, pk):
    return _simple(request, pk, services.back_to_draft, "L'interpellation redevient un brouillon.")


@require_POST
def send(request, pk):
    interpellation = _managed(request, pk)
    form = SendForm(request.POST)
    if form.is_valid():
        try:
            services.send(interpellation, by=request.user, due_on=form.cleaned_data["due_on"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"L'interpellation est envoyée à {interpellation.contact_email}, avec un lien "
                "pour y répondre.",
            )
            return redirect(interpellation)
    return _action_page(
        request, interpellation, form, template="interpellations/send.html",
        title="Envoyer à l'institution",
    )  # fmt: skip


def postal_answer(request, pk):
    interpellation = _managed(request, pk)
    form = PostalAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_postal_answer(interpellation, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "La réponse reçue par courrier est publiée.")
            return redirect(interpellation)
    return _action_page(
        request,
        interpellation,
        form,
        template="interpellations/postal_answer.html",
        title="Enregistrer une réponse reçue par courrier",
        status=400 if form.errors else 200,
    )


# The institution's secret link ---------------------------------------------------------------

# The interpellations this browser answered through their link (the most recent ones).
_ANSWERED_SESSION_KEY = "interpellations_answered"


@login_not_required
@never_cache
def answer(request, token):
    interpellation = services.find_by_token(token)
    if interpellation is None or not interpellation.is_sent:
        raise Http404("Ce lien n'est pas valable.")
    if interpellation.state == State.ANSWERED:
        return render(
            request, "interpellations/answer_done.html", {"interpellation": interpellation},
            status=410,
        )  # fmt: skip
    form = LinkAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_by_link(token, **form.cleaned_data)
        except ValidationError as exc:
            interpellation.refresh_from_db()
            if interpellation.state == State.ANSWERED:
                return render(
                    request, "interpellations/answer_done.html",
                    {"interpellation": interpellation}, status=410,
                )  # fmt: skip
            add_service_errors(form, exc)
        else:
            # The thanks page says « enregistrée » to this browser only (answer_thanks).
            answered = request.session.get(_ANSWERED_SESSION_KEY, [])
            request.session[_ANSWERED_SESSION_KEY] = [*answered, interpellation.pk][-20:]
            return redirect("interpellations:answer_thanks", pk=interpellation.pk)
    return render(
        request,
        "interpellations/answer.html",
        {"interpellation": interpellation, "form": form},
        status=400 if form.errors else 200,
    )


@login_not_required
def answer_thanks(request, pk):
    """Thanks whoever answered through the secret link, in this browser's session; anyone else
    (a visitor who guessed the address) is sent to the interpellation's public page."""
    interpellation = get_visible_or_404(
        Interpellation.objects.public().select_related("institution", "instance"), pk=pk
    )
    if interpellation.pk not in request.session.get(_ANSWERED_SESSION_KEY, []):
        return redirect(interpellation)
    return render(request, "interpellations/answer_thanks.html", {"interpellation": interpellation})
