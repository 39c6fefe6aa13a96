"""Everything that changes the petition, one function per thing a person (or a job) does.

The surge path is `sign`: one statement (INSERT … ON CONFLICT), no transaction block, no event
log entry (the log serialises its appends), and the confirmation e-mail queued by the row
itself (emails.py). See README.md in this package.
"""

import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from enfance.core.access import require
from enfance.core.eventlog import record_event
from enfance.core.text import bounded_text, model_limit
from enfance.core.workflow import apply_transition
from enfance.territories.models import Commune, Departement

from . import conf
from .enums import PAPER_STATES, PetitionState
from .models import (
    COLLECTION_DAY,
    MAX_SHEETS_PER_ENTRY,
    DepartementCount,
    PaperSheet,
    Petition,
    Signature,
)
from .normalization import normalise_email
from .perms import can_enter_paper_sheet, can_export_signatures, can_manage_petition
from .tasks import drain_confirmation_emails
from .workflows import PETITION_WORKFLOW

# --- Signing --------------------------------------------------------------------------------


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def sign(
    petition: Petition, *, first_name: str, last_name: str, email: str, commune: Commune
) -> None:
    """Record a signature waiting for confirmation, or ask again for the e-mail of an existing
    one: the same address (normalised) never makes a second row, and what a second request
    typed never overwrites the first (anyone can type anyone's address).

    Deliberately says nothing about which case happened: the page is the same, so the form
    does not tell who has signed.
    """
    if not petition.accepts_signatures():
        raise ValidationError("La pétition n'est plus ouverte aux signatures.")
    first_name = _bounded(Signature, "first_name", first_name)
    last_name = _bounded(Signature, "last_name", last_name)
    email = _bounded(Signature, "email", email)
    now = timezone.now()
    cooldown = now - timedelta(seconds=conf.get("RESEND_COOLDOWN_SECONDS"))
    table = _table(Signature)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (petition_id, first_name, last_name, email, email_normalized,"  # noqa: S608 - table name from the model
            " commune_id, departement_id, created_at, email_pending)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (petition_id, email_normalized) DO UPDATE SET email_pending = %s"
            f" WHERE {table}.emailed_at IS NULL OR {table}.emailed_at < %s",
            [
                petition.pk,
                first_name,
                last_name,
                email,
                normalise_email(email),
                commune.pk,
                commune.departement_id,
                connection.ops.adapt_datetimefield_value(now),
                True,
                True,
                connection.ops.adapt_datetimefield_value(cooldown),
            ],
        )
    schedule_email_drain()


def _bounded(model, field: str, value: str) -> str:
    """A column's limit, checked here because the INSERT above bypasses the model (an over-long
    value would be a server error on PostgreSQL and kept whole on SQLite)."""
    label = model._meta.get_field(field).verbose_name
    return bounded_text(
        value,
        limit=model_limit(model, field),
        label=label,
        required=f"Le champ « {label} » est obligatoire.",
    )


_last_drain_scheduled = 0.0


def schedule_email_drain() -> None:
    """Enqueue the e-mail job at most once per interval and process: under a surge that is one
    job every few seconds for thousands of signatures, each job sending every pending e-mail."""
    global _last_drain_scheduled
    now = time.monotonic()
    interval = conf.get("EMAIL_DRAIN_INTERVAL")
    if interval and now - _last_drain_scheduled < interval:
        return
    _last_drain_scheduled = now
    transaction.on_commit(drain_confirmation_emails.enqueue)


def sign_with_franceconnect(
    petition: Petition,
    *,
    first_name: str,
    last_name: str,
    email: str,
    identity_digest: str,
    commune: Commune,
) -> bool:
    """A signature by a person signed in with FranceConnect (PETITION_REQUIRE_FRANCECONNECT):
    the names come from the identity, which is verified, so the signature counts at once (no
    confirmation e-mail). One per identity and one per address: returns False, changing
    nothing, if this identity or address has already signed and been counted; an earlier
    e-mail signature never confirmed becomes this one."""
    first_name = _bounded(Signature, "first_name", first_name)
    last_name = _bounded(Signature, "last_name", last_name)
    email = _bounded(Signature, "email", email)
    normalized = normalise_email(email)
    now = timezone.now()
    try:
        with transaction.atomic():
            if not _open_under_share_lock(petition.pk):
                raise ValidationError("La pétition n'est plus ouverte aux signatures.")
            # At most two rows: this identity's, this address's.
            existing = list(
                Signature.objects.select_for_update()
                .filter(petition=petition)
                .filter(Q(identity_digest=identity_digest) | Q(email_normalized=normalized))
            )
            if any(row.confirmed_at is not None for row in existing):
                return False
            signature = existing[0] if existing else Signature(petition=petition)
            signature.first_name, signature.last_name = first_name, last_name
            signature.email, signature.email_normalized = email, normalized
            signature.identity_digest = identity_digest
            signature.commune, signature.departement_id = commune, commune.departement_id
            signature.confirmed_at, signature.email_pending = now, False
            signature.save()
            _add_to_count(petition.pk, commune.departement_id, 1)
    except IntegrityError:
        # The same person, twice at the same moment: the other request counted.
        return False
    expire_counts(petition.pk)
    return True


