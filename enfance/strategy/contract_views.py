"""The contracts between the State and the départements: public, comparable across
départements; kept by the national administrator from the contract's page. Rules in
contracts.py."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from enfance.core.access import get_visible_or_404
from enfance.core.forms import act, add_service_errors
from enfance.core.navigation import breadcrumb, crumb
from enfance.inspections.models import ControlPlan
from enfance.territories.models import Departement

from . import contracts
from .forms import (
    AssessmentForm,
    ContractForm,
    CreditForm,
    CriterionForm,
    ObjectiveForm,
    SignForm,
    ValueForm,
)
from .models import Contract, ContractCriterion

TITLE = "Contrats État–départements"


@login_not_required
def contracts_page(request):
    rows = [
        {"contract": contract, **contracts.progress(contract)}
        for contract in contracts.with_progress().order_by("departement__code", "-year")
    ]
    manages = request.user.is_authenticated and contracts.can_manage(request.user)
    form = (
        ContractForm(request.POST or None, departements=Departement.objects.order_by("code"))
        if manages
        else None
    )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                created = contracts.create_contract(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect(created)
    return render(
        request,
        "strategy/contracts.html",
        {
            "rows": rows,
            "criteria_count": ContractCriterion.objects.count(),
            "form": form,
            "breadcrumb_data": breadcrumb(
                crumb("strategy:home", "Stratégie nationale 2020-2022"), current=TITLE
            ),
        },
    )


def _contract(code, year) -> Contract:
    return get_visible_or_404(contracts.with_progress(), departement__code=code, year=year)


@login_not_required
def contract_page(request, code, year):
    contract = _contract(code, year)
    abilities = contract.abilities(request.user)
    statuses = {s.criterion_id: s for s in contract.criteria.all()}
    criteria = ContractCriterion.objects.all()
    manage = abilities["manage"]
    objectives = contract.objectives.all()
    return render(
        request,
        "strategy/contract.html",
        {
            "contract": contract,
            "abilities": abilities,
            "criteria": [{"criterion": c, "status": statuses.get(c.pk)} for c in criteria],
            "objectives": objectives,
            "progress": contracts.progress(contract),
            "credits": contract.credits.all(),
            "plan": ControlPlan.objects.filter(
                departement=contract.departement, year=contract.year
            ).first(),
            "forms": {
                "assessment": AssessmentForm(initial={"assessment": contract.assessment}),
                "criterion": CriterionForm(criteria=criteria),
                "objective": ObjectiveForm(),
                "value": ValueForm(objectives=objectives),
                "credit": CreditForm(),
                "sign": SignForm(),
            }
            if manage
            else None,
            "breadcrumb_data": breadcrumb(
                crumb("strategy:home", "Stratégie nationale 2020-2022"),
                crumb("strategy:contracts", TITLE),
                current=str(contract),
            ),
        },
    )


STEPS = {
    "etat-des-lieux": (
        AssessmentForm,
        lambda contract, by, data: contracts.write_assessment(contract, by=by, **data),
        "L'état des lieux est enregistré.",
    ),
    "critere": (
        CriterionForm,
        lambda contract, by, data: contracts.set_criterion(contract, by=by, **data),
        "Le critère est enregistré.",
    ),
    "objectif": (
        ObjectiveForm,
        lambda contract, by, data: contracts.add_objective(contract, by=by, **data),
        "L'objectif est ajouté.",
    ),
    "valeur": (
        ValueForm,
        lambda contract, by, data: contracts.record_value(by=by, **data),
        "La valeur est enregistrée.",
    ),
    "credits": (
        CreditForm,
        lambda contract, by, data: contracts.add_credit(contract, by=by, **data),
        "Les crédits sont enregistrés.",
    ),
    "signer": (
        SignForm,
        lambda contract, by, data: contracts.sign(contract, by=by, **data),
        "Le contrat est signé.",
    ),
}


@require_POST
def contract_step(request, code, year, step):
    contract = _contract(code, year)
    if step not in STEPS:
        raise Http404
    if not contracts.can_manage(request.user):
        raise PermissionDenied
    form_class, action, success = STEPS[step]
    extra = {}
    if form_class is CriterionForm:
        extra = {"criteria": ContractCriterion.objects.all()}
    elif form_class is ValueForm:
        extra = {"objectives": contract.objectives.all()}
    act(
        request,
        form_class(request.POST, **extra),
        lambda data: action(contract, request.user, data),
        success,
    )
    return redirect(contract)
