from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from enfance.core.workflow import Actionable
from enfance.territories.models import Commune, Departement

from . import audiences
from .enums import (
    ACTIVE_REGISTRATION_STATUSES,
    MEMBERS_ONLY_KINDS,
    PUBLIC_STATUSES,
    EventKind,
    EventStatus,
    RegistrationStatus,
)
from .perms import can_manage_event, reviewable_departement_ids


class EventQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status__in=PUBLIC_STATUSES).exclude(kind__in=MEMBERS_ONLY_KINDS)

    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now())

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now())

    def hosted_by(self, user):
        hosts = Event.hosts.through.objects.filter(event=OuterRef("pk"), user=user.pk)
        return self.filter(Exists(hosts))

    def visible_to(self, user):
        """Public events, and the proposals of their authors, hosts and reviewers; a
        members-only event (``audiences``) to its hosts and, once published, its members."""
        if not user.is_authenticated:
            return self.public()
        departement_ids = reviewable_departement_ids(user)
        hosted = Q(Exists(Event.hosts.through.objects.filter(event=OuterRef("pk"), user=user.pk)))
        ordinary = Q()
        if departement_ids is not None:
            ordinary = (
                Q(status__in=PUBLIC_STATUSES)
                | Q(proposed_by=user)
                | hosted
                | Q(departement__in=departement_ids)
            )
        members_only = Q(kind__in=MEMBERS_ONLY_KINDS)
        return self.filter(
            (~members_only & ordinary)
            | (members_only & (hosted | (Q(status__in=PUBLIC_STATUSES) & audiences.belongs(user))))
        )

    def reviewable_by(self, user):
        """Proposals this person may accept or refuse."""
        departement_ids = reviewable_departement_ids(user)
        proposals = self.filter(status=EventStatus.PROPOSED).exclude(kind__in=MEMBERS_ONLY_KINDS)
        if departement_ids is None:
            return proposals
        return proposals.filter(departement__in=departement_ids)


class Event(Actionable, models.Model):
    kind = models.CharField("type", max_length=20, choices=EventKind.choices)
    title = models.CharField("titre", max_length=200)
    description = models.TextField("description")
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    place = models.CharField("lieu (adresse)", max_length=300, blank=True)
    online_url = models.URLField("lien de connexion", blank=True)
    departement = models.ForeignKey(
        Departement,
        verbose_name="département",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    commune = models.ForeignKey(
        Commune,
        verbose_name="commune",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    instance = models.ForeignKey(
        "assemblies.Instance",
        verbose_name="instance locale",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    capacity = models.PositiveIntegerField("nombre de places", null=True, blank=True)
    # Kept by the registration services under the event's row lock; the database refuses a
    # value over the capacity, whatever code writes it.
    registered_count = models.PositiveIntegerField("inscrits", default=0, editable=False)
    hosts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="animateurs",
        related_name="hosted_events",
        blank=True,
    )
    status = models.CharField(
        "état", max_length=20, choices=EventStatus.choices, default=EventStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="proposé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("créé le", default=timezone.now)
    reviewed_at = models.DateTimeField("examiné le", null=True, blank=True)
    refusal_reason = models.TextField("motif du refus", blank=True)
    cancelled_at = models.DateTimeField("annulé le", null=True, blank=True)
    cancellation_reason = models.TextField("motif de l'annulation", blank=True)
    attendance_taken_at = models.DateTimeField("présences relevées le", null=True, blank=True)
    # What the event produced, recorded once it is over.
    minutes = models.TextField("compte rendu", blank=True)
    priorities = models.JSONField("priorités adoptées", default=list, blank=True)
    elected = models.JSONField("personnes élues", default=list, blank=True)
    outcome_recorded_at = models.DateTimeField("résultats publiés le", null=True, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = "événement"
        ordering = ["starts_at", "pk"]
        indexes = [
            # The calendar: published events in date order, read from the index.
            models.Index(fields=["status", "starts_at"], name="event_calendar_idx"),
            # One kind in date order (the lives' page, /soutien/lives/).
            models.Index(fields=["kind", "starts_at"], name="event_kind_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(kind=EventKind.LIVE) | Q(capacity__isnull=False),
                name="event_capacity_required_except_lives",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="event_capacity_positive",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(registered_count__lte=models.F("capacity")),
                name="event_registered_within_capacity",
            ),
            models.CheckConstraint(
                condition=Q(kind=EventKind.LIVE) | Q(departement__isnull=False),
                name="event_departement_required_except_lives",
            ),
            models.CheckConstraint(
                condition=(Q(kind=EventKind.LIVE) & ~Q(online_url=""))
                | (Q(kind=EventKind.GROUPE) & (~Q(online_url="") | ~Q(place="")))
                | (~Q(kind__in=[EventKind.LIVE, EventKind.GROUPE]) & ~Q(place="")),
                name="event_place_or_online_link",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", args=[self.pk])

    def can_manage_ballots(self, user) -> bool:
        """The votes app asks its contexts who may run their ballots."""
        return can_manage_event(user, self)

    def is_visible_to(self, user) -> bool:
        """Who sees the event's ballots: whoever sees the event."""
        return Event.objects.visible_to(user).filter(pk=self.pk).exists()

    def ballot_electorate(self):
        """The electorate the votes engine offers for a ballot held at the event: the people
        the hosts marked present."""
        return [
            r.user
            for r in self.registrations.registered().filter(attended=True).select_related("user")
        ]

    @property
    def is_online(self) -> bool:
        """A live always; a group's session when it has a link and no address."""
        return self.kind == EventKind.LIVE or (bool(self.online_url) and not self.place)

    @property
    def home(self) -> dict | None:
        """Where a members-only event's page leads back to (its group)."""
        return audiences.home(self)

    @property
    def places_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.registered_count, 0)

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.registered_count >= self.capacity

    @property
    def territory_label(self) -> str:
        if self.commune_id:
            return f"{self.commune.name}, {self.departement}"
        if self.departement_id:
            return str(self.departement)
        return "En ligne, ouvert à toute la France"

    def is_open_for_registration(self, now=None) -> bool:
        return self.status == EventStatus.PUBLISHED and self.starts_at > (now or timezone.now())


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_REGISTRATION_STATUSES)

    def registered(self):
        return self.filter(status=RegistrationStatus.REGISTERED)

    def waiting(self):
        return self.filter(status=RegistrationStatus.WAITING).order_by("registered_at", "pk")


class Registration(models.Model):
    event = models.ForeignKey(
        Event, verbose_name="événement", on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="personne",
        on_delete=models.CASCADE,
        related_name="event_registrations",
    )
    status = models.CharField("état", max_length=20, choices=RegistrationStatus.choices)
    # The waiting list is served in this order; registering again after cancelling starts over.
    registered_at = models.DateTimeField("inscrit le", default=timezone.now)
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)
    promoted_at = models.DateTimeField("sortie de la liste d'attente le", null=True, blank=True)
    attended = models.BooleanField("présent", default=False)
    reminder_sent_at = models.DateTimeField("rappel envoyé le", null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = "inscription"
        ordering = ["registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"], name="one_registration_per_person_per_event"
            ),
        ]
        indexes = [
            models.Index(
                fields=["event", "status", "registered_at"], name="registration_queue_idx"
            ),
            models.Index(fields=["user", "status"], name="registration_person_idx"),
        ]

    def __str__(self):
        return f"Inscription n° {self.pk} à « {self.event} »"