# --- Confirmation and counts ----------------------------------------------------------------


def request_new_link(signature: Signature) -> None:
    """After an expired link: the same signature, a fresh link."""
    if signature.confirmed_at is None:
        Signature.objects.filter(pk=signature.pk).update(email_pending=True)
        schedule_email_drain()


def confirm(signature: Signature) -> bool:
    """Count a signature, once; returns whether this call confirmed it. The département's count
    moves in the same transaction, so the public counter never counts a signature twice."""
    with transaction.atomic():
        if not _open_under_share_lock(signature.petition_id):
            raise ValidationError("La pétition est close : les signatures ne sont plus confirmées.")
        updated = Signature.objects.filter(
            pk=signature.pk, confirmed_at__isnull=True, email_normalized__isnull=False
        ).update(confirmed_at=timezone.now())
        if updated:
            _add_to_count(signature.petition_id, signature.departement_id, 1)
    if updated:
        expire_counts(signature.petition_id)
    return bool(updated)


def _open_under_share_lock(petition_id: int) -> bool:
    """Whether the petition accepts signatures, read under a share lock held until the end of
    the transaction: closing it (a row lock, see core.workflow.apply_transition) waits for the
    confirmations under way, and none counts after it. Confirmations do not wait for each other.
    SQLite needs no lock: its transactions here take the database's write lock at BEGIN."""
    lock = " FOR SHARE" if connection.vendor == "postgresql" else ""
    rows = Petition.objects.raw(
        f"SELECT id, state, opens_at, closes_at FROM {_table(Petition)} WHERE id = %s{lock}",  # noqa: S608 - table name from the model
        [petition_id],
    )
    return any(petition.accepts_signatures() for petition in rows)


def _add_to_count(petition_id: int, departement_id: int, n: int) -> None:
    table = _table(DepartementCount)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (petition_id, departement_id, confirmed) VALUES (%s, %s, %s)"  # noqa: S608 - table name from the model
            f" ON CONFLICT (petition_id, departement_id) DO UPDATE"
            f" SET confirmed = {table}.confirmed + %s",
            [petition_id, departement_id, n, n],
        )


def recount(petition: Petition) -> None:
    """Rebuild the per-département counts from the signatures (a repair; the generator)."""
    with transaction.atomic():
        DepartementCount.objects.filter(petition=petition).delete()
        DepartementCount.objects.bulk_create(
            DepartementCount(petition=petition, **row)
            for row in Signature.objects.filter(petition=petition)
            .confirmed()
            .values("departement_id")
            .annotate(confirmed=Count("id"))
            .order_by()
            .values("departement_id", "confirmed")
        )
    expire_counts(petition.pk)


def _counts_key(petition_id: int) -> str:
    return f"petitions:figures:{petition_id}"


def _fresh_key(petition_id: int) -> str:
    return f"petitions:figures-fresh:{petition_id}"


def expire_counts(petition_id: int) -> None:
    """The next reader refreshes the counts (one reader: the others keep the previous figures
    meanwhile). Deleting the marker, not the counts, so a confirmation never makes every
    concurrent reader recompute at once."""
    cache.delete(_fresh_key(petition_id))


@dataclass(frozen=True)
class DepartementRow:
    # Code and name, not the model: the counts are unpickled from the cache on every view.
    code: str
    name: str
    online: int
    paper: int

    @property
    def total(self) -> int:
        return self.online + self.paper


