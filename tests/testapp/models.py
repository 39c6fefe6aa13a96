"""A model that exists only in tests, to exercise the generic machinery of enfance.core."""

from django.db import models

from enfance.core.crypto import EncryptedTextField


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


class VotingBody(models.Model):
    """A ballot context for tests of enfance.votes: the duck-typed protocol, nothing more."""

    name = models.CharField(max_length=100)
    # No database constraint: this app has no migrations, its tables are created before the
    # users table exists.
    manager = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    members = models.ManyToManyField("accounts.User", related_name="+", db_constraint=False)
    public = models.BooleanField(default=True)

    class Meta:
        app_label = "testapp"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"/instances/essai-{self.pk}/"

    def can_manage_ballots(self, user):
        return user.is_authenticated and user.pk == self.manager_id

    def is_visible_to(self, user):
        return self.public or user.pk == self.manager_id

    def ballot_electorate(self):
        return self.members.all()


class Confidence(models.Model):
    """Something a person confides, encrypted at rest: for the tests of enfance.core.crypto."""

    text = EncryptedTextField(blank=True)

    class Meta:
        app_label = "testapp"

    def __str__(self):
        return f"Confidence n° {self.pk}"
