"""Badges speak in sentence case: the DSFR writes them in capitals by CSS (« EN CONSULTATION »),
the platform's stylesheet sets them back to the words as written, and no template writes a state
in capitals."""

import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from enfance.texts import services
from enfance.texts.enums import TextState
from tests.texts.factories import charter, in_a_month

pytestmark = pytest.mark.django_db

BADGE = re.compile(r'class="fr-badge[^"]*"[^>]*>([^<]+)<')


def _sentence_case(words: str) -> bool:
    words = words.strip()
    return bool(words) and words != words.upper() and words[0] == words[0].upper()


def test_the_stylesheet_undoes_the_capitals_of_the_dsfr():
    css = Path(finders.find("css/enfance.css")).read_text()
    assert re.search(r"\.fr-badge\s*\{\s*text-transform:\s*none;\s*\}", css)
    base = (Path(settings.BASE_DIR) / "enfance/templates/base.html").read_text()
    # Loaded after the DSFR's own stylesheet, so that it wins.
    assert base.index("{% dsfr_css %}") < base.index("css/enfance.css")


def test_no_template_writes_a_badge_in_capitals():
    shouted = []
    for template in (Path(settings.BASE_DIR) / "enfance/templates").rglob("*.html"):
        for words in BADGE.findall(template.read_text()):
            letters = re.sub(r"[^A-Za-zÀ-ÿ]", "", words)
            if len(letters) > 3 and letters == letters.upper():
                shouted.append((template.name, words))
    assert not shouted


def test_the_state_badges_of_a_text_are_in_sentence_case(client, admin_national):
    text = charter(admin_national, state=TextState.DRAFTING)
    draft = html.unescape(client.get(text.get_absolute_url()).content.decode())
    services.open_consultation(text, by=admin_national, closes_on=in_a_month())
    open_ = html.unescape(client.get(text.get_absolute_url()).content.decode())
    listed = html.unescape(client.get("/textes/").content.decode())
    badges = BADGE.findall(draft) + BADGE.findall(open_) + BADGE.findall(listed)
    assert "En rédaction" in badges
    assert any(b.startswith("En consultation jusqu'au ") for b in badges)
    assert "Fait" in badges and "À venir" in badges
    assert all(_sentence_case(b) for b in badges), badges
