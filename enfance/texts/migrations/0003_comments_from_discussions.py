"""Article comments take the moderation of the shared module (enfance.discussions): a comment
withdrawn by the moderation (``hidden_at``, ``hidden_reason``, ``hidden_by``) becomes a removed
comment with its public reason, who removed it and when. Nothing is lost, either way."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import F
from django.utils import timezone

REMOVED = "retire"


def hidden_to_removed(apps, schema_editor):
    ArticleComment = apps.get_model("texts", "ArticleComment")
    ArticleComment.objects.filter(hidden_at__isnull=False).update(
        state=REMOVED,
        moderation_reason=F("hidden_reason"),
        moderated_by=F("hidden_by"),
        moderated_at=F("hidden_at"),
    )


def removed_to_hidden(apps, schema_editor):
    ArticleComment = apps.get_model("texts", "ArticleComment")
    removed = ArticleComment.objects.filter(state=REMOVED)
    removed.filter(moderated_at__isnull=True).update(moderated_at=timezone.now())
    removed.update(
        hidden_at=F("moderated_at"),
        hidden_reason=F("moderation_reason"),
        hidden_by=F("moderated_by"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("texts", "0002_transmission_constraints"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="articlecomment",
            name="state",
            field=models.CharField(
                choices=[
                    ("a_moderer", "En attente de modération"),
                    ("publie", "Publié"),
                    ("retire", "Retiré par la modération"),
                ],
                default="publie",
                max_length=20,
                verbose_name="état",
            ),
        ),
        migrations.AddField(
            model_name="articlecomment",
            name="moderated_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="modéré le"),
        ),
        migrations.AddField(
            model_name="articlecomment",
            name="moderated_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="modéré par",
            ),
        ),
        migrations.AddField(
            model_name="articlecomment",
            name="moderation_reason",
            field=models.CharField(blank=True, max_length=300, verbose_name="motif public"),
        ),
        migrations.RunPython(hidden_to_removed, removed_to_hidden),
        migrations.RemoveConstraint(
            model_name="articlecomment",
            name="article_comment_hidden_has_reason",
        ),
        migrations.RemoveIndex(
            model_name="articlecomment",
            name="article_comment_reports_idx",
        ),
        migrations.RemoveField(model_name="articlecomment", name="hidden_at"),
        migrations.RemoveField(model_name="articlecomment", name="hidden_by"),
        migrations.RemoveField(model_name="articlecomment", name="hidden_reason"),
        migrations.AddIndex(
            model_name="articlecomment",
            index=models.Index(
                fields=["state", "-report_count"], name="article_comment_moderation_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="articlecomment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("state", "retire"), _negated=True),
                    models.Q(("moderation_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="texts_articlecomment_removed_has_reason",
            ),
        ),
        migrations.AlterModelOptions(
            name="articlecommentreport",
            options={
                "verbose_name": "signalement d'un commentaire d'article",
                "verbose_name_plural": "signalements d'abus",
            },
        ),
        migrations.RemoveConstraint(
            model_name="articlecommentreport",
            name="one_article_comment_report_per_person",
        ),
        migrations.AddConstraint(
            model_name="articlecommentreport",
            constraint=models.UniqueConstraint(
                fields=("comment", "reported_by"),
                name="texts_articlecommentreport_once_per_person",
            ),
        ),
    ]
