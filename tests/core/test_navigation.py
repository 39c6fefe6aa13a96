"""The main navigation: a short bar, the places where people take part (the charter and the law
proposals among them) grouped behind one DSFR sub-menu, the current page marked."""

import html

import pytest
from django.urls import reverse

from enfance.core.navigation import MAIN_NAVIGATION, NavGroup, navigation_items

pytestmark = pytest.mark.django_db


def _nav(client, url: str) -> str:
    page = html.unescape(client.get(url).content.decode())
    return page.split('id="navigation-principale"', 1)[1].split("</nav>", 1)[0]


def test_the_bar_stays_short_and_every_entry_is_reachable():
    assert len(MAIN_NAVIGATION) <= 8
    labels = [item.label for item in navigation_items()]
    assert len(labels) == len(set(labels))
    participate = next(e for e in MAIN_NAVIGATION if e.label == "Participer")
    assert isinstance(participate, NavGroup)
    assert [item.url_name for item in participate.items][:3] == [
        "proposals:list",
        "texts:law_list",
        "texts:text_list",
    ]


def test_the_charter_and_the_law_proposals_are_in_the_menu(client):
    nav = _nav(client, reverse("core:home"))
    assert 'aria-controls="menu-participer"' in nav
    assert 'class="fr-collapse fr-menu" id="menu-participer"' in nav
    assert f'href="{reverse("texts:text_list")}"' in nav
    assert ">Charte et textes en consultation</a>" in nav
    assert f'href="{reverse("texts:law_list")}"' in nav
    assert ">Propositions de loi</a>" in nav
    assert f'href="{reverse("petitions:detail")}"' in nav
    assert 'aria-current="page">Accueil</a>' in nav
    assert 'aria-current="true"' not in nav


def test_the_group_of_the_current_page_is_marked(client):
    nav = _nav(client, reverse("texts:law_list"))
    assert 'aria-controls="menu-participer" aria-current="true"' in nav
    assert 'aria-current="page">Propositions de loi</a>' in nav
    assert 'aria-current="page">Propositions citoyennes</a>' not in nav
    assert 'aria-current="page">Accueil</a>' not in nav
