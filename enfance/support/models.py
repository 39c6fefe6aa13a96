"""Confidential support requests: a parent writes, the professionals who answer reply in a thread.

What the parent writes (the situation, how to reach them, every message) is encrypted at rest
(``core.crypto``); what sorts the queue (subject, département, age band, dates, state) says
nothing of the person and stays in clear. Every read by a professional is recorded
(``RequestRead``) and shown to the parent.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from enfance.core.crypto import EncryptedTextField
from enfance.core.dates import PLATFORM_START, DateBounds
from enfance.core.workflow import Actionable
from enfance.safeguarding.models import Safeguardable
from enfance.territories.models import Departement

from .enums import (
    ChildAge,
    GroupStatus,
    InterlocutorRole,
    QuestionStatus,
    RequestStatus,
    Subject,
    TestimonyStatus,
)

SITUATION_MAX = 6000
CONTACT_MAX = 400
MESSAGE_MAX = 6000
QUESTION_MAX = 500
PSEUDONYM_MAX = 40
SUMMARY_MAX = 8000


class Specialty(models.Model):
    """A subject a professional answers; their role says where (département, région, nation)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="support_specialties"
    )
    subject = models.CharField("sujet", max_length=20, choices=Subject.choices)

    class Meta:
        verbose_name = "sujet traité"
        constraints = [
            models.UniqueConstraint(fields=["user", "subject"], name="specialty_once"),
        ]

    def __str__(self):
        return f"{self.user} : {self.get_subject_display()}"


class SupportRequestQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(status=RequestStatus.NEW)

    def not_closed(self):
        return self.exclude(status=RequestStatus.CLOSED)


class SupportRequest(Actionable, Safeguardable, models.Model):
    parent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="support_requests"
    )
    subject = models.CharField("sujet", max_length=20, choices=Subject.choices)
    departement = models.ForeignKey(
        Departement, verbose_name="département", on_delete=models.PROTECT, related_name="+"
    )
    child_age = models.CharField("âge de l'enfant", max_length=10, choices=ChildAge.choices)
    situation = EncryptedTextField("la situation, avec vos mots", max_length=SITUATION_MAX)
    contact = EncryptedTextField(
        "comment et quand vous joindre", max_length=CONTACT_MAX, blank=True
    )
    status = models.CharField(
        "état", max_length=12, choices=RequestStatus.choices, default=RequestStatus.NEW
    )
    created_at = models.DateTimeField("écrite le", default=timezone.now)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="professionnel qui la suit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    taken_at = models.DateTimeField("prise en charge le", null=True, blank=True)
    first_answer_at = models.DateTimeField("première réponse le", null=True, blank=True)
    last_message_at = models.DateTimeField("dernier message le", default=timezone.now)
    closed_at = models.DateTimeField("close le", null=True, blank=True)

    objects = SupportRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "demande de soutien"
        verbose_name_plural = "demandes de soutien"
        ordering = ["-last_message_at", "-pk"]
        indexes = [
            models.Index(
                fields=["status", "departement", "subject", "created_at"],
                name="support_queue_idx",
            ),
            models.Index(fields=["parent", "last_message_at"], name="support_parent_idx"),
            models.Index(fields=["handler", "status"], name="support_handler_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=RequestStatus.NEW)
                | Q(status=RequestStatus.CLOSED)
                | Q(handler__isnull=False, taken_at__isnull=False),
                name="support_taken_has_its_handler",
            ),
            models.CheckConstraint(
                condition=~Q(status=RequestStatus.CLOSED) | Q(closed_at__isnull=False),
                name="support_closed_has_its_date",
            ),
            models.CheckConstraint(
                condition=Q(first_answer_at__isnull=True) | Q(first_answer_at__gte=F("created_at")),
                name="support_answer_after_request",
            ),
        ]

    def __str__(self):
        return f"Demande n° {self.pk} ({self.get_subject_display()}, {self.departement.code})"

    def get_absolute_url(self):
        return reverse("support:request", kwargs={"pk": self.pk})

    def safeguarding_label(self) -> str:
        return f"Demande de soutien n° {self.pk} ({self.get_subject_display()})"

    def safeguarding_text(self) -> str:
        """What the référent reads: the parent's own words, the situation and their messages
        (copied into the report, encrypted there too)."""
        written = [self.situation]
        written += [m.body for m in self.messages.filter(from_parent=True).order_by("created_at")]
        return "\n\n".join(written)

    def safeguarding_family(self):
        """The parent wrote it: they are told when it is passed on (safeguarding.transmit)."""
        return self.parent

    @property
    def answer_due(self):
        """When the first answer is expected (settings.SUPPORT_FIRST_ANSWER_HOURS)."""
        return self.created_at + timedelta(hours=settings.SUPPORT_FIRST_ANSWER_HOURS)


