import json

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from enfance.core import my_space
from enfance.core.navigation import breadcrumb

from . import services
from .forms import DeleteAccountForm, GrantRoleForm, ProfileForm
from .models import Role
from .pdf import personal_data_pdf


def profile(request):
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            services.update_profile(by=user, **form.cleaned_data)
            messages.success(request, "Votre profil a été mis à jour.")
            return redirect("accounts:profile")
    else:
        form = ProfileForm(initial={name: getattr(user, name) for name in services.PROFILE_FIELDS})
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "blocks": my_space.blocks(user),
            "roles": my_space.roles(user),
            "has_mfa": user.authenticator_set.exists(),
            "breadcrumb_data": breadcrumb(current="Mon compte"),
        },
    )


def export_data(request):
    data = services.export_user_data(request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"mes-donnees-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_data_pdf(request):
    data = services.export_user_data(request.user)
    response = HttpResponse(personal_data_pdf(request.user, data), content_type="application/pdf")
    filename = f"mes-donnees-{timezone.localdate():%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def delete_account(request):
    if request.method == "POST":
        form = DeleteAccountForm(request.POST)
        if form.is_valid():
            user = request.user
            logout(request)
            services.delete_account(by=user)
            messages.success(request, "Votre compte et vos données ont été supprimés.")
            return redirect("core:home")
    else:
        form = DeleteAccountForm()
    return render(request, "accounts/delete_account.html", {"form": form})


def roles(request):
    if not request.user.has_perm("accounts.manage_roles"):
        raise PermissionDenied
    form = GrantRoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            role = services.grant_role(
                form.target_user,
                by=request.user,
                kind=form.cleaned_data["kind"],
                region=form.cleaned_data["region"],
                departement=form.cleaned_data["departement"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, f"Rôle « {role.get_kind_display()} » attribué à {role.user.email}."
            )
            return redirect("accounts:roles")
    active = Role.objects.active().select_related("user", "region", "departement", "granted_by")
    query = request.GET.get("q", "").strip()
    if query:
        active = active.filter(user__email__icontains=query)
    page = Paginator(active.order_by("-granted_at"), 50).get_page(request.GET.get("page"))
    # Each role with what this administrator may do with it: « Retirer » only where the service
    # would accept it (their own territory, never their own role).
    rows = [(role, role.abilities(request.user)) for role in page]
    return render(
        request,
        "accounts/roles.html",
        {"form": form, "page_obj": page, "rows": rows, "q": query},
    )


@require_POST
def withdraw_role(request, pk):
    if not request.user.has_perm("accounts.manage_roles"):
        raise PermissionDenied
    role = get_object_or_404(Role.objects.active(), pk=pk)
    try:
        services.withdraw_role(role, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Rôle « {role.get_kind_display()} » retiré à {role.user.email}.")
    return redirect("accounts:roles")
