"""The pages of texts and law proposals, from the right side and from the wrong one."""

import re
from datetime import date

import pytest
from django.urls import reverse

from enfance.safeguarding.models import DangerReport
from enfance.safeguarding.services import flag_danger
from enfance.texts import services
from enfance.texts.enums import ArticleProposalState, TextState
from enfance.texts.models import ArticleComment, ArticleProposal, LawProposal, Text
from enfance.texts.services import ArticleDraft
from tests.assemblies.factories import child
from tests.factories import UserFactory

from .factories import adopted_proposal, charter, in_a_month, law_proposal

pytestmark = pytest.mark.django_db

INVALID = "INVALID_TEMPLATE_VARIABLE"


def _page(client, url, status=200, **params):
    response = client.get(url, params)
    assert response.status_code == status, response.content.decode()[:2000]
    html = response.content.decode()
    assert INVALID not in html
    return html


def many_articles(n):
    return [(f"Intitulé {i}", f"Texte de l'article numéro {i}, assez long.") for i in range(n)]


def test_the_charter_page_is_public_and_marked_as_a_draft(
    client, admin_national, django_assert_max_num_queries
):
    text = charter(admin_national, articles=many_articles(40))
    article = text.current_version.articles.first()
    people = UserFactory.create_batch(3)
    for person in people:
        services.comment_article(article, by=person, body="Je suis d'accord.")
        services.propose_wording(article, by=person, body="Autre texte.", reason="Mieux.")
    with django_assert_max_num_queries(15):
        html = _page(client, "/textes/charte/")
    assert "Projet de charte : version 1, à discuter" in html
    assert "Article 1er" in html and "Article 40" in html
    assert "3 commentaires, 3 propositions de rédaction" in html
    assert "Connectez-vous" in html
    assert "Publier une nouvelle version" not in html
    list_html = _page(client, reverse("texts:text_list"))
    assert "Charte du Ministère de la Protection de l&#x27;Enfance" in list_html


def test_the_article_page_shows_comments_and_proposals_as_text(
    client, admin_national, django_assert_max_num_queries
):
    text = charter(admin_national)
    article = text.current_version.articles.first()
    for n in range(30):
        person = UserFactory()
        services.comment_article(article, by=person, body=f"<b>Avis</b> n° {n}")
        services.propose_wording(article, by=person, body=f"Rédaction {n}", reason="Car.")
    client.force_login(UserFactory())
    with django_assert_max_num_queries(15):
        html = _page(client, text.url("article", article.key))
    assert "&lt;b&gt;Avis&lt;/b&gt; n° 29" in html and "<b>Avis</b>" not in html
    assert "Commentaires (30)" in html and "Propositions de rédaction (30)" in html
    assert "Publier mon commentaire" in html and "Intégrer dans une nouvelle version" not in html


def test_a_citizen_comments_and_proposes_a_wording(client, admin_national):
    text = charter(admin_national)
    article = text.current_version.articles.first()
    person = UserFactory(first_name="Lucie", last_name="Bernard")
    client.force_login(person)
    response = client.post(
        text.url("comment", article.key), {"comment-body": "<script>alert(1)</script>"}, follow=True
    )
    html = response.content.decode()
    assert "Votre commentaire est publié" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "Lucie B." in html
    response = client.post(
        text.url("propose", article.key),
        {"wording-body": "Chaque enfant est protégé.", "wording-reason": "Plus simple."},
        follow=True,
    )
    assert "Votre proposition de rédaction est publiée" in response.content.decode()
    assert ArticleProposal.objects.get().author == person


def test_bad_comments_get_a_french_message_and_keep_what_was_typed(client, admin_national):
    text = charter(admin_national)
    article = text.current_version.articles.first()
    client.force_login(UserFactory())
    response = client.post(text.url("comment", article.key), {"comment-body": "  "})
    assert response.status_code == 400
    assert "Ce champ est obligatoire" in response.content.decode()
    long = "x" * 100_000
    response = client.post(text.url("comment", article.key), {"comment-body": long})
    assert response.status_code == 400
    html = response.content.decode()
    assert "dépasse 2\u202f000 caractères" in html and INVALID not in html
    response = client.post(
        text.url("propose", article.key),
        {"wording-body": "Nouvelle rédaction", "wording-reason": ""},
    )
    assert response.status_code == 400 and "Nouvelle rédaction" in response.content.decode()
    assert not ArticleComment.objects.exists() and not ArticleProposal.objects.exists()


