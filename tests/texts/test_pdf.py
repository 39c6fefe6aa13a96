"""The PDF of a law proposal reads like a proposition de loi, French typography included."""

import pytest

from enfance.texts import services
from enfance.texts.pdf import law_proposal_pdf
from enfance.texts.services import ArticleDraft
from tests.pdf_text import shown_strings

from .factories import law_proposal

pytestmark = pytest.mark.django_db


def test_the_pdf_lays_out_a_proposition_de_loi(admin_national):
    law = law_proposal(
        admin_national,
        title="Proposition de loi visant à créer un organe « indépendant » de contrôle",
        articles=[
            ("", "Il est créé un organe national de contrôle des structures de l’enfance."),
            ("Moyens", "L’État lui donne les moyens de son œuvre."),
        ],
    )
    services.publish_version(
        law,
        by=admin_national,
        summary="Un troisième article.",
        articles=[
            *[
                ArticleDraft(body=a.body, title=a.title, key=a.key)
                for a in law.current_version.articles.all()
            ],
            ArticleDraft(body="La présente loi entre en vigueur le 1er janvier."),
        ],
    )
    version = law.versions.get(number=2)
    strings = shown_strings(
        law_proposal_pdf(version, list(version.articles.order_by("number")), compress=False)
    )
    text = " ".join(strings)
    assert strings.count("PROPOSITION DE LOI") == 2
    assert "EXPOSÉ DES MOTIFS" in strings and "Mesdames, Messieurs," in strings
    assert "Article 1er" in strings and "Article 2 — Moyens" in strings and "Article 3" in strings
    assert "créer un organe « indépendant » de contrôle" in text
    assert "L’État lui donne les moyens de son œuvre." in text
    assert "Version 2 du" in text
    # The compressed PDF that people download is a PDF too.
    assert law_proposal_pdf(version, []).startswith(b"%PDF")
