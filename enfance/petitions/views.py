"""The petition's pages. The signing POST is the surge path: keep it to a form, two rate-limit
counters in the cache and one INSERT (see services.sign). The pages every signer of a surge
reads (the blank form, the thanks page, the petition page) are served to visitors from the
shared cache (core.pagecache); the counter and the map are fragments rebuilt by one request at a
time (core.cache.rebuilt_once)."""

import functools
import uuid
from html import escape

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache, caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from enfance.assemblies.models import Instance
from enfance.core import ratelimit
from enfance.core.access import get_visible_or_404, require
from enfance.core.cache import rebuilt_once
from enfance.core.csv_export import csv_response
from enfance.core.navigation import breadcrumb
from enfance.core.pagecache import visitor_page
from enfance.core.text import format_count
from enfance.territories.tilemap import TileMap, tile_map

from . import conf, emails, franceconnect, services
from .forms import PaperSheetForm, SignatureForm, WithdrawSheetForm
from .models import PaperSheet, Petition, SurgeBaseline
from .normalization import email_domain
from .perms import (
    can_export_signatures,
    can_manage_petition,
    can_view_paper_sheets,
    secretary_instance_ids,
)
from .sharing import share_links
from .workflows import PETITION_WORKFLOW

# The honeypot: a field people never see (hidden by CSS and from assistive technologies) that
# robots filling every input do fill.
HONEYPOT_FIELD = "website"
CURRENT_PETITION_SECONDS = 5


def _petition_link() -> dict:
    return {"url": reverse("petitions:detail"), "title": "Pétition"}


_CURRENT_KEY = "petitions:current-token"
# This process's copy of the current petition and the cache token it was read under: the cache
# holds a short token, not the petition, so a signing reads a few bytes instead of unpickling a
# model. Another process's token makes this one read the petition once, then share the token.
_current: tuple[str | None, Petition | None] = (None, None)
# The shared token is asked for at most once a second per process (kept in the process's own
# cache): with Redis, that round trip was a fifth of a signing's cache traffic. A petition closed
# by another process is seen here within that second; a signature sent meanwhile is recorded
# but can never be confirmed (confirm() checks the petition's state in the database).
_CHECKED_KEY = "petitions:current-checked"
CURRENT_PETITION_CHECK_SECONDS = 1


def current_petition() -> Petition:
    """The current petition, read again from the database every few seconds (every signing
    needs it). Shared by this process's requests: read it, never change it (the services
    that change a petition lock and reload its row, see core.workflow.apply_transition)."""
    global _current
    known_token, petition = _current
    local = caches["local"]
    if petition is not None and local.get(_CHECKED_KEY) == known_token:
        return petition
    token = cache.get(_CURRENT_KEY)
    if token is None or token != known_token:
        petition = Petition.objects.current().first()
        if petition is None:
            raise Http404("Aucune pétition pour le moment.")
        if token is None:
            token = uuid.uuid4().hex
            cache.set(_CURRENT_KEY, token, CURRENT_PETITION_SECONDS)
        _current = (token, petition)
    local.set(_CHECKED_KEY, token, CURRENT_PETITION_CHECK_SECONDS)
    return petition


def _forget_current_petition() -> None:
    cache.delete(_CURRENT_KEY)
    caches["local"].delete(_CHECKED_KEY)


def _plural(n: int) -> str:
    return "s" if abs(n) >= 2 else ""


def _spread_items(drawn: TileMap, rows, threshold) -> tuple[str, str]:
    """The map's tiles and the table's rows, a hundred of each: written here rather than in a
    template loop, which took 40 ms a render (each variable lookup and `intcomma` costs)."""
    size = drawn.tile_size
    tile_html = "".join(
        f"<g><title>{escape(t['row'].name)} ({escape(t['row'].code)}) : "
        f"{format_count(t['row'].total)} signature{_plural(t['row'].total)}</title>"
        f'<rect x="{t["x"]}" y="{t["y"]}" width="{size}" height="{size}" '
        f'fill="{t["fill"]}" stroke="#3a3a3a"></rect>'
        f'<text x="{t["cx"]}" y="{t["cy"]}" text-anchor="middle" font-size="12" '
        f'fill="{t["text"]}">{escape(t["row"].code)}</text></g>\n'
        for t in drawn.tiles
    )
    row_html = "".join(
        f'<tr><th scope="row">{escape(row.name)} ({escape(row.code)})</th>'
        f'<td class="fr-cell--right">{format_count(row.online)}</td>'
        f'<td class="fr-cell--right">{format_count(row.paper)}</td>'
        f'<td class="fr-cell--right">{format_count(row.total)}</td>'
        f"<td>{'Atteint' if row.total >= threshold else 'Non atteint'}</td></tr>\n"
        for row in rows
    )
    return mark_safe(tile_html), mark_safe(row_html)  # noqa: S308 - every value escaped above