def test_comments_are_rate_limited(client, admin_national):
    text = charter(admin_national)
    article = text.current_version.articles.first()
    client.force_login(UserFactory())
    url = text.url("comment", article.key)
    for n in range(10):
        assert client.post(url, {"comment-body": f"Avis {n}"}).status_code == 302
    assert client.post(url, {"comment-body": "Un de trop"}).status_code == 429
    assert ArticleComment.objects.count() == 10


def test_no_comment_outside_a_consultation_nor_anonymously(client, admin_national):
    text = charter(admin_national, state=TextState.DRAFTING)
    article = text.current_version.articles.first()
    response = client.post(text.url("comment", article.key), {"comment-body": "Bonjour"})
    assert response.status_code == 302 and "/comptes/login/" in response.url
    client.force_login(UserFactory())
    assert "n'est pas ouverte" in _page(client, text.url("article", article.key))
    response = client.post(text.url("comment", article.key), {"comment-body": "Bonjour"})
    assert response.status_code == 403
    assert not ArticleComment.objects.exists()


def test_a_citizen_cannot_edit_integrate_or_move_a_text(client, admin_national):
    text = charter(admin_national)
    article = text.current_version.articles.first()
    proposal = services.propose_wording(article, by=UserFactory(), body="Autre.", reason="Mieux.")
    client.force_login(UserFactory())
    assert client.get(text.url("edit")).status_code == 403
    assert client.post(text.url("integrate", proposal.pk)).status_code == 403
    assert client.get(text.url("decline", proposal.pk)).status_code == 403
    assert client.post(text.url("transition", "clore-consultation")).status_code == 403
    text.refresh_from_db()
    assert text.state == TextState.CONSULTATION
    proposal.refresh_from_db()
    assert proposal.state == ArticleProposalState.PENDING and text.versions.count() == 1


def test_the_editor_integrates_a_proposal_then_declines_another(client, admin_national):
    text = charter(admin_national)
    article = text.current_version.articles.first()
    kept = services.propose_wording(
        article, by=UserFactory(), body="Rédaction reprise.", reason="Mieux."
    )
    other = services.propose_wording(
        article, by=UserFactory(), body="Rédaction écartée.", reason="Autre."
    )
    client.force_login(admin_national)
    html = _page(client, text.url("article", article.key))
    assert "Intégrer dans une nouvelle version" in html
    response = client.post(text.url("integrate", kept.pk), follow=True)
    assert "la version 2 est publiée" in response.content.decode()
    kept.refresh_from_db()
    assert kept.integrated_in.number == 2
    response = client.post(text.url("decline", other.pk), {"reason": ""})
    assert response.status_code == 400
    client.post(text.url("decline", other.pk), {"reason": "Déjà couvert par l'article 3."})
    other.refresh_from_db()
    assert other.state == ArticleProposalState.NOT_RETAINED
    html = _page(client, text.url("article", article.key))
    assert "Intégrée dans la" in html and "Déjà couvert par l&#x27;article 3." in html


def test_the_editor_publishes_a_version_from_the_whole_text(client, admin_national):
    text = charter(admin_national)
    article = text.current_version.articles.first()
    proposal = services.propose_wording(
        article, by=UserFactory(), body="Reprise à la main.", reason="Mieux."
    )
    client.force_login(admin_national)
    html = _page(client, text.url("edit"))
    assert "Nouvel article (4)" in html
    data = {
        "based_on": 1,
        "title": text.title,
        "preamble": "Démocratie, bienveillance, transparence.",
        "summary": "Reprise d'une proposition et un article de plus.",
        "integrated": [str(proposal.pk)],
    }
    for index, a in enumerate(text.current_version.articles.all()):
        data[f"article_{index}_key"] = a.key
        data[f"article_{index}_title"] = a.title
        data[f"article_{index}_body"] = "Reprise à la main." if index == 0 else a.body
    data["article_3_body"] = "Un article ajouté."
    response = client.post(text.url("edit"), data)
    assert response.status_code == 302
    text.refresh_from_db()
    assert text.current_version.number == 2
    assert text.current_version.articles.count() == 4
    proposal.refresh_from_db()
    assert proposal.integrated_in == text.current_version
    # Nothing changed: a French message, the form kept.
    same = {
        "based_on": 2,
        "title": text.title,
        "preamble": data["preamble"],
        "summary": "Rien de neuf.",
    }
    for index, a in enumerate(text.current_version.articles.all()):
        same[f"article_{index}_key"] = a.key
        same[f"article_{index}_title"] = a.title
        same[f"article_{index}_body"] = a.body
    response = client.post(text.url("edit"), same)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Rien n&#x27;a changé depuis la version en vigueur." in html and "Rien de neuf." in html
    assert text.versions.count() == 2


