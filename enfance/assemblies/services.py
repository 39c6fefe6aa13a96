"""Every write on instances: one function per thing a person does.

Each function takes the acting person as ``by=``, checks their permission, runs atomically, writes
the event log and sends its e-mails once the transaction commits. No child's name or date of birth
ever reaches the event log: members are referred to by their membership number.
"""

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from enfance.core.eventlog import record_event
from enfance.core.tasks import enqueue_email
from enfance.core.workflow import apply_transition

from . import perms
from .composition import composition
from .draw import draw
from .enums import (
    ApplicationStatus,
    EndReason,
    InstanceStatus,
    MemberRole,
    MinutesStatus,
    SelectionMethod,
    Stratification,
)
from .models import (
    AgendaItem,
    Application,
    Attendance,
    ChildProfile,
    College,
    CollegeSeat,
    Decision,
    Draw,
    Instance,
    Meeting,
    Membership,
    Minutes,
    Priority,
    age_on,
)
from .signals import bump_instance
from .workflows import APPLICATION_WORKFLOW, INSTANCE_WORKFLOW, MINUTES_WORKFLOW

# A mandate lasts two years unless the instance decides otherwise when seating a member.
DEFAULT_MANDATE_YEARS = 2
# Below this age, joining needs a parent's recorded consent (French law on digital consent).
PARENTAL_CONSENT_AGE = 15
# Attempts at taking a free seat when concurrent requests took the one chosen.
SEAT_ATTEMPTS = 5


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def default_mandate_end(start: date) -> date:
    try:
        end = start.replace(year=start.year + DEFAULT_MANDATE_YEARS)
    except ValueError:
        end = date(start.year + DEFAULT_MANDATE_YEARS, 3, 1)
    return end - timedelta(days=1)


# Instances ------------------------------------------------------------------------------------


def _unique_slug(name: str) -> str:
    base = slugify(name)[:150] or "instance"
    slug, n = base, 2
    while Instance.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_instance(
    *, by, name, departement, communes=(), description="", quorum_percent=None
) -> Instance:
    """Create an instance (by the administrateur national, or at the end of a forum)."""
    name = name.strip()
    draft = Instance(name=name, departement=departement)
    _require(
        perms.can_create_instance(by, draft),
        "Seul l'administrateur national peut créer une instance locale sur ce territoire.",
    )
    if not name:
        raise ValidationError({"name": "Donnez un nom à l'instance."})
    communes = list(communes)
    outside = [c.name for c in communes if c.departement_id != departement.pk]
    if outside:
        raise ValidationError(
            {"communes": f"Ces communes ne sont pas dans le département : {', '.join(outside)}."}
        )
    with transaction.atomic():
        instance = Instance.objects.create(
            name=name,
            slug=_unique_slug(name),
            departement=departement,
            description=description,
            quorum_percent=quorum_percent,
            created_by=by,
        )
        instance.communes.set(communes)
        record_event(
            by=by,
            action="assemblies.instance_created",
            summary=f"Instance créée : {instance.name}",
            target=instance,
            data={"departement": departement.code, "communes": [c.code for c in communes]},
            public=True,
        )
    return instance


def change_instance_status(instance: Instance, transition: str, *, by) -> Instance:
    """A decision on the instance's status (activate, suspend, resume, dissolve)."""
    from .workflows import AUTOMATIC

    if transition in AUTOMATIC:
        raise ValidationError("Ce changement d'état suit la composition : il est automatique.")
    return apply_transition(instance, INSTANCE_WORKFLOW, transition, by=by)


def refresh_constitution(instance: Instance, *, by) -> Instance:
    """Move the instance between *en création* and *constituée* as its composition says.

    Called after every change of membership; the transition is in the event log.
    """
    instance.refresh_from_db(fields=["status"])
    complete = composition(instance).is_constituted
    if instance.status == InstanceStatus.EN_CREATION and complete:
        return apply_transition(instance, INSTANCE_WORKFLOW, "constituer", by=by)
    if instance.status == InstanceStatus.CONSTITUEE and not complete:
        return apply_transition(instance, INSTANCE_WORKFLOW, "reprendre_la_constitution", by=by)
    return instance


# Membership -----------------------------------------------------------------------------------


def _check_child(user, college: College, start: date, end: date) -> date:
    """The age rule of the children's college; returns the mandate end, cut to the day before
    the child is too old (the rule: the child leaves the college on turning 18)."""
    profile = ChildProfile.objects.filter(user=user).first()
    if profile is None:
        raise ValidationError(
            f"La date de naissance est nécessaire pour siéger au collège {college.of_label}."
        )
    age = profile.age_on(start)
    if age < college.min_age or age > college.max_age:
        raise ValidationError(
            f"Le collège {college.of_label} accueille des membres de {college.min_age} à "
            f"{college.max_age} ans : cette personne aurait {age} ans au début du mandat."
        )
    if age < PARENTAL_CONSENT_AGE and not profile.has_parental_consent:
        raise ValidationError(
            f"Un mineur de moins de {PARENTAL_CONSENT_AGE} ans ne rejoint l'instance qu'avec le "
            "consentement d'un parent : enregistrez-le d'abord."
        )
    too_old_on = profile.birthday(college.max_age + 1)
    return min(end, too_old_on - timedelta(days=1))