class SupportMessage(models.Model):
    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_parent = models.BooleanField("écrit par le parent")
    body = EncryptedTextField("message", max_length=MESSAGE_MAX)
    created_at = models.DateTimeField("envoyé le", default=timezone.now)

    class Meta:
        verbose_name = "message"
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["request", "created_at"], name="support_thread_idx")]

    def __str__(self):
        return f"Message du {self.created_at:%d/%m/%Y %H:%M}"


class AttachmentType(models.TextChoices):
    PDF = "application/pdf", "PDF"
    PNG = "image/png", "Image PNG"
    JPEG = "image/jpeg", "Image JPEG"


class Attachment(models.Model):
    """A file joined to a message: its bytes encrypted in the file storage (under a random
    name), its name encrypted here; its type checked from its first bytes, not its name."""

    message = models.ForeignKey(
        SupportMessage, on_delete=models.CASCADE, related_name="attachments"
    )
    filename = EncryptedTextField("nom du fichier", max_length=200)
    content_type = models.CharField("type", max_length=40, choices=AttachmentType.choices)
    size = models.PositiveIntegerField("taille (octets)")
    stored_as = models.CharField("nom dans le stockage", max_length=100, unique=True)
    created_at = models.DateTimeField("joint le", default=timezone.now)

    class Meta:
        verbose_name = "pièce jointe"
        ordering = ["pk"]

    def __str__(self):
        return f"Pièce jointe n° {self.pk}"

    def get_absolute_url(self):
        return reverse("support:attachment", kwargs={"pk": self.pk})


