"""Creating an instance, applying to it, and its composition (the management page)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from enfance.core.access import get_visible_or_404, require
from enfance.core.forms import add_service_errors

from .. import perms, services
from ..forms import AddMemberForm, ApplicationForm, ConsentForm, EndMembershipForm, InstanceForm
from .common import (
    breadcrumb,
    composition_view,
    instance_link,
    manage_crumbs,
    managed_instance,
    public_instance,
)


def apply(request, slug):
    instance = public_instance(slug)
    require(request.user, perms.can_apply_to_instance, instance)
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.apply(instance, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Votre candidature au collège {application.college.of_label} est déposée. "
                "Le secrétariat de l'instance vous répondra.",
            )
            return redirect(instance)
    return render(
        request,
        "assemblies/apply.html",
        {
            "instance": instance,
            "form": form,
            "breadcrumb_data": breadcrumb(instance_link(instance), current="Candidater"),
        },
    )


def create_instance(request):
    require(request.user, perms.can_create_instance, None)
    form = InstanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            instance = services.create_instance(
                data["departement"],
                by=request.user,
                name=data["name"],
                communes=data["communes"],
                description=data["description"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"L'instance « {instance.name} » est créée.")
            return redirect("assemblies:manage", slug=instance.slug)
    return render(
        request,
        "assemblies/create.html",
        {"form": form, "breadcrumb_data": breadcrumb(current="Créer une instance")},
    )


def manage(request, slug):
    instance = managed_instance(request, slug)
    form = AddMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_member(
                instance,
                by=request.user,
                user=form.person,
                college=data["college"],
                mandate_start=data["mandate_start"],
                mandate_end=data["mandate_end"],
                selection_method=data["selection_method"],
                role=data["role"],
                expert_field=data["expert_field"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Le membre est installé.")
            return redirect("assemblies:manage", slug=slug)
    report, colleges = composition_view(instance)
    return render(
        request,
        "assemblies/manage.html",
        {
            "instance": instance,
            "abilities": instance.abilities(request.user),
            "form": form,
            "report": report,
            "colleges": colleges,
            "end_form": EndMembershipForm(initial={"ended_on": timezone.localdate()}),
            "breadcrumb_data": breadcrumb(instance_link(instance), current="Gestion"),
        },
    )


@require_POST
def change_status(request, slug, transition):
    instance = managed_instance(request, slug)
    try:
        services.change_instance_status(instance, by=request.user, transition=transition)
    except (ValidationError, ValueError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, "L'état de l'instance est mis à jour.")
    return redirect("assemblies:manage", slug=slug)


@require_POST
def end_member(request, slug, pk):
    instance = managed_instance(request, slug)
    membership = get_visible_or_404(instance.memberships.seated(), pk=pk)
    form = EndMembershipForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez la date de fin et le motif.")
        return redirect("assemblies:manage", slug=slug)
    try:
        services.end_membership(membership, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Le mandat a pris fin.")
    return redirect("assemblies:manage", slug=slug)


def consent(request, slug, pk):
    instance = managed_instance(request, slug)
    application = get_visible_or_404(
        instance.applications.filter(college__max_age__isnull=False).select_related("applicant"),
        pk=pk,
    )
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_parental_consent(
                instance, by=request.user, child=application.applicant, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Le consentement du parent est enregistré.")
            return redirect("assemblies:applications", slug=slug)
    return render(
        request,
        "assemblies/consent.html",
        {
            "instance": instance,
            "application": application,
            "form": form,
            "breadcrumb_data": manage_crumbs(instance, "Consentement d'un parent"),
        },
    )