def _free_seat(instance: Instance, college: College) -> CollegeSeat | None:
    taken = Membership.objects.seated().filter(instance=instance, seat__college=college)
    return (
        CollegeSeat.objects.filter(college=college)
        .exclude(pk__in=taken.values("seat_id"))
        .order_by("number")
        .first()
    )


def add_member(
    *,
    by,
    instance: Instance,
    user,
    college: College,
    mandate_start: date,
    mandate_end: date | None = None,
    selection_method: str,
    role: str = MemberRole.MEMBRE,
    expert_field: str = "",
    application: Application | None = None,
) -> Membership:
    """Seat a person in a college of the instance.

    Refused with a French message when the college is full (the database refuses it too: a
    college has as many seats as its maximum, and a seat holds one current member), when the
    person already sits in this instance, or when a child does not meet the age rule.
    """
    _require(
        perms.can_manage_instance(by, instance),
        "Seuls le secrétariat de l'instance et l'administrateur national gèrent sa composition.",
    )
    mandate_end = mandate_end or default_mandate_end(mandate_start)
    if mandate_end < mandate_start:
        raise ValidationError("La fin du mandat doit suivre son début.")
    if instance.status == InstanceStatus.DISSOUTE:
        raise ValidationError("Cette instance est dissoute : elle n'accueille plus de membres.")
    if college.asks_expert_field and not expert_field:
        raise ValidationError(
            f"Indiquez le domaine d'expertise pour le collège {college.of_label}."
        )
    if college.is_age_limited:
        mandate_end = _check_child(user, college, mandate_start, mandate_end)
    with transaction.atomic():
        # One change of composition at a time per instance (PostgreSQL row lock; SQLite
        # serialises writers anyway). The unique index on seats holds even without it.
        Instance.objects.select_for_update().filter(pk=instance.pk).first()
        current = (
            Membership.objects.seated()
            .filter(instance=instance, user=user)
            .select_related("seat__college")
            .first()
        )
        if current is not None:
            raise ValidationError(
                f"Cette personne siège déjà au collège {current.college.of_label} de cette "
                "instance : une personne siège dans un seul collège à la fois."
            )
        membership = None
        for _attempt in range(SEAT_ATTEMPTS):
            seat = _free_seat(instance, college)
            if seat is None:
                break
            try:
                with transaction.atomic():
                    membership = Membership.objects.create(
                        instance=instance,
                        user=user,
                        seat=seat,
                        mandate_start=mandate_start,
                        mandate_end=mandate_end,
                        selection_method=selection_method,
                        role=role,
                        expert_field=expert_field if college.asks_expert_field else "",
                        application=application,
                    )
                break
            except IntegrityError:
                if Membership.objects.seated().filter(instance=instance, user=user).exists():
                    raise ValidationError(
                        "Cette personne siège déjà dans cette instance."
                    ) from None
        if membership is None:
            raise ValidationError(
                f"Le collège {college.of_label} compte déjà {college.max_members} membres, "
                "son maximum : il n'y a plus de siège libre."
            )
        record_event(
            by=by,
            action="assemblies.member_added",
            summary=f"Membre installé au collège {college.of_label} : mandat n° {membership.pk}",
            target=instance,
            data={
                "membership": membership.pk,
                "college": college.code,
                "seat": seat.number,
                "selection_method": selection_method,
                "role": role,
            },
            public=True,
        )
        refresh_constitution(instance, by=by)
    user.__dict__.pop("_instance_roles", None)
    return membership


def end_membership(membership: Membership, *, by, ended_on: date, reason: str) -> Membership:
    instance = membership.instance
    _require(
        perms.can_manage_instance(by, instance),
        "Seuls le secrétariat de l'instance et l'administrateur national gèrent sa composition.",
    )
    return _end_membership(membership, by=by, ended_on=ended_on, reason=reason)


def _end_membership(membership, *, by, ended_on, reason) -> Membership:
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if locked.ended_on is not None:
            raise ValidationError("Ce mandat est déjà terminé.")
        if ended_on < locked.mandate_start:
            raise ValidationError("Un mandat ne peut finir avant d'avoir commencé.")
        locked.ended_on = ended_on
        locked.end_reason = reason
        locked.save(update_fields=["ended_on", "end_reason"])
        record_event(
            by=by,
            action="assemblies.member_left",
            summary=f"Fin du mandat n° {locked.pk} ({EndReason(reason).label.lower()})",
            target=locked.instance,
            data={"membership": locked.pk, "reason": reason, "ended_on": ended_on},
            public=True,
        )
        refresh_constitution(locked.instance, by=by)
    return locked


