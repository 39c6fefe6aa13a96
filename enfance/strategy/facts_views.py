"""The facts per département, public: the table of every département against the four targets of
2022; the national administrator records a fact from the same page. Rules in facts.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from enfance.core.forms import add_service_errors
from enfance.core.navigation import breadcrumb, crumb
from enfance.territories.models import Departement

from . import facts
from .contracts import can_manage
from .forms import FactForm
from .models import FactKind

TITLE = "Les dispositifs attendus dans chaque département"


@login_not_required
def facts_page(request):
    manages = request.user.is_authenticated and can_manage(request.user)
    form = None
    if manages:
        form = FactForm(
            request.POST or None,
            departements=Departement.objects.order_by("code"),
            initial={"departement": request.GET.get("departement")},
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                fact = facts.record_fact(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Le fait est enregistré : {fact}.")
                return redirect("strategy:facts")
    return render(
        request,
        "strategy/facts.html",
        {
            **facts.national(),
            "kinds": list(FactKind),
            "form": form,
            "breadcrumb_data": breadcrumb(
                crumb("strategy:home", "Stratégie nationale 2020-2022"), current=TITLE
            ),
        },
    )
