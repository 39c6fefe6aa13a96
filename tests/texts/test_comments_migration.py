"""Article comments moved to the shared moderation (texts 0003): a comment withdrawn by the
moderation keeps its public reason, who withdrew it and when; nothing is lost either way."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("texts", "0002_transmission_constraints")]
AFTER = [("texts", "0003_comments_from_discussions")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_hidden_comments_become_removed_with_their_reason_and_back():
    apps = _migrate(BEFORE)
    User = apps.get_model("accounts", "User")
    Text = apps.get_model("texts", "Text")
    TextVersion = apps.get_model("texts", "TextVersion")
    Article = apps.get_model("texts", "Article")
    ArticleComment = apps.get_model("texts", "ArticleComment")
    moderator = User.objects.create(email="moderation@exemple.fr")
    text = Text.objects.create(kind="charte", title="Charte", slug="charte-migration")
    version = TextVersion.objects.create(text=text, number=1, title="Charte", summary="V1")
    article = Article.objects.create(version=version, key=1, number=1, body="Texte.")
    hidden_at = timezone.now() - timedelta(days=3)
    hidden = ArticleComment.objects.create(
        article=article,
        body="Insulte.",
        hidden_at=hidden_at,
        hidden_reason="Propos injurieux.",
        hidden_by=moderator,
    )
    shown = ArticleComment.objects.create(article=article, body="D'accord.")

    apps = _migrate(AFTER)
    ArticleComment = apps.get_model("texts", "ArticleComment")
    removed = ArticleComment.objects.get(pk=hidden.pk)
    assert (removed.state, removed.moderation_reason) == ("retire", "Propos injurieux.")
    assert removed.moderated_by_id == moderator.pk and removed.moderated_at == hidden_at
    assert ArticleComment.objects.get(pk=shown.pk).state == "publie"

    apps = _migrate(BEFORE)
    ArticleComment = apps.get_model("texts", "ArticleComment")
    back = ArticleComment.objects.get(pk=hidden.pk)
    assert (back.hidden_at, back.hidden_reason, back.hidden_by_id) == (
        hidden_at,
        "Propos injurieux.",
        moderator.pk,
    )
    assert ArticleComment.objects.get(pk=shown.pk).hidden_at is None
    _migrate(AFTER)