def change_member_role(membership: Membership, *, by, role: str) -> Membership:
    _require(
        perms.can_manage_instance(by, membership.instance),
        "Seuls le secrétariat de l'instance et l'administrateur national attribuent les rôles.",
    )
    with transaction.atomic():
        membership.role = role
        membership.save(update_fields=["role"])
        record_event(
            by=by,
            action="assemblies.member_role_changed",
            summary=f"Rôle du mandat n° {membership.pk} : {MemberRole(role).label}",
            target=membership.instance,
            data={"membership": membership.pk, "role": role},
            public=True,
        )
    return membership


def record_parental_consent(
    *, by, instance: Instance, child, parent_name: str, given_on: date, method: str
) -> ChildProfile:
    """Record who consented for a child under 15, when and how (the secretary records it)."""
    _require(
        perms.can_manage_instance(by, instance),
        "Seul le secrétariat de l'instance enregistre le consentement d'un parent.",
    )
    profile = ChildProfile.objects.filter(user=child).first()
    if profile is None:
        raise ValidationError("Aucune date de naissance n'est enregistrée pour cet enfant.")
    if given_on > timezone.localdate():
        raise ValidationError("La date du consentement ne peut pas être dans le futur.")
    with transaction.atomic():
        profile.consent_parent_name = parent_name.strip()
        profile.consent_given_on = given_on
        profile.consent_method = method
        profile.consent_recorded_by = by
        profile.save(
            update_fields=[
                "consent_parent_name",
                "consent_given_on",
                "consent_method",
                "consent_recorded_by",
            ]
        )
        record_event(
            by=by,
            action="assemblies.parental_consent_recorded",
            summary=f"Consentement parental enregistré (profil d'enfant n° {profile.pk})",
            target=instance,
            data={"child_profile": profile.pk, "method": method},
        )
    return profile


def end_adult_child_mandates(*, today: date | None = None) -> list[Membership]:
    """End the mandate of every child member who has turned 18, and tell the secretary.

    Run every day (task ``end_adult_child_mandates_task``, command of the same name). The mandate
    ends on the 18th birthday: the first day the person is no longer a child.
    """
    today = today or timezone.localdate()
    ended = []
    candidates = (
        Membership.objects.seated()
        .filter(seat__college__max_age__isnull=False)
        .select_related("seat__college", "instance", "user__child_profile")
    )
    for membership in candidates:
        college = membership.seat.college
        profile = getattr(membership.user, "child_profile", None)
        if profile is None:
            continue
        too_old_on = profile.birthday(college.max_age + 1)
        if too_old_on > today:
            continue
        ended_on = max(too_old_on, membership.mandate_start)
        # The saved copy carries the end date the e-mail gives.
        ended_membership = _end_membership(
            membership, by=None, ended_on=ended_on, reason=EndReason.MAJORITE
        )
        ended.append(ended_membership)
        _tell_secretaries(ended_membership)
    return ended


def end_expired_mandates(*, today: date | None = None) -> list[Membership]:
    """Free the seats of mandates whose term has passed (run every day with the children's job).

    Until this runs a past mandate no longer counts in the composition but still holds its seat:
    the college would look open while no one could be seated in it.
    """
    today = today or timezone.localdate()
    expired = Membership.objects.seated().filter(mandate_end__lt=today).select_related("instance")
    return [
        _end_membership(
            membership,
            by=None,
            ended_on=membership.mandate_end + timedelta(days=1),
            reason=EndReason.TERME,
        )
        for membership in expired
    ]


def _tell_secretaries(membership: Membership) -> None:
    instance = membership.instance
    secretaries = (
        Membership.objects.current()
        .filter(instance=instance, role=MemberRole.SECRETAIRE)
        .select_related("user")
    )
    context = {
        "instance": instance,
        "membership": membership,
        "instance_url": f"{getattr(settings, 'SITE_URL', '')}{instance.get_absolute_url()}",
    }
    body = render_to_string("assemblies/emails/child_came_of_age.txt", context)
    for secretary in secretaries:
        enqueue_email(
            EmailMessage(
                f"Un membre du collège des enfants quitte l'instance {instance.name}",
                body,
                to=[secretary.user.email],
            )
        )


# Applications ---------------------------------------------------------------------------------