def _spread_html(petition, figures) -> str:
    """The map and the table of the départements: rendered again only when a figure moves."""

    def build():
        drawn = tile_map((row.code, row.total, {"row": row}) for row in figures.rows)
        tile_html, row_html = _spread_items(drawn, figures.rows, figures.threshold)
        return render_to_string(
            "petitions/_spread.html",
            {
                "figures": figures,
                "levels": drawn.levels,
                "width": drawn.width,
                "height": drawn.height,
                "tile_html": tile_html,
                "row_html": row_html,
            },
        )

    html = rebuilt_once(
        f"petitions:spread:{petition.pk}", build, fresh_for=SPREAD_SECONDS, token=figures.changed_at
    )
    return mark_safe(html)  # noqa: S308 - rendered by our own template, escaped there


@login_not_required
def detail(request):
    try:
        petition = current_petition()
    except Http404:
        return render(
            request, "petitions/none.html", {"breadcrumb_data": breadcrumb(current="Pétition")}
        )
    figures = services.counts(petition)

    def build(**extra):
        return render(
            request,
            "petitions/detail.html",
            {
                "petition": petition,
                "figures": figures,
                "spread": _spread_html(petition, figures),
                "abilities": petition.abilities(request.user),
                "breadcrumb_data": breadcrumb(current="Pétition"),
                **extra,
            },
        )

    return visitor_page(
        request,
        f"petitions:page:{petition.pk}",
        build,
        fresh_for=conf.get("COUNTER_CACHE_SECONDS"),
        token=(figures.changed_at, petition.state),
    )


@login_not_required
def counter(request):
    """The live counter, polled by htmx every few seconds."""
    petition = current_petition()
    figures = services.counts(petition)
    html = rebuilt_once(
        f"petitions:counter:{petition.pk}",
        lambda: render_to_string(
            "petitions/detail.html#counter", {"petition": petition, "figures": figures}
        ),
        fresh_for=conf.get("COUNTER_CACHE_SECONDS"),
        token=(figures.changed_at, petition.state),
    )
    return HttpResponse(html)


def _limited(request, form) -> bool:
    """Counters per address, and per e-mail domain except the big webmail providers (whose users
    a surge is made of); one cache round trip each (enfance/core/ratelimit.py)."""
    if ratelimit.exceeded(
        "petitions.sign.ip", ratelimit.client_address(request), conf.get("RATE_PER_IP")
    ):
        return True
    domain = email_domain(form.data.get("email", ""))
    if not domain or domain in conf.open_domains():
        return False
    return ratelimit.exceeded("petitions.sign.domain", domain, conf.get("RATE_PER_DOMAIN"))


