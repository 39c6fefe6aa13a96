"""The supervision of a SCIC by its instance, on the SCIC's page: the structures it runs, its
annual reports (public) and the instance's opinion, the questions on record and their answers;
the minutes of its assemblies. Each action posts here and comes back to the page. Rules in
supervision.py."""

from django.contrib.auth.decorators import login_not_required
from django.contrib.contenttypes.models import ContentType
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from enfance.assemblies.forms import BallotDatesForm
from enfance.core.access import get_visible_or_404
from enfance.core.forms import act
from enfance.votes.enums import BallotState
from enfance.votes.models import Ballot

from . import supervision
from .cooperative_forms import AnswerForm, FinessForm, MinutesForm, QuestionForm, ReportForm
from .models import AnnualReport, Cooperative, GeneralAssembly, RunStructure, SupervisionQuestion


def _cooperative(pk) -> Cooperative:
    return get_visible_or_404(Cooperative.objects.select_related("departement", "instance"), pk=pk)


def page_context(request, cooperative: Cooperative) -> dict:
    """What the SCIC's page shows of its supervision, and the forms its visitor may use."""
    user = request.user
    supervise = supervision.supervises(user, cooperative)
    represents = supervision.is_representative(user, cooperative)
    reports = list(cooperative.annual_reports.all())
    ballots = {
        ballot.object_id: ballot
        for ballot in Ballot.objects.filter(
            content_type=ContentType.objects.get_for_model(AnnualReport),
            object_id__in=[r.pk for r in reports],
        )
        .exclude(state=BallotState.CANCELLED)
        .select_related("result")
    }
    return {
        "supervise": supervise,
        "represents": represents,
        "reports": [
            {
                "report": report,
                "ballot": ballots.get(report.pk),
                "opinion": supervision.opinion(ballots.get(report.pk)),
            }
            for report in reports
        ],
        "questions": list(cooperative.questions.all()),
        "places": supervision.places_of(cooperative) if supervise else None,
        "finess_form": FinessForm() if supervise else None,
        "report_form": ReportForm() if supervise or represents else None,
        "question_form": QuestionForm() if supervise else None,
        "answer_form": AnswerForm() if represents else None,
        "vote_form": BallotDatesForm() if supervise else None,
    }


def _back(cooperative: Cooperative, anchor: str):
    return redirect(cooperative.get_absolute_url() + f"#{anchor}")


@require_POST
def structure_attach(request, pk):
    cooperative = _cooperative(pk)
    act(
        request,
        FinessForm(request.POST),
        lambda data: supervision.attach_structure(cooperative, by=request.user, **data),
        "La structure est rattachée à la SCIC.",
    )
    return _back(cooperative, "structures")


@require_POST
def structure_detach(request, pk, run_pk):
    cooperative = _cooperative(pk)
    run = get_visible_or_404(
        RunStructure.objects.filter(cooperative=cooperative).select_related("structure"),
        pk=run_pk,
    )
    supervision.detach_structure(run, by=request.user)
    return _back(cooperative, "structures")


@require_POST
def report_publish(request, pk):
    cooperative = _cooperative(pk)
    act(
        request,
        ReportForm(request.POST, request.FILES),
        lambda data: supervision.publish_report(cooperative, by=request.user, **data),
        "Le rapport annuel et les comptes sont publiés.",
    )
    return _back(cooperative, "rapports")


FILES = {"rapport": "report", "comptes": "accounts"}


@login_not_required
def report_file(request, pk, kind):
    if kind not in FILES:
        raise Http404
    report = get_visible_or_404(AnnualReport.objects.select_related("cooperative"), pk=pk)
    return FileResponse(
        getattr(report, FILES[kind]).open("rb"),
        as_attachment=True,
        filename=f"{kind}-{report.cooperative.siren}-{report.year}.pdf",
        content_type="application/pdf",
    )


@require_POST
def report_vote(request, pk):
    report = get_visible_or_404(AnnualReport.objects.select_related("cooperative__instance"), pk=pk)
    act(
        request,
        BallotDatesForm(request.POST),
        lambda data: supervision.put_report_to_vote(report, by=request.user, **data),
        "Le vote de l'avis est préparé : ouvrez-le depuis sa page.",
    )
    return _back(report.cooperative, "rapports")


@require_POST
def question_ask(request, pk):
    cooperative = _cooperative(pk)
    act(
        request,
        QuestionForm(request.POST),
        lambda data: supervision.ask(cooperative, by=request.user, **data),
        "La question est posée : les représentants de la SCIC en sont prévenus.",
    )
    return _back(cooperative, "questions")


@require_POST
def question_answer(request, pk):
    question = get_visible_or_404(
        SupervisionQuestion.objects.select_related("cooperative__instance"), pk=pk
    )
    act(
        request,
        AnswerForm(request.POST),
        lambda data: supervision.answer(question, by=request.user, **data),
        "La réponse est publiée.",
    )
    return _back(question.cooperative, f"question-{question.pk}")


def _assembly(request, pk) -> GeneralAssembly:
    assembly = get_visible_or_404(
        GeneralAssembly.objects.select_related("cooperative__instance"), pk=pk
    )
    if not assembly.is_visible_to(request.user):
        raise Http404
    return assembly


@require_POST
def minutes_publish(request, pk):
    assembly = _assembly(request, pk)
    act(
        request,
        MinutesForm(request.POST, request.FILES),
        lambda data: supervision.publish_minutes(assembly, by=request.user, upload=data["minutes"]),
        "Le procès-verbal est publié ; les sociétaires en sont prévenus.",
    )
    return redirect(assembly)


def minutes_file(request, pk):
    assembly = _assembly(request, pk)
    if not assembly.minutes:
        raise Http404
    return FileResponse(
        assembly.minutes.open("rb"),
        as_attachment=True,
        filename=f"proces-verbal-{assembly.pk}.pdf",
        content_type="application/pdf",
    )