def apply(
    *,
    by,
    instance: Instance,
    college: College,
    motivation: str,
    gender: str = "",
    age_band: str = "",
    expert_field: str = "",
    birth_date: date | None = None,
) -> Application:
    """A registered citizen applies to sit in a college of an instance."""
    _require(
        perms.can_apply_to_instance(by, instance),
        "Cette instance n'accueille pas de candidatures pour le moment.",
    )
    motivation = motivation.strip()
    if not motivation:
        raise ValidationError({"motivation": "Expliquez en quelques lignes votre motivation."})
    if Membership.objects.seated().filter(instance=instance, user=by).exists():
        raise ValidationError("Vous siégez déjà dans cette instance.")
    if Application.objects.open().filter(instance=instance, applicant=by).exists():
        raise ValidationError("Vous avez déjà une candidature en cours dans cette instance.")
    if college.asks_expert_field and not expert_field:
        raise ValidationError({"expert_field": "Indiquez votre domaine d'expertise."})
    if college.is_age_limited:
        if birth_date is None:
            raise ValidationError(
                {"birth_date": "Indiquez ta date de naissance (elle ne sera jamais affichée)."}
            )
        age = age_on(birth_date, timezone.localdate())
        if not college.min_age <= age <= college.max_age:
            raise ValidationError(
                {
                    "birth_date": f"Le collège {college.of_label} accueille des membres de "
                    f"{college.min_age} à {college.max_age} ans."
                }
            )
    with transaction.atomic():
        if college.is_age_limited:
            # The date of birth, once recorded, is not rewritten by a later application: the
            # age rule and the consent already given rest on it.
            profile, _ = ChildProfile.objects.get_or_create(
                user=by, defaults={"birth_date": birth_date}
            )
            if profile.birth_date != birth_date:
                raise ValidationError(
                    {
                        "birth_date": "Cette date de naissance ne correspond pas à celle déjà "
                        "enregistrée. Pour la corriger, adressez-vous au secrétariat de "
                        "votre instance."
                    }
                )
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    instance=instance,
                    college=college,
                    applicant=by,
                    public_code=secrets.token_hex(4).upper(),
                    motivation=motivation,
                    commune=by.commune,
                    gender=gender,
                    age_band=age_band,
                    expert_field=expert_field if college.asks_expert_field else "",
                )
        except IntegrityError:
            raise ValidationError(
                "Vous avez déjà une candidature en cours dans cette instance."
            ) from None
        record_event(
            by=by,
            action="assemblies.application_submitted",
            summary=f"Candidature {application.public_code} au collège {college.of_label}",
            target=instance,
            data={"application": application.pk, "college": college.code},
        )
    return application


def shortlist(application: Application, *, by) -> Application:
    return apply_transition(application, APPLICATION_WORKFLOW, "retenir", by=by)


def reject(application: Application, *, by) -> Application:
    return apply_transition(application, APPLICATION_WORKFLOW, "ecarter", by=by)


def _strata_of(applications, stratification: str) -> dict[str, str]:
    if not stratification:
        return {}
    labels = {}
    for application in applications:
        if stratification == Stratification.COMMUNE:
            value = application.commune.name if application.commune else ""
        elif stratification == Stratification.AGE_BAND:
            value = application.get_age_band_display() if application.age_band else ""
        else:
            value = application.get_gender_display() if application.gender else ""
        labels[application.public_code] = value or "Non renseigné"
    return labels


def run_draw(
    *, by, instance: Instance, college: College, seats: int, seed: str = "", stratification=""
) -> Draw:
    """Draw lots among the shortlisted applications of a college; publish seed, list and result.

    The drawn applications become *tirées au sort*; the secretary then seats each one
    (``seat_application``) with its mandate dates.
    """
    _require(
        perms.can_manage_instance(by, instance),
        "Seul le secrétariat de l'instance procède aux tirages au sort.",
    )
    seed = seed.strip() or secrets.token_hex(8)
    with transaction.atomic():
        Instance.objects.select_for_update().filter(pk=instance.pk).first()
        shortlisted = list(
            Application.objects.filter(
                instance=instance, college=college, status=ApplicationStatus.RETENUE
            )
            .select_related("commune")
            .order_by("public_code")
        )
        if not shortlisted:
            raise ValidationError(
                f"Aucune candidature retenue au collège {college.of_label} : retenez-en d'abord."
            )
        seated = Membership.objects.seated().filter(instance=instance, seat__college=college)
        free = college.max_members - seated.count()
        if seats < 1 or seats > free:
            raise ValidationError(
                {"seats": f"Le collège {college.of_label} a {max(free, 0)} siège(s) libre(s)."}
            )
        codes = [a.public_code for a in shortlisted]
        strata = _strata_of(shortlisted, stratification)
        result = draw(codes, seats, seed, strata or None)
        record = Draw.objects.create(
            instance=instance,
            college=college,
            seats=seats,
            seed=seed,
            stratification=stratification,
            candidates=codes,
            strata=strata,
            result=result,
            drawn_by=by,
        )
        by_code = {a.public_code: a for a in shortlisted}
        for code in result:
            apply_transition(
                by_code[code],
                APPLICATION_WORKFLOW,
                "tirer_au_sort",
                by=by,
                data={"draw": record.pk},
            )
        record_event(
            by=by,
            action="assemblies.draw",
            summary=f"Tirage au sort au collège {college.of_label} : {len(result)} siège(s)",
            target=record,
            data={"seed": seed, "candidates": codes, "result": result, "strata": strata},
            public=True,
        )
    return record


_SELECTION_BY_STATUS = {
    ApplicationStatus.TIREE_AU_SORT: SelectionMethod.TIRE_AU_SORT,
    ApplicationStatus.ELUE: SelectionMethod.ELU_ATELIER,
    ApplicationStatus.COOPTEE: SelectionMethod.COOPTE,
}


