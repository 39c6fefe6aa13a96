"""Signing through FranceConnect, where the petition requires it (PETITION_REQUIRE_FRANCECONNECT,
only where FranceConnect is on): the form asks to sign in with FranceConnect and takes the
names from the identity; the signature counts at once (services.sign_with_franceconnect).

Off, nothing here runs: views.sign asks `required()` (two values read once per process) and
goes on with the e-mail signing, unchanged."""

from allauth.socialaccount.adapter import get_adapter
from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse

from enfance.accounts.state_signin import identity as state_identity
from enfance.accounts.state_signin.identity import FRANCECONNECT
from enfance.core.pagecache import visitor_page

from . import conf, services
from .forms import CachedCommuneField, SignatureForm
from .sharing import share_links


def required() -> bool:
    return conf.get("REQUIRE_FRANCECONNECT") and state_identity.enabled(FRANCECONNECT)


class FranceConnectSignatureForm(forms.Form):
    """The names and the address come from the identity: only the commune and the consent."""

    commune = CachedCommuneField(help_text=SignatureForm.base_fields["commune"].help_text)
    consent = forms.BooleanField(
        label="J'accepte que mes nom, prénom, adresse électronique et commune soient utilisés "
        "pour enregistrer ma signature et la déposer avec la pétition.",
        help_text=SignatureForm.base_fields["consent"].help_text,
        error_messages=SignatureForm.base_fields["consent"].error_messages,
    )


def sign(request, petition, *, breadcrumb):
    identity = state_identity.current(request, FRANCECONNECT)
    if identity is None:
        if request.method == "POST":
            # Sent to FranceConnect, and brought back to this form.
            provider = get_adapter(request).get_provider(request, FRANCECONNECT)
            return provider.redirect(request, "login", next_url=reverse("petitions:sign"))
        return visitor_page(
            request,
            f"petitions:sign-page-franceconnect:{petition.pk}",
            lambda **extra: _page(request, petition, None, None, breadcrumb, **extra),
            fresh_for=60,
        )
    form = FranceConnectSignatureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            signed = services.sign_with_franceconnect(
                petition,
                first_name=identity["first_name"],
                last_name=identity["last_name"],
                email=request.user.email,
                identity_digest=identity["subject"],
                commune=form.cleaned_data["commune"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(
                request,
                "petitions/confirmed.html",
                {
                    "petition": petition,
                    "already": not signed,
                    "figures": services.counts(petition),
                    "share": share_links(petition),
                    "breadcrumb_data": breadcrumb,
                },
            )
    return _page(request, petition, identity, form, breadcrumb)


def _page(request, petition, identity, form, breadcrumb, **extra):
    return render(
        request,
        "petitions/sign_franceconnect.html",
        {
            "petition": petition,
            "identity": identity,
            "form": form,
            "breadcrumb_data": breadcrumb,
            **extra,
        },
    )