@dataclass(frozen=True)
class Counts:
    online: int
    paper: int
    rows: list[DepartementRow]
    departements_reached: int
    # When these figures last changed (not when they were last read from the database): the
    # key of the fragments rendered from them, which are thus rebuilt only when a number moves.
    changed_at: float

    def same_figures(self, other: "Counts | None") -> bool:
        return other is not None and (self.online, self.paper, self.rows) == (
            other.online,
            other.paper,
            other.rows,
        )

    @property
    def total(self) -> int:
        return self.online + self.paper

    @property
    def goal(self) -> int:
        return conf.get("GOAL")

    @property
    def min_departements(self) -> int:
        return conf.get("MIN_DEPARTEMENTS")

    @property
    def threshold(self) -> int:
        return conf.get("DEPARTEMENT_THRESHOLD")

    @property
    def percent(self) -> int:
        return min(100, self.total * 100 // self.goal) if self.goal else 100

    @property
    def milestones(self) -> list[dict]:
        return [{"value": m, "reached": self.total >= m} for m in conf.milestones()]

    @property
    def next_milestone(self) -> int | None:
        return next((m for m in conf.milestones() if self.total < m), None)

    @property
    def rule_met(self) -> bool:
        return self.total >= self.goal and self.departements_reached >= self.min_departements


# How long stale counts may still be served while one reader refreshes them, and how long that
# reader may take before another one tries (it crashed).
STALE_COUNTS_SECONDS = 3600
REFRESH_LOCK_SECONDS = 10


def counts(petition: Petition) -> Counts:
    """The public counts: read from the per-département counters (three small queries, never
    the signatures), fresh for COUNTER_CACHE_SECONDS. Once stale, one reader per cache refreshes
    them while the others serve the previous figures: no stampede of 16 readers on the expiry."""
    key, fresh_key = _counts_key(petition.pk), _fresh_key(petition.pk)
    found = cache.get_many([key, fresh_key])
    previous = found.get(key)
    if previous is not None:
        if fresh_key in found:
            return previous
        if not cache.add(f"{key}:refresh", 1, timeout=REFRESH_LOCK_SECONDS):
            return previous
    try:
        result = _read_counts(petition, previous)
        cache.set(key, result, timeout=STALE_COUNTS_SECONDS)
        cache.set(fresh_key, 1, timeout=conf.get("COUNTER_CACHE_SECONDS"))
    finally:
        if previous is not None:
            cache.delete(f"{key}:refresh")
    return result


def _read_counts(petition: Petition, previous: Counts | None) -> Counts:
    online = dict(
        DepartementCount.objects.filter(petition=petition).values_list(
            "departement_id", "confirmed"
        )
    )
    paper = dict(
        PaperSheet.objects.counted()
        .filter(petition=petition)
        .values("departement_id")
        .annotate(n=Sum("signatures"))
        .order_by()
        .values_list("departement_id", "n")
    )
    threshold = conf.get("DEPARTEMENT_THRESHOLD")
    rows = [
        DepartementRow(code, name, online.get(pk, 0), paper.get(pk, 0))
        for pk, code, name in Departement.objects.order_by("code").values_list("pk", "code", "name")
    ]
    result = Counts(
        online=sum(online.values()),
        paper=sum(paper.values()),
        rows=rows,
        departements_reached=sum(1 for row in rows if row.total >= threshold),
        changed_at=time.time(),
    )
    if result.same_figures(previous):
        return previous
    return result


# --- Paper sheets ---------------------------------------------------------------------------


def add_paper_sheet(
    petition: Petition,
    *,
    by,
    instance,
    signatures: int,
    sheets: int,
    collected_at: str,
    collected_on: date,
) -> PaperSheet:
    require(by, can_enter_paper_sheet, instance)
    collected_at = bounded_text(
        collected_at,
        limit=model_limit(PaperSheet, "collected_at"),
        required="Indiquez le lieu de collecte.",
    )
    if not 1 <= sheets <= MAX_SHEETS_PER_ENTRY:
        raise ValidationError(
            f"Indiquez entre 1 et {MAX_SHEETS_PER_ENTRY} feuilles pour une saisie."
        )
    COLLECTION_DAY.check(collected_on)
    with transaction.atomic():
        _lock_paper_open(
            petition.pk, "La pétition a été déposée : plus aucune feuille ne peut être saisie."
        )
        sheet = PaperSheet.objects.create(
            petition=petition,
            instance=instance,
            departement_id=instance.departement_id,
            signatures=signatures,
            sheets=sheets,
            collected_at=collected_at,
            collected_on=collected_on,
            entered_by=by,
        )
        record_event(
            by=by,
            action="petitions.paper_sheet.add",
            summary=f"{signatures} signatures papier saisies pour {instance}",
            target=sheet,
            data={
                "instance": instance.pk,
                "signatures": signatures,
                "sheets": sheets,
                "collected_on": collected_on,
                "collected_at": collected_at,
            },
            public=True,
        )
    transaction.on_commit(lambda: expire_counts(petition.pk))
    return sheet


def _lock_paper_open(petition_pk: int, refusal: str) -> None:
    """Paper counts move only while the petition is open or closed, read from its locked row
    (the caller's copy may be a few seconds old, and a submission may be under way)."""
    state = Petition.objects.select_for_update().values_list("state", flat=True).get(pk=petition_pk)
    if state not in PAPER_STATES:
        raise ValidationError(refusal)


def withdraw_paper_sheet(sheet: PaperSheet, *, by, reason: str) -> PaperSheet:
    """A mistaken entry is withdrawn, never deleted: the log keeps both."""
    require(by, can_enter_paper_sheet, sheet.instance)
    reason = bounded_text(
        reason,
        limit=model_limit(PaperSheet, "withdrawal_reason"),
        required="Indiquez le motif du retrait.",
    )
    with transaction.atomic():
        _lock_paper_open(
            sheet.petition_id,
            "La pétition a été déposée avec ce décompte : la saisie ne peut plus être retirée.",
        )
        locked = PaperSheet.objects.select_for_update().get(pk=sheet.pk)
        if locked.withdrawn_at is not None:
            raise ValidationError("Cette saisie a déjà été retirée.")
        locked.withdrawn_at = timezone.now()
        locked.withdrawn_by = by
        locked.withdrawal_reason = reason
        locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
        record_event(
            by=by,
            action="petitions.paper_sheet.withdraw",
            summary=f"Saisie de {locked.signatures} signatures papier retirée : {reason}",
            target=locked,
            data={"instance": locked.instance_id, "signatures": locked.signatures},
            public=True,
        )
    transaction.on_commit(lambda: expire_counts(sheet.petition_id))
    return locked


# --- The petition's life --------------------------------------------------------------------


def transition(petition: Petition, *, by, name: str) -> Petition:
    also = {"submitted_at": timezone.now()} if name == "submit" else {}
    if name == "anonymise":
        return anonymise(petition, by=by)
    petition = apply_transition(petition, PETITION_WORKFLOW, name, by=by, also_update=also)
    expire_counts(petition.pk)
    return petition


def anonymise(petition: Petition, *, by=None) -> Petition:
    """Erase every signatory's personal data; the counts (per département) stay. Unconfirmed
    signatures, which never counted, are deleted."""
    with transaction.atomic():
        petition = apply_transition(
            petition,
            PETITION_WORKFLOW,
            "anonymise",
            by=by,
            also_update={"anonymised_at": timezone.now()},
        )
        Signature.objects.filter(petition=petition, confirmed_at__isnull=True).delete()
        Signature.objects.filter(petition=petition).update(
            first_name="",
            last_name="",
            email="",
            email_normalized=None,
            identity_digest=None,
            commune=None,
            email_pending=False,
        )
    return petition


def anonymise_due(*, now=None) -> list[Petition]:
    """The documented schedule: ANONYMISE_AFTER_DAYS after submission."""
    now = now or timezone.now()
    limit = now - timedelta(days=conf.get("ANONYMISE_AFTER_DAYS"))
    due = Petition.objects.filter(state=PetitionState.SUBMITTED, submitted_at__lte=limit)
    return [anonymise(petition, by=None) for petition in due]


def delete_stale_unconfirmed(*, now=None) -> int:
    """Signatures never confirmed are not kept beyond UNCONFIRMED_RETENTION_DAYS."""
    now = now or timezone.now()
    limit = now - timedelta(days=conf.get("UNCONFIRMED_RETENTION_DAYS"))
    deleted, _ = Signature.objects.filter(confirmed_at__isnull=True, created_at__lt=limit).delete()
    return deleted


# --- Export ---------------------------------------------------------------------------------

EXPORT_HEADER = [
    "Prénom",
    "Nom",
    "Adresse électronique",
    "Commune",
    "Code INSEE",
    "Département",
    "Signée le",
    "Confirmée le",
]


def export_rows(petition: Petition, *, by):
    """Every confirmed signature, for submission; the export itself is logged. The cells are
    raw: ``core.csv_export`` makes them safe for a spreadsheet."""
    if not can_export_signatures(by, petition):
        raise PermissionDenied("Seule l'administration nationale exporte les signatures.")
    record_event(
        by=by,
        action="petitions.export",
        summary=f"Export des signatures : {petition}",
        target=petition,
    )
    yield EXPORT_HEADER
    rows = (
        Signature.objects.filter(petition=petition)
        .confirmed()
        .order_by("id")
        .values_list(
            "first_name",
            "last_name",
            "email",
            "commune__name",
            "commune__code",
            "departement__code",
            "created_at",
            "confirmed_at",
        )
    )
    for row in rows.iterator(chunk_size=5_000):
        *text, created, confirmed = row
        yield [
            *text,
            timezone.localtime(created).strftime("%d/%m/%Y %H:%M"),
            timezone.localtime(confirmed).strftime("%d/%m/%Y %H:%M"),
        ]


def management_figures(petition: Petition, *, by) -> dict:
    """What the administration sees beyond the public counts (no personal data)."""
    if not can_manage_petition(by, petition):
        raise PermissionDenied
    return Signature.objects.filter(petition=petition).aggregate(
        total=Count("id"),
        unconfirmed=Count("id", filter=Q(confirmed_at=None)),
        pending_emails=Count("id", filter=Q(email_pending=True)),
    )