def seat_application(
    application: Application,
    *,
    by,
    mandate_start: date | None = None,
    mandate_end: date | None = None,
    role: str = MemberRole.MEMBRE,
) -> Membership:
    """Turn a drawn, elected or co-opted application into a membership."""
    application.refresh_from_db(fields=["status"])
    if application.status not in _SELECTION_BY_STATUS:
        raise ValidationError(
            "Seule une candidature tirée au sort, élue ou cooptée peut devenir un mandat."
        )
    mandate_start = mandate_start or timezone.localdate()
    with transaction.atomic():
        membership = add_member(
            by=by,
            instance=application.instance,
            user=application.applicant,
            college=application.college,
            mandate_start=mandate_start,
            mandate_end=mandate_end,
            selection_method=_SELECTION_BY_STATUS[application.status],
            role=role,
            expert_field=application.expert_field,
            application=application,
        )
        apply_transition(application, APPLICATION_WORKFLOW, "installer", by=by)
    return membership


def seat_elected(application: Application, *, by, ballot, mandate_start=None, mandate_end=None):
    """An application elected at an atelier (``ballot``, held by the events module) becomes a
    membership: the application is marked *élue*, then seated."""
    with transaction.atomic():
        application = apply_transition(
            application, APPLICATION_WORKFLOW, "elire", by=by, data={"ballot": ballot.pk}
        )
        return seat_application(
            application, by=by, mandate_start=mandate_start, mandate_end=mandate_end
        )


# Meetings -------------------------------------------------------------------------------------


def _require_manager(by, instance, action: str) -> None:
    _require(
        perms.can_manage_instance(by, instance),
        f"Seuls le secrétariat de l'instance et l'administrateur national peuvent {action}.",
    )


def schedule_meeting(
    *, by, instance: Instance, title, starts_at, place="", online_link="", agenda=()
) -> Meeting:
    _require_manager(by, instance, "convoquer une réunion")
    if not place.strip() and not online_link.strip():
        raise ValidationError("Indiquez un lieu ou un lien de réunion en ligne.")
    items = [item.strip() for item in agenda if item.strip()]
    with transaction.atomic():
        meeting = Meeting.objects.create(
            instance=instance,
            title=title.strip(),
            starts_at=starts_at,
            place=place.strip(),
            online_link=online_link.strip(),
        )
        AgendaItem.objects.bulk_create(
            AgendaItem(meeting=meeting, position=n, title=item) for n, item in enumerate(items, 1)
        )
        record_event(
            by=by,
            action="assemblies.meeting_scheduled",
            summary=f"Réunion prévue : {meeting.title}",
            target=meeting,
            data={"instance": instance.pk, "starts_at": starts_at},
            public=True,
        )
    return meeting


def convene_meeting(meeting: Meeting, *, by) -> int:
    """E-mail the convocation to every current member; returns how many were sent."""
    instance = meeting.instance
    _require_manager(by, instance, "convoquer une réunion")
    members = list(Membership.objects.current().filter(instance=instance).select_related("user"))
    agenda = list(meeting.agenda_items.all())
    with transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(convened_at=timezone.now())
        for membership in members:
            body = render_to_string(
                "assemblies/emails/convocation.txt",
                {"meeting": meeting, "instance": instance, "agenda": agenda, "member": membership},
            )
            enqueue_email(
                EmailMessage(
                    f"Convocation : {meeting.title} — {instance.name}",
                    body,
                    to=[membership.user.email],
                )
            )
        record_event(
            by=by,
            action="assemblies.meeting_convened",
            summary=f"Convocation envoyée à {len(members)} membre(s) : {meeting.title}",
            target=meeting,
            data={"recipients": len(members)},
        )
    return len(members)


def members_for_meeting(meeting: Meeting):
    """The members on the day of the meeting: who is convened and counted for the quorum."""
    return (
        Membership.objects.filter(instance_id=meeting.instance_id)
        .active_on(timezone.localdate(meeting.starts_at))
        .for_display()
    )


def record_attendance(meeting: Meeting, *, by, present: set[int]) -> tuple[int, int]:
    """Record who was present (membership ids); returns (present, members)."""
    _require_manager(by, meeting.instance, "noter les présences")
    members = list(members_for_meeting(meeting))
    unknown = set(present) - {m.pk for m in members}
    if unknown:
        raise ValidationError("Seuls les membres de l'instance peuvent être notés présents.")
    with transaction.atomic():
        Attendance.objects.filter(meeting=meeting).delete()
        Attendance.objects.bulk_create(
            Attendance(meeting=meeting, membership=m, present=m.pk in present) for m in members
        )
        record_event(
            by=by,
            action="assemblies.attendance_recorded",
            summary=f"Présences notées : {len(present)} sur {len(members)} — {meeting.title}",
            target=meeting,
            data={"present": len(present), "members": len(members)},
            public=True,
        )
    return len(present), len(members)


def record_decision(meeting: Meeting, *, by, text: str, ballot=None) -> Decision:
    _require_manager(by, meeting.instance, "inscrire une décision")
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Écrivez la décision prise."})
    with transaction.atomic():
        decision = Decision.objects.create(meeting=meeting, text=text, ballot=ballot)
        record_event(
            by=by,
            action="assemblies.decision_recorded",
            summary=f"Décision : {text[:200]}",
            target=meeting,
            data={"decision": decision.pk, "ballot": ballot.pk if ballot else None},
            public=True,
        )
    return decision


