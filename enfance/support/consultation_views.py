"""The parent's list of people to consult (« consultation élargie »), its dated letter, and the
outcomes; rules in consultation.py."""

from xml.sax.saxutils import escape

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.views.decorators.http import require_POST
from reportlab.platypus import Paragraph

from enfance.core import pdf
from enfance.core.access import get_visible_or_404
from enfance.core.forms import act, add_service_errors

from . import consultation
from .forms import InterlocutorForm, OutcomeForm
from .models import Interlocutor
from .views import breadcrumb


def _mine(request):
    return Interlocutor.objects.filter(parent=request.user)


def consultation_page(request):
    form = InterlocutorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consultation.add(parent=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "La personne est ajoutée à votre liste.")
            return redirect("support:consultation")
    people = list(_mine(request))
    for person in people:
        person.outcome_form = OutcomeForm(
            prefix=f"p{person.pk}",
            initial={
                "outcome": {True: "oui", False: "non"}.get(person.consulted, ""),
                "consulted_on": person.consulted_on,
            },
        )
    return render(
        request,
        "support/consultation.html",
        {
            "form": form,
            "people": people,
            "breadcrumb_data": breadcrumb(current="Les personnes à consulter"),
        },
    )


@require_POST
def outcome(request, pk):
    person = get_visible_or_404(_mine(request), pk=pk)
    act(
        request,
        OutcomeForm(request.POST, prefix=f"p{person.pk}"),
        lambda data: consultation.record_outcome(
            person,
            by=request.user,
            consulted={"oui": True, "non": False}.get(data["outcome"]),
            on=data["consulted_on"],
        ),
        "C'est noté.",
    )
    return redirect("support:consultation")


@require_POST
def remove(request, pk):
    consultation.remove(get_visible_or_404(_mine(request), pk=pk), by=request.user)
    messages.success(request, "La personne est retirée de votre liste.")
    return redirect("support:consultation")


def letter(request):
    """A dated letter the parent prints for the ASE or the judge, listing the people to consult."""
    today = formats.date_format(timezone.localdate(), "j F Y")
    story = [
        *pdf.letterhead(),
        Paragraph(f"Le {today}", pdf.LINE),
        Paragraph("Demande de consultation de proches et de professionnels", pdf.HEADING),
        *pdf.paragraphs(
            "À l'attention du service de l'aide sociale à l'enfance, ou du juge des enfants.\n\n"
            "Je demande que les personnes ci-dessous soient consultées sur la situation de mon "
            "enfant : elles le connaissent et peuvent éclairer les décisions qui le concernent.",
            pdf.BODY,
        ),
    ]
    for person in _mine(request):
        title = f"{person.name} — {person.get_role_display()}"
        story.append(Paragraph(escape(title), pdf.SUBSECTION))
        if person.reach:
            story.append(Paragraph(escape(f"Pour la joindre : {person.reach}"), pdf.LINE))
        if person.why:
            story.extend(pdf.paragraphs(person.why, pdf.LINE))
    story.append(Paragraph(escape(f"Signature : {request.user.get_full_name()}"), pdf.SECTION))
    response = HttpResponse(
        pdf.document(story, title="Personnes à consulter"), content_type="application/pdf"
    )
    response["Content-Disposition"] = 'attachment; filename="personnes-a-consulter.pdf"'
    return response
