"""A support request as its parent downloads it, laid out by core.pdf."""

from xml.sax.saxutils import escape

from django.utils import formats, timezone
from reportlab.platypus import Paragraph

from enfance.core import pdf


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y à H:i")


def request_pdf(data: dict, *, compress: bool = True) -> bytes:
    """``data`` is ``personal_data.request_data``: the PDF says the same as the JSON."""
    story = [
        *pdf.letterhead(),
        Paragraph(f"Demande de soutien n° {data['numero']}", pdf.HEADING),
        Paragraph(f"<b>Sujet</b> : {escape(data['sujet'])}", pdf.LINE),
        Paragraph(f"<b>Département</b> : {escape(data['departement'])}", pdf.LINE),
        Paragraph(f"<b>Âge de l'enfant</b> : {escape(data['age_de_l_enfant'])}", pdf.LINE),
        Paragraph(f"<b>Écrite le</b> : {_when(data['ecrite_le'])}", pdf.LINE),
        Paragraph(f"<b>État</b> : {escape(data['etat'])}", pdf.LINE),
        Paragraph("Ce que vous avez écrit", pdf.SECTION),
        *pdf.paragraphs(data["situation"], pdf.LINE),
    ]
    if data["pour_vous_joindre"]:
        story.append(
            Paragraph(f"<b>Pour vous joindre</b> : {escape(data['pour_vous_joindre'])}", pdf.LINE)
        )
    story.append(Paragraph("Échanges", pdf.SECTION))
    for message in data["messages"]:
        story.append(
            Paragraph(
                f"{escape(message['de'].capitalize())}, le {_when(message['le'])}", pdf.SUBSECTION
            )
        )
        story.extend(pdf.paragraphs(message["texte"], pdf.LINE))
        if message["pieces_jointes"]:
            joined = ", ".join(message["pieces_jointes"])
            story.append(Paragraph(escape(f"Pièces jointes : {joined}"), pdf.NOTE))
    if not data["messages"]:
        story.append(Paragraph("Aucun message.", pdf.NOTE))
    story.append(Paragraph("Lectures par un professionnel", pdf.SECTION))
    reads = data["lectures_par_un_professionnel"]
    story.append(
        Paragraph(", ".join(_when(moment) for moment in reads) if reads else "Aucune.", pdf.LINE)
    )
    return pdf.document(story, title=f"Demande de soutien n° {data['numero']}", compress=compress)
