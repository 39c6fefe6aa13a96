"""The domain event log: an append-only, hash-chained record of significant actions.

Each entry stores the hash of the entry before it (``prev_hash``) and its own hash, computed over
its content and ``prev_hash``. Changing, inserting or deleting a row anywhere breaks the chain from
that row on, which ``manage.py verify_event_log`` reports. ``prev_hash`` is unique, so two writers
can never both extend the same entry (no fork), and database triggers refuse updates and deletes.
"""

import datetime
import hashlib
import json
from collections.abc import Iterable

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

GENESIS_HASH = "0" * 64


class LogEntryQuerySet(models.QuerySet):
    def public(self):
        return self.filter(public=True)

    def with_actor(self):
        return self.select_related("actor")

    def about(self, *targets: tuple[type[models.Model], Iterable]) -> "LogEntryQuerySet":
        """The entries about these objects, given as (model, primary keys) pairs."""
        about = models.Q(pk__in=[])
        for model, pks in targets:
            about |= models.Q(
                target_type=model._meta.label_lower, target_id__in=[str(pk) for pk in pks]
            )
        return self.filter(about)


class LogEntry(models.Model):
    """One entry of the event log (« journal des événements »)."""

    occurred_at = models.DateTimeField("date", default=timezone.now, db_index=True)
    # The actor reference is what the hash covers: it survives the deletion of the account
    # (the foreign key then becomes NULL, which the triggers allow and the hash ignores).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_ref = models.CharField("référence de l'auteur", max_length=64, blank=True)
    action = models.CharField("action", max_length=80, db_index=True)
    target_type = models.CharField("type d'objet", max_length=80, blank=True)
    target_id = models.CharField("identifiant de l'objet", max_length=64, blank=True)
    summary = models.CharField("résumé", max_length=300)
    data = models.JSONField("données", default=dict, blank=True, encoder=DjangoJSONEncoder)
    public = models.BooleanField("public", default=False)
    prev_hash = models.CharField("empreinte précédente", max_length=64, unique=True)
    hash = models.CharField("empreinte", max_length=64, unique=True)

    objects = LogEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "événement du journal"
        verbose_name_plural = "journal des événements"
        ordering = ["-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="logentry_target_idx")]

    def __str__(self):
        return f"#{self.pk} {self.action}"

    def hashed_content(self) -> dict:
        return {
            "prev": self.prev_hash,
            "at": self.occurred_at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
            "actor": self.actor_ref,
            "action": self.action,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "summary": self.summary,
            "data": self.data,
            "public": self.public,
        }

    def compute_hash(self) -> str:
        canonical = json.dumps(
            self.hashed_content(),
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
            cls=DjangoJSONEncoder,
        )
        return hashlib.sha256(canonical.encode()).hexdigest()

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("Le journal des événements est en ajout seul.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Le journal des événements est en ajout seul.")


class SearchEntry(models.Model):
    """The full-text index entry of one object (see enfance.core.fulltext, its only writer).

    The searchable text itself is stored where each database searches best, added by the
    migration rather than declared here: on PostgreSQL a weighted ``tsvector`` column (``vector``,
    GIN-indexed, French configuration without accents); on SQLite a row of the FTS5 table
    ``core_searchentry_fts`` whose rowid is this entry's id.
    """

    kind = models.CharField("type d'objet", max_length=100)
    object_id = models.BigIntegerField("identifiant de l'objet")

    class Meta:
        verbose_name = "entrée de l'index de recherche"
        verbose_name_plural = "index de recherche"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="core_searchentry_unique")
        ]

    def __str__(self):
        return f"{self.kind} #{self.object_id}"


class ScheduledRun(models.Model):
    """One slot of a recurring job (core.scheduler), claimed before it runs: unique per job and
    slot, so that no slot runs twice, whatever the number of schedulers."""

    job = models.CharField("tâche", max_length=100)
    slot = models.DateTimeField("échéance")
    started_at = models.DateTimeField("début", default=timezone.now)
    finished_at = models.DateTimeField("fin", null=True, blank=True)
    succeeded = models.BooleanField("réussie", null=True)
    output = models.TextField("sortie", blank=True)

    class Meta:
        verbose_name = "exécution planifiée"
        verbose_name_plural = "exécutions planifiées"
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="core_scheduledrun_once")
        ]
        indexes = [models.Index(fields=["slot"], name="core_scheduledrun_slot")]

    def __str__(self):
        return f"{self.job} — {self.slot:%Y-%m-%d %H:%M}"
