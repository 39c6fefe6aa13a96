"""The platform's PDF documents, laid out one way: A4, 2.5 cm margins, Times, the initiative's
name at the top and the page number at the foot (« – 2 – »). The law proposals (texts) and a
person's data (accounts) are built on it.

Standard PDF fonts (Times) with WinAnsi encoding: French accents, « », œ and ’ are all in it, and
no font file is shipped. A character outside it (Cyrillic, an emoji) prints as a square.
"""

from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate

AUTHOR = "Ministère de la Protection de l'Enfance"

BODY = ParagraphStyle(
    "body",
    fontName="Times-Roman",
    fontSize=12,
    leading=16,
    alignment=TA_JUSTIFY,
    spaceAfter=8,
    firstLineIndent=1 * cm,
)
CENTER = ParagraphStyle("center", parent=BODY, alignment=TA_CENTER, firstLineIndent=0)
HEADING = ParagraphStyle(
    "heading",
    parent=CENTER,
    fontName="Times-Bold",
    fontSize=16,
    leading=20,
    spaceBefore=18,
    spaceAfter=12,
)
TITLE = ParagraphStyle("title", parent=CENTER, fontName="Times-Bold", fontSize=13, leading=17)
SMALL = ParagraphStyle("small", parent=CENTER, fontSize=10, leading=13, textColor="#444444")
# Left-aligned styles, for documents read as lists rather than as prose.
SECTION = ParagraphStyle(
    "section",
    parent=BODY,
    fontName="Times-Bold",
    fontSize=14,
    leading=18,
    alignment=TA_LEFT,
    firstLineIndent=0,
    spaceBefore=16,
    spaceAfter=6,
)
SUBSECTION = ParagraphStyle(
    "subsection", parent=SECTION, fontSize=12, leading=15, spaceBefore=10, spaceAfter=4
)
LINE = ParagraphStyle(
    "line", parent=BODY, alignment=TA_LEFT, firstLineIndent=0, spaceAfter=2, fontSize=11
)
NOTE = ParagraphStyle("note", parent=LINE, fontSize=10, leading=13, textColor="#444444")


def paragraphs(text: str, style) -> list:
    """One paragraph per block of the text (blank lines between), its lines kept."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return [Paragraph(escape(block).replace("\n", "<br/>"), style) for block in blocks if block]


def letterhead() -> list:
    return [
        Paragraph("MINISTÈRE DE LA PROTECTION DE L'ENFANCE", SMALL),
        Paragraph("Initiative citoyenne", SMALL),
    ]


def document(story: list, *, title: str, compress: bool = True) -> bytes:
    """The PDF of ``story``; ``compress=False`` keeps the page streams readable (tests)."""
    buffer = BytesIO()
    layout = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2.5 * cm,
        rightMargin=2.5 * cm,
        topMargin=2.5 * cm,
        bottomMargin=2.5 * cm,
        title=title,
        author=AUTHOR,
        pageCompression=1 if compress else 0,
    )

    def number_pages(canvas, doc):
        canvas.saveState()
        canvas.setFont("Times-Roman", 9)
        canvas.drawCentredString(A4[0] / 2, 1.5 * cm, f"– {doc.page} –")
        canvas.restoreState()

    layout.build(story, onFirstPage=number_pages, onLaterPages=number_pages)
    return buffer.getvalue()
