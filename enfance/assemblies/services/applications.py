"""Applications to sit in a college, and the three ways they become mandates: a published draw,
an election at an atelier (``elections``) and a co-optation vote of the members."""

import secrets
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from enfance.core.access import permit
from enfance.core.dates import BIRTH, age_on
from enfance.core.eventlog import record_event
from enfance.core.text import bounded_text, model_limit
from enfance.core.workflow import apply_transition
from enfance.votes import services as votes
from enfance.votes.enums import BallotState, Method

from .. import perms
from ..draw import draw
from ..enums import ApplicationStatus, MemberRole, SelectionMethod, Stratification
from ..models import Application, ChildProfile, College, Draw, Instance, Membership
from ..workflows import APPLICATION_WORKFLOW, refusal_to_apply, refusal_to_open_cooptation
from .common import require_manager
from .memberships import add_member


def apply(
    instance: Instance,
    *,
    by,
    college: College,
    motivation: str,
    gender: str = "",
    age_band: str = "",
    expert_field: str = "",
    birth_date: date | None = None,
) -> Application:
    """A registered citizen applies to sit in a college of an instance."""
    permit(
        perms.can_apply_to_instance(by, instance),
        "Cette instance n'accueille pas de candidatures pour le moment.",
    )
    motivation = bounded_text(
        motivation,
        limit=model_limit(Application, "motivation"),
        field="motivation",
        required="Expliquez en quelques lignes votre motivation.",
    )
    if reason := refusal_to_apply(by, instance):
        raise ValidationError(reason)
    if college.asks_expert_field and not expert_field:
        raise ValidationError({"expert_field": "Indiquez votre domaine d'expertise."})
    if college.is_age_limited:
        if birth_date is None:
            raise ValidationError(
                {"birth_date": "Indiquez ta date de naissance (elle ne sera jamais affichée)."}
            )
        BIRTH.check(birth_date, field="birth_date")
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
    instance: Instance, *, by, college: College, seats: int, seed: str = "", stratification=""
) -> Draw:
    """Draw lots among the shortlisted applications of a college; publish seed, list and result.

    The drawn applications become *tirées au sort*; the secretary then seats each one
    (``seat_application``) with its mandate dates.
    """
    permit(
        perms.can_manage_instance(by, instance),
        "Seul le secrétariat de l'instance procède aux tirages au sort.",
    )
    seed = bounded_text(seed, limit=model_limit(Draw, "seed"), field="seed") or secrets.token_hex(8)
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
    selection_method = _SELECTION_BY_STATUS[application.status]
    with transaction.atomic():
        # The transition first: its guard (a free seat in the college) reads the composition
        # before this membership takes the seat.
        apply_transition(application, APPLICATION_WORKFLOW, "installer", by=by)
        return add_member(
            application.instance,
            by=by,
            user=application.applicant,
            college=application.college,
            mandate_start=mandate_start or timezone.localdate(),
            mandate_end=mandate_end,
            selection_method=selection_method,
            role=role,
            expert_field=application.expert_field,
            application=application,
        )


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


def open_cooptation(application: Application, *, by, opens_at, closes_at):
    """Ask the members to co-opt a shortlisted applicant: a secret majority ballot."""
    instance = application.instance
    require_manager(by, instance, "proposer une cooptation")
    application.refresh_from_db(fields=["status", "cooptation_ballot"])
    if reason := refusal_to_open_cooptation(application):
        raise ValidationError(reason)
    college = application.college
    name = application.public_name
    with transaction.atomic():
        ballot = votes.create_ballot(
            instance,
            by=by,
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
