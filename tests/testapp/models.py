"""A model that exists only in tests, to exercise the generic machinery of enfance.core."""

from django.db import models


class Document(models.Model):
    title = models.CharField(max_length=100)
    state = models.CharField(
        max_length=20,
        choices=[("draft", "Brouillon"), ("published", "Publié"), ("archived", "Archivé")],
        default="draft",
    )
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        app_label = "testapp"

    def __str__(self):
        return self.title