def save_minutes(meeting: Meeting, *, by, text: str) -> Minutes:
    """Write or rewrite the draft minutes of a meeting (a published one no longer changes)."""
    _require_manager(by, meeting.instance, "rédiger le compte rendu")
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Le compte rendu est vide."})
    with transaction.atomic():
        minutes, created = Minutes.objects.select_for_update().get_or_create(
            meeting=meeting, defaults={"text": text}
        )
        if not created:
            if minutes.status == MinutesStatus.PUBLIE:
                raise ValidationError("Ce compte rendu est publié : il ne se modifie plus.")
            minutes.text = text
            minutes.save(update_fields=["text", "updated_at"])
        record_event(
            by=by,
            action="assemblies.minutes_saved",
            summary=f"Compte rendu enregistré : {meeting.title}",
            target=meeting,
            data={"minutes": minutes.pk},
        )
    return minutes


def publish_minutes(minutes: Minutes, *, by) -> Minutes:
    return apply_transition(
        minutes, MINUTES_WORKFLOW, "publier", by=by, also_update={"published_at": timezone.now()}
    )


# Local priorities -----------------------------------------------------------------------------


def add_priority(*, by, instance: Instance, title: str, description: str = "") -> Priority:
    _require_manager(by, instance, "ajouter une priorité")
    title = title.strip()
    if not title:
        raise ValidationError({"title": "Donnez un intitulé à ce besoin."})
    if Priority.objects.filter(instance=instance, title__iexact=title).exists():
        raise ValidationError({"title": "Ce besoin figure déjà dans le diagnostic."})
    with transaction.atomic():
        priority = Priority.objects.create(
            instance=instance, title=title, description=description.strip()
        )
        record_event(
            by=by,
            action="assemblies.priority_added",
            summary=f"Besoin ajouté au diagnostic local : {title}",
            target=instance,
            data={"priority": priority.pk},
            public=True,
        )
    return priority


# Votes of the instance (through the votes engine) ---------------------------------------------


def open_cooptation(application: Application, *, by, opens_at, closes_at):
    """Ask the members to co-opt a shortlisted applicant: a secret majority ballot."""
    from enfance.votes import services as votes
    from enfance.votes.enums import Method

    instance = application.instance
    _require_manager(by, instance, "proposer une cooptation")
    application.refresh_from_db(fields=["status", "cooptation_ballot"])
    if application.status != ApplicationStatus.RETENUE:
        raise ValidationError("Seule une candidature retenue peut être proposée à la cooptation.")
    if application.cooptation_ballot_id is not None:
        raise ValidationError("Un vote de cooptation existe déjà pour cette candidature.")
    college = application.college
    name = application.public_name
    with transaction.atomic():
        ballot = votes.create_ballot(
            by=by,
            context=instance,
            title=f"Cooptation de {name} au collège {college.of_label}",
            method=Method.MAJORITY,
            secret=True,
            opens_at=opens_at,
            closes_at=closes_at,
            description=f"Candidature {application.public_code}.",
        )
        votes.open_ballot(ballot, by=by, electors=instance.ballot_electorate())
        application.cooptation_ballot = ballot
        application.save(update_fields=["cooptation_ballot"])
    return ballot


def conclude_cooptation(application: Application, *, by) -> Application:
    """Close the co-optation ballot; adopted, the application is *cooptée* (then seated with
    ``seat_application``); rejected, it is *non retenue*."""
    from enfance.votes import services as votes
    from enfance.votes.enums import BallotState

    application.refresh_from_db(fields=["status", "cooptation_ballot"])
    if application.cooptation_ballot_id is None:
        raise ValidationError("Aucun vote de cooptation n'est ouvert pour cette candidature.")
    ballot = application.cooptation_ballot
    with transaction.atomic():
        if ballot.state == BallotState.OPEN:
            result = votes.close_ballot(ballot, by=by)
        else:
            result = votes.tally(ballot)
        name = "coopter" if result.data.get("adopted") else "ecarter"
        return apply_transition(
            application, APPLICATION_WORKFLOW, name, by=by, data={"ballot": ballot.pk}
        )


def open_priority_ranking(*, by, instance: Instance, opens_at, closes_at):
    """The members rank the needs of the diagnostic by majority judgment (one ballot)."""
    from enfance.votes import services as votes
    from enfance.votes.enums import BallotState, Method

    from .models import PriorityRanking

    _require_manager(by, instance, "ouvrir le classement des priorités")
    priorities = list(Priority.objects.filter(instance=instance).order_by("created_at", "pk"))
    if len(priorities) < 2:
        raise ValidationError("Il faut au moins deux besoins pour les classer.")
    if PriorityRanking.objects.filter(
        instance=instance, ballot__state__in=[BallotState.DRAFT, BallotState.OPEN]
    ).exists():
        raise ValidationError("Un classement des priorités est déjà en cours.")
    with transaction.atomic():
        ballot = votes.create_ballot(
            by=by,
            context=instance,
            title=f"Classement des priorités du territoire — {instance.name}",
            method=Method.MAJORITY_JUDGMENT,
            secret=True,
            opens_at=opens_at,
            closes_at=closes_at,
            options=[p.title for p in priorities],
            description="Donnez une mention à chaque besoin du territoire.",
        )
        options = list(ballot.options.order_by("position"))
        ranking = PriorityRanking.objects.create(
            instance=instance,
            ballot=ballot,
            options={str(o.pk): p.pk for o, p in zip(options, priorities, strict=True)},
        )
        votes.open_ballot(ballot, by=by, electors=instance.ballot_electorate())
    return ranking