class RequestRead(models.Model):
    """A professional read the request: who and when, shown to the parent."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="reads")
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    read_at = models.DateTimeField("lue le", default=timezone.now)

    class Meta:
        verbose_name = "lecture d'une demande"
        ordering = ["-read_at", "-pk"]
        indexes = [models.Index(fields=["request", "read_at"], name="support_read_idx")]

    def __str__(self):
        return f"Lue le {self.read_at:%d/%m/%Y %H:%M}"


class LiveQuestion(models.Model):
    """A question asked before or during a live (an event of kind « live »), under a pseudonym;
    shown only once a host has read it."""

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="live_questions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    pseudonym = models.CharField("pseudonyme affiché", max_length=PSEUDONYM_MAX)
    text = models.TextField("question", max_length=QUESTION_MAX)
    status = models.CharField(
        "état", max_length=12, choices=QuestionStatus.choices, default=QuestionStatus.PENDING
    )
    supports = models.PositiveIntegerField("soutiens", default=0)
    created_at = models.DateTimeField("posée le", default=timezone.now)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    moderated_at = models.DateTimeField("relue le", null=True, blank=True)
    answered_at = models.DateTimeField("répondue le", null=True, blank=True)

    class Meta:
        verbose_name = "question d'un live"
        ordering = ["-supports", "created_at", "pk"]
        indexes = [models.Index(fields=["event", "status"], name="live_question_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=QuestionStatus.PENDING) | Q(moderated_at__isnull=False),
                name="live_question_moderated",
            ),
            models.CheckConstraint(
                condition=~Q(status=QuestionStatus.ANSWERED) | Q(answered_at__isnull=False),
                name="live_question_answered_at",
            ),
        ]

    def __str__(self):
        return f"Question de {self.pseudonym}"


class QuestionSupport(models.Model):
    """One person supports a shown question, once (the database refuses a second)."""

    question = models.ForeignKey(LiveQuestion, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "soutien d'une question"
        constraints = [
            models.UniqueConstraint(fields=["question", "user"], name="question_support_once")
        ]

    def __str__(self):
        return f"Soutien n° {self.pk}"


class LiveRecord(models.Model):
    """What a live leaves once it is over: the link to its replay and an anonymised written
    summary of the answers."""

    event = models.OneToOneField("events.Event", on_delete=models.CASCADE, related_name="record")
    replay_url = models.URLField("lien du replay", blank=True)
    summary = models.TextField("synthèse écrite des réponses", max_length=SUMMARY_MAX)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField("publiée le", default=timezone.now)

    class Meta:
        verbose_name = "replay et synthèse d'un live"

    def __str__(self):
        return f"Synthèse du live n° {self.event_id}"


# The day the services consulted someone: since the initiative began, never in the future.
CONSULTED_DAY = DateBounds(
    PLATFORM_START,
    "Cette date précède le lancement de l'initiative, le {earliest} : vérifiez l'année.",
    0,
    "La consultation ne peut pas être dans le futur.",
)
NAME_MAX = 120
REACH_MAX = 300
WHY_MAX = 1000


class Interlocutor(models.Model):
    """Someone a parent asks the services to consult about their situation (« consultation
    élargie »): who (encrypted), their role (in clear, for the public share), how to reach
    them and why (encrypted); later, whether the services consulted them and when."""

    parent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interlocutors"
    )
    role = models.CharField("qui est-ce", max_length=20, choices=InterlocutorRole.choices)
    name = EncryptedTextField("nom", max_length=NAME_MAX)
    reach = EncryptedTextField("comment le ou la joindre", max_length=REACH_MAX, blank=True)
    why = EncryptedTextField("pourquoi le consulter", max_length=WHY_MAX, blank=True)
    created_at = models.DateTimeField("noté le", default=timezone.now)
    # None: not known yet; then what the parent learnt from the services.
    consulted = models.BooleanField("consulté par les services", null=True, blank=True)
    consulted_on = models.DateField("consulté le", null=True, blank=True)

    class Meta:
        verbose_name = "personne à consulter"
        verbose_name_plural = "personnes à consulter"
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["role", "consulted"], name="interlocutor_share_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(consulted_on__isnull=True) | Q(consulted=True),
                name="interlocutor_date_only_if_consulted",
            ),
            CONSULTED_DAY.constraint("consulted_on", model="interlocutor", nullable=True),
        ]

    def __str__(self):
        return self.get_role_display()


TESTIMONY_MAX = 1000


class Testimony(models.Model):
    """What the parent lived, in a few anonymised lines written by the professional, with its
    themes: counted publicly (and tied to the flagship proposals it supports) once the parent
    accepts it; deleted with the request."""

    request = models.ForeignKey(
        SupportRequest, on_delete=models.CASCADE, related_name="testimonies"
    )
    text = EncryptedTextField("témoignage anonymisé", max_length=TESTIMONY_MAX)
    status = models.CharField(
        "état", max_length=10, choices=TestimonyStatus.choices, default=TestimonyStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    proposed_at = models.DateTimeField("proposé le", default=timezone.now)
    decided_at = models.DateTimeField("décidé le", null=True, blank=True)
    proposals = models.ManyToManyField(
        "proposals.Proposal", blank=True, related_name="+", verbose_name="propositions phares"
    )

    class Meta:
        verbose_name = "témoignage"
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=TestimonyStatus.PROPOSED) | Q(decided_at__isnull=False),
                name="testimony_decided_at",
            ),
            # One waiting for the parent's answer at a time: a form sent twice proposes once.
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(status=TestimonyStatus.PROPOSED),
                name="testimony_one_waiting",
            ),
        ]

    def __str__(self):
        return f"Témoignage n° {self.pk}"


class TestimonyTheme(models.Model):
    testimony = models.ForeignKey(Testimony, on_delete=models.CASCADE, related_name="themes")
    theme = models.CharField("thème", max_length=20, choices=Subject.choices)

    class Meta:
        verbose_name = "thème d'un témoignage"
        constraints = [
            models.UniqueConstraint(fields=["testimony", "theme"], name="testimony_theme_once")
        ]

    def __str__(self):
        return self.get_theme_display()


# Groupes de parole --------------------------------------------------------------------------

GROUP_DESCRIPTION_MAX = 3000
ANNOUNCEMENT_MAX = 3000
GROUP_REASON_MAX = 1000
# The confidentiality charter each member accepts on joining (support/_group_charter.html); a
# new wording gets a new number, so that who accepted which one stays known.
CHARTER_VERSION = 1


class SupportGroup(Actionable, models.Model):
    """Parents who meet by theme and territory, led by a professional: sessions held through the
    events module (kind « groupe », seen by members only), announcements from the facilitator,
    and no messages between members."""

    title = models.CharField("nom du groupe", max_length=150)
    theme = models.CharField("thème", max_length=20, choices=Subject.choices)
    departement = models.ForeignKey(
        Departement, verbose_name="département", on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField("présentation", max_length=GROUP_DESCRIPTION_MAX)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="animateur ou animatrice",
        on_delete=models.SET_NULL,
        null=True,
        related_name="facilitated_groups",
    )
    status = models.CharField(
        "état", max_length=10, choices=GroupStatus.choices, default=GroupStatus.OPEN
    )
    created_at = models.DateTimeField("créé le", default=timezone.now)
    closed_at = models.DateTimeField("clos le", null=True, blank=True)
    closing_reason = models.TextField("motif de la clôture", blank=True)

    class Meta:
        verbose_name = "groupe de parole"
        verbose_name_plural = "groupes de parole"
        ordering = ["departement__code", "title", "pk"]
        indexes = [models.Index(fields=["status", "departement", "theme"], name="group_list_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=GroupStatus.OPEN) | Q(closed_at__isnull=False),
                name="group_closed_at",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("support:group", args=[self.pk])


class GroupMembershipQuerySet(models.QuerySet):
    def current(self):
        return self.filter(left_at__isnull=True)


class GroupMembership(models.Model):
    """One person in one group, the charter accepted; kept when they leave (``left_at``), so
    that someone the facilitator removed cannot come back by joining again."""

    group = models.ForeignKey(SupportGroup, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="support_groups"
    )
    charter_version = models.PositiveSmallIntegerField("version de la charte acceptée")
    joined_at = models.DateTimeField("rejoint le", default=timezone.now)
    left_at = models.DateTimeField("parti le", null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="retiré par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    removal_reason = models.TextField("motif du retrait", blank=True)

    objects = GroupMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "membre d'un groupe de parole"
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="group_membership_once"),
            models.CheckConstraint(
                condition=Q(charter_version__gte=1), name="group_membership_charter_accepted"
            ),
            models.CheckConstraint(
                condition=Q(left_at__isnull=True) | Q(left_at__gte=F("joined_at")),
                name="group_membership_left_after_joining",
            ),
            models.CheckConstraint(
                condition=Q(removed_by__isnull=True) | Q(left_at__isnull=False),
                name="group_membership_removed_has_left",
            ),
        ]

    def __str__(self):
        return f"Membre n° {self.pk} du groupe « {self.group} »"


class GroupAnnouncement(models.Model):
    """A word from the facilitator to the members: the only writing in a group."""

    group = models.ForeignKey(SupportGroup, on_delete=models.CASCADE, related_name="announcements")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField("annonce", max_length=ANNOUNCEMENT_MAX)
    created_at = models.DateTimeField("publiée le", default=timezone.now)

    class Meta:
        verbose_name = "annonce d'un groupe de parole"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Annonce n° {self.pk} du groupe « {self.group} »"


class GroupSession(models.Model):
    """A session of a group: an event of kind « groupe » (registration, capacity, waiting list,
    reminders, attendance), tied to its group."""

    group = models.ForeignKey(SupportGroup, on_delete=models.CASCADE, related_name="sessions")
    event = models.OneToOneField(
        "events.Event", on_delete=models.CASCADE, related_name="group_session"
    )

    class Meta:
        verbose_name = "séance d'un groupe de parole"

    def __str__(self):
        return f"Séance du groupe « {self.group} »"