def test_the_diff_page_shows_changes_word_by_word_in_bounded_queries(
    client, admin_national, django_assert_max_num_queries
):
    text = charter(admin_national, articles=many_articles(60))
    drafts = [
        ArticleDraft(body=a.body, title=a.title, key=a.key)
        for a in text.current_version.articles.all()
    ]
    drafts[0] = ArticleDraft(body="Texte de l'article premier, assez court.", key=drafts[0].key)
    del drafts[5]
    drafts.append(ArticleDraft(body="Un article tout neuf."))
    services.publish_version(text, by=admin_national, summary="Trois changements.", articles=drafts)
    with django_assert_max_num_queries(15):
        html = _page(client, text.url("compare"), de=1, a=2)
    assert "1 article modifié, 1 ajouté, 1 supprimé, 58 inchangés" in html
    assert re.search(r"<del><span class=\"fr-sr-only\">\[texte retiré : </span>numéro 0", html)
    assert "[texte ajouté : </span>premier,<span" in html and "Article ajouté" in html
    assert "Article supprimé" in html and "Texte de l&#x27;article numéro 5" in html
    html = _page(client, text.url("compare"), de=2, a=2, status=400)
    assert "Choisissez deux versions différentes" in html
    assert _page(client, text.url("compare"), de=1, a=9, status=400)
    with django_assert_max_num_queries(10):
        history = _page(client, text.url("versions"))
    assert "Trois changements." in history
    assert "Version 1" in _page(client, text.url("version", 1))


def test_a_law_proposal_is_listed_and_its_page_shows_its_sources(
    client, admin_national, django_assert_max_num_queries
):
    sources = [adopted_proposal(f"Proposition adoptée {n}") for n in range(8)]
    for n in range(12):
        law_proposal(admin_national, sources=sources, title=f"Proposition de loi n° {n}")
    law = LawProposal.objects.first()
    with django_assert_max_num_queries(10):
        html = _page(client, reverse("texts:law_list"))
    assert "12 propositions de loi" in html
    with django_assert_max_num_queries(15):
        html = _page(client, law.get_absolute_url())
    assert "Proposition adoptée 7" in html and "Exposé des motifs" in html
    assert "Pas encore transmise" in html and "Télécharger la version 1 en PDF" in html
    # A law proposal is not a page of /textes/, nor the charter one of /propositions-de-loi/.
    assert client.get(f"/textes/{law.slug}/").status_code == 404
    charter(admin_national)
    assert client.get("/propositions-de-loi/charte/").status_code == 404


def test_the_pdf_of_a_version(client, admin_national):
    law = law_proposal(admin_national)
    response = client.get(law.url("pdf", 1))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client.get(law.url("pdf", 2)).status_code == 404


def test_a_citizen_cannot_create_edit_or_transmit_a_law_proposal(client, admin_national):
    law = law_proposal(admin_national)
    client.force_login(UserFactory())
    assert client.get(reverse("texts:law_create")).status_code == 403
    assert client.post(reverse("texts:law_create"), {"title": "X"}).status_code == 403
    assert client.get(law.url("edit")).status_code == 403
    assert client.get(law.url("transmit")).status_code == 403
    assert client.post(law.url("follow_up"), {"description": "x"}).status_code == 403
    assert client.post(law.url("transition", "ouvrir-consultation")).status_code == 403
    assert LawProposal.objects.get().state == TextState.DRAFTING
    assert "Rédiger une proposition de loi" not in _page(client, reverse("texts:law_list"))