def close_priority_ranking(ranking, *, by):
    """Close the ballot and write the ranking on the priorities (ties share a rank)."""
    from enfance.votes import services as votes
    from enfance.votes.enums import Grade

    _require_manager(by, ranking.instance, "clore le classement des priorités")
    with transaction.atomic():
        result = votes.close_ballot(ranking.ballot, by=by)
        grades = {o["id"]: o["majority_grade"] for o in result.data["options"]}
        ranks, position = {}, 1
        for group in result.ranking:
            for option_id in group:
                ranks[ranking.options[str(option_id)]] = (position, grades.get(option_id))
            position += len(group)
        priorities = list(Priority.objects.filter(instance=ranking.instance))
        for priority in priorities:
            rank, grade = ranks.get(priority.pk, (None, None))
            priority.rank = rank
            priority.median_grade = Grade(grade).label if grade is not None else ""
        Priority.objects.bulk_update(priorities, ["rank", "median_grade"])
        bump_instance(ranking.instance_id)
        ranking.closed_at = timezone.now()
        ranking.save(update_fields=["closed_at"])
        record_event(
            by=by,
            action="assemblies.priorities_ranked",
            summary=f"Priorités classées au jugement majoritaire : {ranking.instance.name}",
            target=ranking.instance,
            data={"ballot": ranking.ballot_id, "ranking": result.ranking},
            public=True,
        )
    return ranking


# Elections at an atelier -------------------------------------------------------------------


def open_college_election(*, by, instance: Instance, college, event, opens_at, closes_at):
    """The people present at an atelier elect members of a college by majority judgment: the
    candidates are the shortlisted applications to that college, the electors the attendees the
    hosts marked present, the seats those free in the college today."""
    from enfance.events.enums import EventKind
    from enfance.votes import services as votes
    from enfance.votes.enums import Method

    from .models import CollegeElection

    _require_manager(by, instance, "organiser une élection")
    if event.kind != EventKind.ATELIER or event.departement_id != instance.departement_id:
        raise ValidationError(
            "L'élection se tient lors d'un atelier citoyen du département de l'instance."
        )
    applications = list(
        instance.applications.filter(college=college, status=ApplicationStatus.RETENUE)
        .select_related("applicant", "college")
        .order_by("created_at", "pk")
    )
    if not applications:
        raise ValidationError(
            f"Aucune candidature retenue au collège {college.of_label} : retenez d'abord "
            "les candidatures."
        )
    line = next(line for line in composition(instance).lines if line.college.code == college.code)
    if not line.free_seats:
        raise ValidationError(f"Le collège {college.of_label} n'a plus de siège libre.")
    electors = event.ballot_electorate()
    if not electors:
        raise ValidationError(
            "Personne n'est encore noté présent à cet atelier : les animateurs notent les "
            "présences avant le vote."
        )
    labels = [a.public_name for a in applications]
    if instance.elections.filter(college=college, concluded_at__isnull=True).exists():
        raise ValidationError(
            f"Une élection au collège {college.of_label} est déjà en cours : concluez-la d'abord."
        )
    with transaction.atomic():
        ballot = votes.create_ballot(
            by=by,
            context=event,
            title=f"Élection au collège {college.of_label} — {instance.name}",
            method=Method.MAJORITY_JUDGMENT,
            secret=True,
            opens_at=opens_at,
            closes_at=closes_at,
            candidates=[a.applicant for a in applications],
            options=labels,
            description=(
                f"{line.free_seats} siège{'s' if line.free_seats > 1 else ''} à pourvoir. "
                "Donnez une mention à chaque candidature."
            ),
        )
        options = list(ballot.options.order_by("position"))
        election = CollegeElection.objects.create(
            instance=instance,
            college=college,
            event=event,
            ballot=ballot,
            seats=line.free_seats,
            options={str(o.pk): a.pk for o, a in zip(options, applications, strict=True)},
        )
        votes.open_ballot(ballot, by=by, electors=electors)
        record_event(
            by=by,
            action="assemblies.election_opened",
            summary=f"Élection ouverte au collège {college.of_label} : {instance.name}",
            target=instance,
            data={"ballot": ballot.pk, "event": event.pk, "seats": line.free_seats},
            public=True,
        )
    return election


