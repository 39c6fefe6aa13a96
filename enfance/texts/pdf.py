"""A version of a law proposal as a PDF, laid out like the propositions de loi of Parliament:
title page heading, "EXPOSÉ DES MOTIFS" opening with "Mesdames, Messieurs,", then
"PROPOSITION DE LOI" and the articles ("Article 1er", "Article 2"…). The page, fonts and foot
are the platform's (core.pdf).
"""

from xml.sax.saxutils import escape

from django.utils import formats
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import HRFlowable, Paragraph, Spacer

from enfance.core import pdf

_ARTICLE = ParagraphStyle(
    "article", parent=pdf.CENTER, fontName="Times-Bold", spaceBefore=12, spaceAfter=6
)


def law_proposal_pdf(version, articles, *, compress: bool = True) -> bytes:
    """The PDF of one version; ``compress=False`` keeps the page streams readable (tests)."""
    published = formats.date_format(version.created_at, "j F Y")
    story = [
        *pdf.letterhead(),
        Spacer(1, 1.5 * cm),
        Paragraph("PROPOSITION DE LOI", pdf.HEADING),
        Paragraph(escape(version.title), pdf.TITLE),
        Spacer(1, 0.4 * cm),
        Paragraph(f"Version {version.number} du {published}", pdf.SMALL),
        Spacer(1, 0.6 * cm),
        HRFlowable(width="30%", thickness=0.6, color="#000000"),
        Paragraph("EXPOSÉ DES MOTIFS", pdf.HEADING),
        Paragraph("Mesdames, Messieurs,", pdf.BODY),
        *pdf.paragraphs(version.preamble, pdf.BODY),
        HRFlowable(width="30%", thickness=0.6, color="#000000", spaceBefore=12),
        Paragraph("PROPOSITION DE LOI", pdf.HEADING),
    ]
    for article in articles:
        label = article.label
        if article.title:
            label = f"{label} — {article.title}"
        story.append(Paragraph(escape(label), _ARTICLE))
        story.extend(pdf.paragraphs(article.body, pdf.BODY))
    return pdf.document(story, title=f"Proposition de loi : {version.title}", compress=compress)
