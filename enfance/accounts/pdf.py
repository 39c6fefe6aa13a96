"""A person's data as a PDF that reads like a letter: what each module holds about them, in
plain French, and what becomes of it if they delete their account. The same content as the
JSON download (core.privacy), laid out by core.pdf."""

import datetime
from xml.sax.saxutils import escape

from django.utils import formats, timezone
from reportlab.lib.units import cm
from reportlab.platypus import HRFlowable, Paragraph, Spacer

from enfance.core import pdf, privacy

# The export's keys are plain ASCII (« etat », « inscrit_le »): the words to write them with.
WORDS = {
    "annulee": "annulée",
    "attribue": "attribué",
    "college": "collège",
    "confirmee": "confirmée",
    "creee": "créée",
    "d": "d’",
    "debut": "début",
    "deposee": "déposée",
    "derniere": "dernière",
    "designation": "désignation",
    "ecrit": "écrit",
    "electronique": "électronique",
    "etat": "état",
    "evenement": "événement",
    "expose": "exposé",
    "l": "l’",
    "petition": "pétition",
    "prenom": "prénom",
    "prevue": "prévue",
    "probleme": "problème",
    "proposee": "proposée",
    "publiee": "publiée",
    "redaction": "rédaction",
    "relie": "relié",
    "resume": "résumé",
    "retire": "retiré",
    "signee": "signée",
    "signale": "signalé",
    "transmise": "transmise",
    "verifiee": "vérifiée",
    "inquietait": "inquiétait",
}


def label(key: str) -> str:
    """« inscrit_le » → « Inscrit le », « tranche_d_age » → « Tranche d’âge »."""
    words = [WORDS.get(word, word) for word in key.split("_")]
    text = " ".join(words).replace("’ ", "’").replace("d’age", "d’âge")
    return text[:1].upper() + text[1:]


def value_text(value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), r"j F Y à H\hi")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "j F Y")
    if isinstance(value, dict):
        return " ; ".join(f"{label(k)} : {value_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return " ; ".join(value_text(item) for item in value)
    return str(value)


def _entry(row) -> list:
    if not isinstance(row, dict):
        return [Paragraph(escape(value_text(row)), pdf.LINE)]
    lines = []
    for key, value in row.items():
        text = escape(value_text(value)).replace("\n", "<br/>")
        lines.append(Paragraph(f"<b>{escape(label(key))}</b> : {text}", pdf.LINE))
    return lines


def _fate(holding: privacy.Holding) -> Paragraph:
    text = f"Conservation : {holding.retention} À la suppression du compte : {holding.fate}."
    if holding.why:
        text = f"{text} {holding.why}"
    return Paragraph(escape(text), pdf.NOTE)


def personal_data_pdf(user, data: dict, *, compress: bool = True) -> bytes:
    """The PDF of ``data`` (``privacy.export(user)``); only what the platform holds is listed."""
    today = formats.date_format(timezone.localdate(), "j F Y")
    story = [
        *pdf.letterhead(),
        Spacer(1, 1 * cm),
        Paragraph("VOS DONNÉES PERSONNELLES", pdf.HEADING),
        Paragraph(escape(f"Établi le {today} pour {user.email}"), pdf.SMALL),
        Spacer(1, 0.6 * cm),
        Paragraph(
            "Ce document reprend tout ce que la plateforme garde sur vous, module par module, "
            "et dit ce que deviendrait chaque donnée si vous supprimiez votre compte. Le "
            "fichier JSON, à télécharger depuis la même page, contient les mêmes données sous "
            "une forme lisible par un programme, et chaque caractère tel que vous l’avez écrit "
            "(ce PDF remplace par un carré ceux que sa police ne connaît pas).",
            pdf.LINE,
        ),
    ]
    for declaration in privacy.declarations():
        sections = []
        for holding in declaration.holdings:
            rows = data.get(holding.key) if holding.exported else None
            if rows in (None, [], {}, False, ""):
                continue
            sections.append(Paragraph(escape(holding.what), pdf.SUBSECTION))
            sections.append(_fate(holding))
            for row in rows if isinstance(rows, list) else [rows]:
                sections.extend(_entry(row))
                sections.append(
                    HRFlowable(width="100%", thickness=0.3, color="#999999", spaceAfter=4)
                )
        if sections:
            story.append(Paragraph(escape(declaration.processing.name), pdf.SECTION))
            story.extend(sections)
    return pdf.document(story, title="Vos données personnelles", compress=compress)
