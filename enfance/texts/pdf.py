"""A version of a law proposal as a PDF, laid out like the propositions de loi of Parliament:
title page heading, "EXPOSÉ DES MOTIFS" opening with "Mesdames, Messieurs,", then
"PROPOSITION DE LOI" and the articles ("Article 1er", "Article 2"…).

Standard PDF fonts (Times) with WinAnsi encoding: French accents, « », œ and ’ are all in it, and
no font file is shipped.
"""

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import formats
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer

_BODY = ParagraphStyle(
    "body",
    fontName="Times-Roman",
    fontSize=12,
    leading=16,
    alignment=TA_JUSTIFY,
    spaceAfter=8,
    firstLineIndent=1 * cm,
)
_CENTER = ParagraphStyle("center", parent=_BODY, alignment=TA_CENTER, firstLineIndent=0)
_HEADING = ParagraphStyle(
    "heading",
    parent=_CENTER,
    fontName="Times-Bold",
    fontSize=16,
    leading=20,
    spaceBefore=18,
    spaceAfter=12,
)
_TITLE = ParagraphStyle("title", parent=_CENTER, fontName="Times-Bold", fontSize=13, leading=17)
_ARTICLE = ParagraphStyle(
    "article", parent=_CENTER, fontName="Times-Bold", spaceBefore=12, spaceAfter=6
)
_SMALL = ParagraphStyle("small", parent=_CENTER, fontSize=10, leading=13, textColor="#444444")


def _paragraphs(text: str, style) -> list:
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return [Paragraph(escape(block).replace("\n", "<br/>"), style) for block in blocks if block]


def law_proposal_pdf(version, articles, *, compress: bool = True) -> bytes:
    """The PDF of one version; ``compress=False`` keeps the page streams readable (tests)."""
    buffer = BytesIO()
    published = formats.date_format(version.created_at, "j F Y")
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2.5 * cm,
        rightMargin=2.5 * cm,
        topMargin=2.5 * cm,
        bottomMargin=2.5 * cm,
        title=f"Proposition de loi : {version.title}",
        author="Ministère de la Protection de l'Enfance",
        pageCompression=1 if compress else 0,
    )
    story = [
        Paragraph("MINISTÈRE DE LA PROTECTION DE L'ENFANCE", _SMALL),
        Paragraph("Initiative citoyenne", _SMALL),
        Spacer(1, 1.5 * cm),
        Paragraph("PROPOSITION DE LOI", _HEADING),
        Paragraph(escape(version.title), _TITLE),
        Spacer(1, 0.4 * cm),
        Paragraph(f"Version {version.number} du {published}", _SMALL),
        Spacer(1, 0.6 * cm),
        HRFlowable(width="30%", thickness=0.6, color="#000000"),
        Paragraph("EXPOSÉ DES MOTIFS", _HEADING),
        Paragraph("Mesdames, Messieurs,", _BODY),
        *_paragraphs(version.preamble, _BODY),
        HRFlowable(width="30%", thickness=0.6, color="#000000", spaceBefore=12),
        Paragraph("PROPOSITION DE LOI", _HEADING),
    ]
    for article in articles:
        label = article.label
        if article.title:
            label = f"{label} — {article.title}"
        story.append(Paragraph(escape(label), _ARTICLE))
        story.extend(_paragraphs(article.body, _BODY))

    def number_pages(canvas, doc):
        canvas.saveState()
        canvas.setFont("Times-Roman", 9)
        canvas.drawCentredString(A4[0] / 2, 1.5 * cm, f"– {doc.page} –")
        canvas.restoreState()

    document.build(story, onFirstPage=number_pages, onLaterPages=number_pages)
    return buffer.getvalue()