def conclude_college_election(election, *, by) -> list[Membership]:
    """Close the vote and seat the elected, best ranked first, up to the seats to fill.

    A candidate whose majority grade is "À rejeter" is not elected. When candidates tied for
    the last seats outnumber them, none of the tied is seated: the instance decides (a new vote
    or a draw), and the page says so.
    """
    from enfance.votes import services as votes
    from enfance.votes.enums import BallotState, Grade

    from .models import CollegeElection

    _require_manager(by, election.instance, "clore une élection")
    with transaction.atomic():
        # Locked: a double click concludes once, the second sees it concluded.
        election = (
            CollegeElection.objects.select_for_update(of=("self",))
            .select_related("ballot", "college", "instance")
            .get(pk=election.pk)
        )
        if election.concluded_at is not None:
            raise ValidationError("Cette élection est déjà conclue.")
        ballot = election.ballot
        result = (
            votes.close_ballot(ballot, by=by)
            if ballot.state == BallotState.OPEN
            else votes.tally(ballot)
        )
        grades = {o["id"]: o["majority_grade"] for o in result.data["options"]}
        elected_ids, tied = [], []
        for group in result.ranking:
            acceptable = [o for o in group if (grades.get(o) or Grade.A_REJETER) > Grade.A_REJETER]
            if len(elected_ids) + len(acceptable) <= election.seats:
                elected_ids += acceptable
            else:
                tied = acceptable
                break
        applications = {
            a.pk: a
            for a in Application.objects.filter(pk__in=election.options.values()).select_related(
                "applicant", "college", "instance"
            )
        }
        memberships = [
            seat_elected(applications[election.options[str(option_id)]], by=by, ballot=ballot)
            for option_id in elected_ids
        ]
        election.concluded_at = timezone.now()
        election.save(update_fields=["concluded_at"])
        record_event(
            by=by,
            action="assemblies.election_concluded",
            summary=(
                f"Élection conclue au collège {election.college.of_label} : "
                f"{len(memberships)} élu{'s' if len(memberships) > 1 else ''}"
                + (f", {len(tied)} à départager" if tied else "")
            ),
            target=election.instance,
            data={"ballot": ballot.pk, "elected": len(memberships), "tied": len(tied)},
            public=True,
        )
    return memberships


# Instances proposed at the end of a forum ----------------------------------------------------


def propose_instance(*, by, event, name: str, description: str = ""):
    """The hosts of a forum ouvert propose the instance it launches (seed 000, phase 1)."""
    from enfance.events.enums import EventKind, EventStatus
    from enfance.events.perms import is_host

    from .models import InstanceProposal

    _require(is_host(by, event), "Seuls les animateurs du forum peuvent proposer une instance.")
    if event.kind != EventKind.FORUM or event.status not in (
        EventStatus.PUBLISHED,
        EventStatus.FINISHED,
    ):
        raise ValidationError("Une instance se propose à l'issue d'un forum ouvert publié.")
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Donnez un nom à l'instance proposée."})
    with transaction.atomic():
        if InstanceProposal.objects.filter(event=event, status="proposee").exists():
            raise ValidationError("Une proposition d'instance de ce forum attend déjà une réponse.")
        proposal = InstanceProposal.objects.create(
            event=event,
            name=name,
            description=description,
            departement=event.departement,
            proposed_by=by,
        )
        record_event(
            by=by,
            action="assemblies.instance_proposed",
            summary=f"Instance proposée à l'issue du forum « {event.title} » : {name}",
            target=proposal,
            data={"event": event.pk, "departement": event.departement.code},
            public=True,
        )
    return proposal


def accept_instance_proposal(proposal, *, by) -> Instance:
    """The administrateur national creates the proposed instance."""
    from .workflows import INSTANCE_PROPOSAL_WORKFLOW

    with transaction.atomic():
        instance = create_instance(
            by=by,
            name=proposal.name,
            departement=proposal.departement,
            description=proposal.description,
        )
        apply_transition(
            proposal,
            INSTANCE_PROPOSAL_WORKFLOW,
            "accepter",
            by=by,
            also_update={"instance": instance},
            data={"instance": instance.pk},
        )
    _tell_proposer(
        proposal,
        f"L'instance « {instance.name} » est créée",
        f"Bonne nouvelle : l'instance locale « {instance.name} » que vous avez proposée à "
        f"l'issue de votre forum est créée. Sa page : {_absolute(instance.get_absolute_url())}",
    )
    return instance


def refuse_instance_proposal(proposal, *, by, reason: str):
    from .workflows import INSTANCE_PROPOSAL_WORKFLOW

    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": "Expliquez à l'animateur pourquoi la proposition est refusée."}
        )
    proposal = apply_transition(
        proposal,
        INSTANCE_PROPOSAL_WORKFLOW,
        "refuser",
        by=by,
        also_update={"refusal_reason": reason},
    )
    _tell_proposer(
        proposal,
        f"Votre proposition d'instance « {proposal.name} »",
        f"Votre proposition d'instance « {proposal.name} » n'a pas été retenue. Motif : {reason}",
    )
    return proposal


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _tell_proposer(proposal, subject: str, body: str) -> None:
    if proposal.proposed_by is None:
        return
    enqueue_email(
        EmailMessage(
            subject=f"[Protection de l'enfance] {subject}",
            body=f"Bonjour,\n\n{body}\n\nL'équipe de la plateforme",
            to=[proposal.proposed_by.email],
        )
    )