def test_the_administrator_consolidates_edits_and_transmits(client, admin_national):
    source = adopted_proposal("Séjours d'observation de 48 à 72 heures")
    client.force_login(admin_national)
    html = _page(client, reverse("texts:law_create"), proposition=str(source.pk))
    assert "Séjours d&#x27;observation" in html
    response = client.post(
        reverse("texts:law_create"),
        {
            "title": "Proposition de loi relative aux séjours d'observation",
            "preamble": "Mesdames, Messieurs, les évaluations sont trop courtes.",
            "source_proposals": [str(source.pk)],
            "article_0_body": "Avant toute décision de placement, un séjour d'observation "
            "de 48 à 72 heures est proposé à la famille.",
            "article_1_body": "Le séjour a lieu dans un cadre neutre.",
        },
    )
    assert response.status_code == 302
    law = LawProposal.objects.get()
    assert list(law.source_proposals.all()) == [source]
    assert law.current_version.articles.count() == 2
    response = client.post(
        law.url("transmit"),
        {
            "recipient_kind": "deputes",
            "recipients": "Mme Anne Martin, députée du Rhône",
            "transmitted_on": "2026-01-15",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "La transmission est enregistrée." in html
    assert "15 janvier 2026" in html and "Mme Anne Martin" in html
    # Once transmitted, the text no longer changes; follow-ups have their own form.
    assert "Enregistrer une suite donnée" in html and "Publier une nouvelle version" not in html
    assert "Clore la consultation" not in html and "Enregistrer les suites données" not in html
    response = client.get(law.url("edit"), follow=True)
    assert "Ce texte a été transmis : il ne change plus." in response.content.decode()
    response = client.post(
        law.url("follow_up"),
        {"happened_on": "2026-02-01", "description": "Audition à l'Assemblée nationale."},
        follow=True,
    )
    assert "Audition à l&#x27;Assemblée nationale." in response.content.decode()
    assert LawProposal.objects.get().state == TextState.FOLLOWED_UP


def test_an_empty_law_proposal_form_keeps_what_was_typed(client, admin_national):
    adopted_proposal()
    client.force_login(admin_national)
    response = client.post(
        reverse("texts:law_create"), {"title": "Mon titre", "preamble": "Motifs."}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Mon titre" in html and "Ce champ est obligatoire" in html
    assert not Text.objects.exists()


def test_reporting_and_hiding_a_comment(client, admin_national):
    text = charter(admin_national)
    article = text.current_version.articles.first()
    comment = services.comment_article(article, by=UserFactory(), body="Méchant.")
    reporter = UserFactory()
    client.force_login(reporter)
    assert client.get(reverse("texts:remove_comment", args=[comment.pk])).status_code == 403
    response = client.post(
        reverse("texts:report_comment", args=[comment.pk]), {"reason": "Injurieux."}, follow=True
    )
    assert "la modération examinera ce commentaire" in response.content.decode()
    client.force_login(admin_national)
    response = client.post(
        reverse("texts:remove_comment", args=[comment.pk]),
        {"reason": "Propos injurieux."},
        follow=True,
    )
    html = response.content.decode()
    assert "Commentaire retiré par la modération : Propos injurieux." in html
    assert "Méchant." not in html


def test_a_comment_or_a_proposal_flagged_as_a_danger_leaves_public_view(client, admin_national):

    text = charter(admin_national)
    article = text.current_version.articles.first()
    author = UserFactory()
    comment = services.comment_article(article, by=author, body="Texte inquiétant.")
    proposal = services.propose_wording(
        article, by=author, body="Rédaction inquiétante.", reason="Car."
    )
    client.force_login(UserFactory())
    html = _page(client, reverse("texts:flag_comment", args=[comment.pk]))
    assert "Danger pour un enfant" in html and "119" in html
    response = client.post(
        reverse("texts:flag_comment", args=[comment.pk]), {"reason": "Un enfant en parle."}
    )
    assert response.status_code == 302
    client.post(reverse("texts:flag_proposal", args=[proposal.pk]), {"reason": ""})
    html = _page(client, text.url("article", article.key))
    assert "Texte inquiétant." not in html and "Rédaction inquiétante." not in html
    assert DangerReport.objects.count() == 2
    assert client.get(reverse("texts:flag_comment", args=[comment.pk])).status_code == 404


def test_the_cached_comparison_follows_every_new_version_with_no_query_when_warm(
    client, admin_national, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    law = law_proposal(admin_national)
    articles = [ArticleDraft(body=a.body, key=a.key) for a in law.current_version.articles.all()]
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_version(
            law, by=admin_national, summary="Un mot change.", articles=articles[:1]
        )
    with django_assert_max_num_queries(15):
        html = _page(client, law.url("compare"), de=1, a=2)
    assert "De la version 1 à la version 2" in html and "Proposition de loi test" in html
    # Warm: the page comes from the cache, without a single query.
    with django_assert_max_num_queries(0):
        assert "De la version 1 à la version 2" in _page(client, law.url("compare"), de=1, a=2)
    # A new version and a new title show at once, on the default comparison and the chosen one.
    assert "De la version 1 à la version 2" in _page(client, law.url("compare"))
    articles.append(ArticleDraft(body="Un article ajouté en troisième version."))
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_version(
            law,
            by=admin_national,
            summary="Un article de plus.",
            articles=articles,
            title="Proposition de loi renommée",
        )
    assert "De la version 2 à la version 3" in _page(client, law.url("compare"))
    html = _page(client, law.url("compare"), de=1, a=2)
    assert "Proposition de loi renommée" in html and "Proposition de loi test" not in html
    assert "Version 3" in html  # the list of versions to choose from
    assert "Choisissez deux versions différentes" in _page(
        client, law.url("compare"), de=3, a=3, status=400
    )


def test_a_cached_comparison_stays_under_its_own_section(client, admin_national):
    law = law_proposal(admin_national)
    assert "Comparer deux versions" in _page(client, law.url("compare"), de=1, a=1, status=400)
    # The same slug under /textes/ is not a page, cached or not; nor is an unknown slug.
    assert client.get(f"/textes/{law.slug}/comparer/", {"de": 1, "a": 1}).status_code == 404
    assert client.get("/propositions-de-loi/inconnue/comparer/").status_code == 404


def test_an_editor_of_one_text_cannot_act_on_another_nor_through_its_address(
    client, admin_national
):
    mine = charter(admin_national, slug="charte-a")
    other = charter(admin_national, slug="charte-b")
    editor = UserFactory()
    mine.editors.add(editor)
    article = other.current_version.articles.first()
    foreign = services.propose_wording(
        article, by=UserFactory(), body="Rédaction d'ailleurs.", reason="Car."
    )
    client.force_login(editor)
    assert client.get(mine.url("edit")).status_code == 200
    # Another text's page refuses the editor of the first one.
    assert client.get(other.url("edit")).status_code == 403
    assert client.post(other.url("integrate", foreign.pk)).status_code == 403
    assert client.post(other.url("decline", foreign.pk), {"reason": "Non."}).status_code == 403
    assert client.post(other.url("transition", "clore-consultation")).status_code == 403
    # Its proposal cannot be reached through the address of the text the editor may edit.
    assert client.post(mine.url("integrate", foreign.pk)).status_code == 404
    assert client.post(mine.url("decline", foreign.pk), {"reason": "Non."}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.state == ArticleProposalState.PENDING
    assert other.versions.count() == 1 and mine.versions.count() == 1
    assert Text.objects.get(pk=other.pk).state == TextState.CONSULTATION


def test_a_child_appears_by_first_name_only_on_the_charter(
    client, admin_national, django_assert_max_num_queries
):

    text = charter(admin_national)
    article = text.current_version.articles.first()
    minor = child(date.today().replace(year=date.today().year - 14), first_name="Lina")
    adult = UserFactory(first_name="Jeanne", last_name="Dupont")
    for author in (minor, adult):
        services.comment_article(article, by=author, body=f"Avis de {author.first_name}.")
        services.propose_wording(
            article, by=author, body=f"Rédaction de {author.first_name}.", reason="Car."
        )
    with django_assert_max_num_queries(15):
        html = _page(client, text.url("article", article.key))
    assert "Jeanne D." in html and "Lina" in html
    assert "Lina N." not in html and "Nom-Jamais-Affiché" not in html


def edit_data(text, based_on, summary, **bodies):
    """The edit form as the browser sends it, with some article bodies retyped (by number)."""
    data = {"based_on": based_on, "title": text.title, "preamble": "", "summary": summary}
    for index, a in enumerate(text.current_version.articles.order_by("number")):
        data[f"article_{index}_key"] = a.key
        data[f"article_{index}_title"] = a.title
        data[f"article_{index}_body"] = bodies.get(f"article_{a.number}", a.body)
    return data


def test_two_editors_at_once_never_overwrite_each_other(
    client, admin_national, django_assert_max_num_queries
):
    text = charter(admin_national)
    editor = UserFactory()
    text.editors.add(editor)
    client.force_login(editor)
    with django_assert_max_num_queries(15):
        html = _page(client, text.url("edit"))
    assert re.search(r'<input type="hidden" name="based_on" value="1"', html)
    # The editor fills in the form of version 1 while the administrator publishes version 2,
    # which removes the third article.
    mine = edit_data(text, 1, "Mon changement.", article_2="Ma rédaction de l'article 2.")
    theirs = [
        ArticleDraft(body="Leur rédaction.", title=a.title, key=a.key)
        for a in text.current_version.articles.order_by("number")[:2]
    ]
    services.publish_version(text, by=admin_national, summary="Article 3 retiré.", articles=theirs)
    with django_assert_max_num_queries(15):
        response = client.post(text.url("edit"), mine)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Le texte a changé pendant que vous le modifiiez" in html
    assert "la version 2 a été publiée depuis la version 1" in html
    assert "Ce qu'elle change : « Article 3 retiré. »" in html
    assert f"{text.url('compare')}?de=1&amp;a=2" in html
    # Everything typed is still there, the third article too, and the form still says version 1.
    assert "Ma rédaction de l&#x27;article 2." in html and "Mon changement." in html
    assert "Les décisions, leurs motifs et leurs suites sont publics." in html
    assert re.search(r'<input type="hidden" name="based_on" value="1"', html)
    assert INVALID not in html
    text = Text.objects.get(pk=text.pk)
    assert text.versions.count() == 2
    assert text.current_version.articles.count() == 2
    # Reloaded, the form starts from version 2 and publishes version 3 on top of it.
    assert re.search(r'name="based_on" value="2"', _page(client, text.url("edit")))
    response = client.post(
        text.url("edit"), edit_data(text, 2, "Mon changement.", article_2="Ma rédaction.")
    )
    assert response.status_code == 302
    text = Text.objects.get(pk=text.pk)
    assert text.current_version.number == 3
    assert [a.body for a in text.current_version.articles.order_by("number")] == [
        "Leur rédaction.",
        "Ma rédaction.",
    ]


def test_an_edit_form_without_its_starting_version_is_refused_as_typed(client, admin_national):
    text = charter(admin_national)
    client.force_login(admin_national)
    data = edit_data(text, 1, "Sans version de départ.", article_1="Texte retapé.")
    for based_on in ("", "9", "x"):
        data["based_on"] = based_on
        response = client.post(text.url("edit"), data)
        assert response.status_code == 400
        html = response.content.decode()
        assert "La version de départ de ce formulaire est inconnue : rechargez la page." in html
        assert "Texte retapé." in html
    assert text.versions.count() == 1


def test_a_transmitted_law_proposal_takes_no_decision_on_a_wording(client, admin_national):
    law = law_proposal(admin_national)
    law = services.open_consultation(law, by=admin_national, closes_on=in_a_month())
    article = law.current_version.articles.select_related("version__text").first()
    proposal = services.propose_wording(article, by=UserFactory(), body="Autre.", reason="Mieux.")
    services.record_transmission(
        law,
        by=admin_national,
        recipient_kind="gouvernement",
        recipients="Cabinet du Premier ministre",
        transmitted_on=law.created_at.date(),
    )
    client.force_login(admin_national)
    response = client.get(law.url("decline", proposal.pk), follow=True)
    assert "les propositions de rédaction ne se traitent plus" in response.content.decode()
    response = client.post(law.url("decline", proposal.pk), {"reason": "Hors sujet."})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == ArticleProposalState.PENDING and proposal.decision_reason == ""


def test_a_comment_withdrawn_or_flagged_cannot_be_reported(client, admin_national):

    text = charter(admin_national)
    article = text.current_version.articles.first()
    withdrawn = services.comment_article(article, by=UserFactory(), body="Insulte.")
    flagged = services.comment_article(article, by=UserFactory(), body="Inquiétant.")
    services.remove_comment(withdrawn, by=admin_national, reason="Propos injurieux.")
    flag_danger(flagged, by=UserFactory(), reason="Un enfant en parle.")
    client.force_login(UserFactory())
    for comment in (withdrawn, flagged):
        url = reverse("texts:report_comment", args=[comment.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "Injurieux."}).status_code == 404
    assert not ArticleComment.objects.filter(report_count__gt=0).exists()