@login_not_required
def sign(request):
    petition = current_petition()
    if not petition.accepts_signatures():
        return render(request, "petitions/closed.html", {"petition": petition}, status=410)
    if franceconnect.required():
        return franceconnect.sign(
            request, petition, breadcrumb=breadcrumb(_petition_link(), current="Signer")
        )
    if request.method != "POST":
        return _blank_sign_page(request, petition)
    form = SignatureForm(request.POST)
    if request.POST.get(HONEYPOT_FIELD):
        # Said to have worked, so the robot learns nothing; nothing is stored or sent.
        return HttpResponseRedirect(_thanks_url())
    if _limited(request, form):
        form.add_error(
            None,
            "Trop de signatures ont été envoyées depuis votre connexion ou pour ce domaine de "
            "messagerie. Réessayez dans une heure ; si le problème persiste, écrivez-nous.",
        )
        return _sign_page(request, petition, form, status=429)
    if not form.is_valid():
        return _sign_page(request, petition, form)
    try:
        data = form.cleaned_data
        services.sign(
            petition,
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            commune=data["commune"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _sign_page(request, petition, form)
    return HttpResponseRedirect(_thanks_url())


@functools.cache
def _thanks_url() -> str:
    return reverse("petitions:thanks")


# The blank form and the thanks page are the same for every visitor: rendered once a minute.
BLANK_FORM_SECONDS = 60
# The map and table are keyed by the figures they show: kept as long as those do not move.
SPREAD_SECONDS = 3600


def _blank_sign_page(request, petition):
    """The blank form, which every signer of a surge loads first: six times cheaper from the
    cache than rendering the DSFR form each time."""
    return visitor_page(
        request,
        f"petitions:sign-page:{petition.pk}",
        lambda **extra: _sign_page(request, petition, SignatureForm(), **extra),
        fresh_for=BLANK_FORM_SECONDS,
    )


def _sign_page(request, petition, form, status=200, **extra):
    return render(
        request,
        "petitions/sign.html",
        {
            "petition": petition,
            "form": form,
            "honeypot": HONEYPOT_FIELD,
            "breadcrumb_data": breadcrumb(_petition_link(), current="Signer"),
            **extra,
        },
        status=status,
    )


@login_not_required
def thanks(request):
    """Where every signer of a surge lands: the same page for all, so from the cache."""

    def build(**extra):
        return render(
            request,
            "petitions/thanks.html",
            {
                "days": conf.get("CONFIRMATION_DAYS"),
                "breadcrumb_data": breadcrumb(_petition_link(), current="Vérifiez vos courriels"),
                **extra,
            },
        )

    return visitor_page(request, "petitions:thanks-page", build, fresh_for=BLANK_FORM_SECONDS)


def _link_page(request, template, context, status=200):
    context["breadcrumb_data"] = breadcrumb(_petition_link(), current="Confirmation")
    return render(request, template, context, status=status)


@login_not_required
def confirm(request, token):
    check = emails.read_token(token)
    if check.signature is None:
        return _link_page(request, "petitions/link_invalid.html", {}, status=404)
    if check.expired:
        return _link_page(request, "petitions/link_expired.html", {"token": token}, status=410)
    signature = check.signature
    if signature.confirmed_at is not None:
        return _link_page(
            request,
            "petitions/confirmed.html",
            {"already": True, "share": share_links(signature.petition)},
        )
    if request.method == "POST":
        try:
            services.confirm(signature)
        except ValidationError as error:
            return _link_page(
                request, "petitions/confirm.html", {"error": error.messages[0]}, status=410
            )
        return redirect("petitions:confirmed")
    return _link_page(request, "petitions/confirm.html", {"petition": signature.petition})


@login_not_required
def confirmed(request):
    petition = current_petition()
    return _link_page(
        request,
        "petitions/confirmed.html",
        {
            "petition": petition,
            "figures": services.counts(petition),
            "share": share_links(petition),
        },
    )


@login_not_required
@require_POST
def new_link(request, token):
    check = emails.read_token(token)
    if check.signature is None:
        return _link_page(request, "petitions/link_invalid.html", {}, status=404)
    if ratelimit.exceeded(
        "petitions.new_link", ratelimit.client_address(request), conf.get("RATE_PER_IP")
    ):
        return _link_page(
            request, "petitions/link_expired.html", {"token": token, "limited": True}, 429
        )
    services.request_new_link(check.signature)
    return _link_page(request, "petitions/link_sent.html", {"days": conf.get("CONFIRMATION_DAYS")})


# --- National administration ----------------------------------------------------------------


def manage(request):
    petition = current_petition()
    require(request.user, can_manage_petition, petition)
    if request.method == "POST":
        name = request.POST.get("transition", "")
        try:
            PETITION_WORKFLOW.get(name)
            petition = services.transition(petition, by=request.user, name=name)
        except ValueError as error:
            raise Http404 from error
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"Pétition : état « {petition.get_state_display()} ».")
        _forget_current_petition()
        return redirect("petitions:manage")
    return render(
        request,
        "petitions/manage.html",
        {
            "petition": petition,
            "figures": services.counts(petition),
            "internal": services.management_figures(petition, by=request.user),
            "abilities": petition.abilities(request.user),
            "anonymise_after": conf.get("ANONYMISE_AFTER_DAYS"),
            "breadcrumb_data": breadcrumb(_petition_link(), current="Gestion"),
        },
    )


def export(request):
    petition = current_petition()
    require(request.user, can_export_signatures, petition)
    rows = services.export_rows(petition, by=request.user)
    return csv_response(rows, filename=f"signatures-{petition.slug}.csv")


# --- Paper sheets ---------------------------------------------------------------------------


def paper_sheets(request):
    petition = current_petition()
    if not can_view_paper_sheets(request.user):
        raise PermissionDenied
    own = Instance.objects.filter(pk__in=secretary_instance_ids(request.user)).order_by("name")
    form = None
    if own:
        form = PaperSheetForm(request.POST or None, instances=own)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.add_paper_sheet(petition, by=request.user, **data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, f"{data['signatures']} signatures papier ont été enregistrées."
                )
                return redirect("petitions:paper_sheets")
    elif request.method == "POST":
        raise PermissionDenied
    sheets = PaperSheet.objects.filter(petition=petition).select_related(
        "instance", "entered_by", "withdrawn_by"
    )
    if not can_manage_petition(request.user, petition):
        sheets = sheets.filter(instance__in=own)
    return render(
        request,
        "petitions/paper_sheets.html",
        {
            "petition": petition,
            "form": form,
            "sheets": sheets[:200],
            "own_ids": secretary_instance_ids(request.user),
            "abilities": petition.abilities(request.user),
            "breadcrumb_data": breadcrumb(_petition_link(), current="Feuilles papier"),
        },
    )


@require_POST
def withdraw_sheet(request, pk):
    own = PaperSheet.objects.filter(instance__in=secretary_instance_ids(request.user))
    sheet = get_visible_or_404(own.select_related("instance"), pk=pk)
    form = WithdrawSheetForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez le motif du retrait.")
        return redirect("petitions:paper_sheets")
    try:
        services.withdraw_paper_sheet(sheet, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "La saisie a été retirée ; le journal garde sa trace.")
    return redirect("petitions:paper_sheets")


# --- Benchmark ------------------------------------------------------------------------------


@login_not_required
@csrf_exempt
@require_POST
def bench_insert(request):
    """The surge benchmark's yardstick: a bare view doing one INSERT. A 404 unless BENCH_VIEWS=1
    (or settings.PETITION_BENCH_VIEWS), so it never exists in production."""
    if not conf.get("BENCH_VIEWS"):
        raise Http404
    SurgeBaseline.objects.bulk_create(
        [SurgeBaseline(email=request.POST.get("email", ""))], ignore_conflicts=True
    )
    return HttpResponse(status=204)
