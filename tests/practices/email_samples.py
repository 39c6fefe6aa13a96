"""Contexts of the practices' e-mails, as services._email and _email_reviewer give them (see
tests/core/test_emails.py)."""

from enfance.practices.models import Practice
from tests.factories import UserFactory

FOLLOW_URL = "https://protection-enfance.example/pratiques/declarations/12/suivi/"


def _context(**extra):
    return {
        "person": UserFactory(first_name="Élise"),
        "practice": Practice(title="Lieu d'accueil parents-enfants à la PMI"),
        "follow_url": FOLLOW_URL,
        **extra,
    }


SAMPLES = {
    "practices/emails/submitted.txt": _context,
    "practices/emails/under_review.txt": _context,
    "practices/emails/information_requested.txt": lambda: _context(
        message="Combien de familles accueillez-vous par an ?"
    ),
    "practices/emails/message.txt": lambda: _context(message="Quel est le budget annuel ?"),
    "practices/emails/published.txt": _context,
    "practices/emails/refused.txt": lambda: _context(reason="Pratique hors du champ du recueil."),
    "practices/emails/declarant_answered.txt": _context,
}
