"""The SCIC of a territory: registered by the instance locale that supervises it, their associates
entered and gone, their colleges set together. Every rule of the law on SCIC that holds for the
associates as a whole is said here, in French, with what is missing (loi n° 47-1775 du
10 septembre 1947, art. 19 quinquies to 19 octies)."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from enfance.assemblies.perms import can_manage_instance
from enfance.core import notifications, uploads
from enfance.core.access import permit
from enfance.core.dates import PLANNED, written_date
from enfance.core.eventlog import record_event
from enfance.core.text import bounded_text, model_limit
from enfance.votes import services as votes
from enfance.votes.enums import Method

from .enums import AssociateCategory, Mission
from .finess import validate_siren
from .models import (
    AGENDA_MAX,
    COLLEGE_MAX_WEIGHT,
    COLLEGE_MIN_WEIGHT,
    COLLEGES_MIN,
    REGISTERED_DAY,
    Associate,
    College,
    Cooperative,
    CooperativeMission,
    GeneralAssembly,
)

CATEGORIES_MIN = 3
# Public bodies hold at most half of a SCIC's capital (art. 19 septies).
PUBLIC_CAPITAL_MAX = 0.5
REQUIRED_CATEGORIES = (AssociateCategory.EMPLOYEES, AssociateCategory.BENEFICIARIES)
NOT_SUPERVISOR = (
    "Seuls le secrétariat de l'instance qui supervise la SCIC et l'administrateur national "
    "tiennent son registre."
)


def composition_problems(cooperative: Cooperative, on: date | None = None) -> list[str]:
    """What the associates of the day ``on`` lack to satisfy the law, in French; none when the
    SCIC is in order."""
    current = list(cooperative.associates.current(on).values_list("category", "shares"))
    problems = []
    categories = {category for category, _shares in current}
    if len(categories) < CATEGORIES_MIN:
        problems.append(
            f"Une SCIC réunit au moins {CATEGORIES_MIN} catégories de sociétaires ; celle-ci en "
            f"compte {len(categories)}."
        )
    for required in REQUIRED_CATEGORIES:
        if required not in categories:
            problems.append(
                f"Il manque la catégorie « {AssociateCategory(required).label} » : la loi "
                "l'exige dans toute SCIC."
            )
    capital = sum(shares for _category, shares in current)
    public = sum(s for category, s in current if category == AssociateCategory.PUBLIC_BODIES)
    if capital and public > capital * PUBLIC_CAPITAL_MAX:
        problems.append(
            f"Les collectivités publiques détiennent {public * 100 / capital:.0f} % du capital : "
            "50 % au plus."
        )
    colleges = list(cooperative.colleges.values_list("weight", flat=True))
    if colleges:
        problems.extend(college_problems(colleges))
    return problems


def college_problems(weights: list[int]) -> list[str]:
    problems = []
    if len(weights) < COLLEGES_MIN:
        problems.append(f"Les statuts prévoient au moins {COLLEGES_MIN} collèges.")
    if any(not COLLEGE_MIN_WEIGHT <= w <= COLLEGE_MAX_WEIGHT for w in weights):
        problems.append(
            f"Chaque collège pèse de {COLLEGE_MIN_WEIGHT} à {COLLEGE_MAX_WEIGHT} % des voix."
        )
    if sum(weights) != 100:
        problems.append(f"Les parts des collèges totalisent {sum(weights)} % : il faut 100 %.")
    return problems


def register_cooperative(
    *, by, name: str, siren: str, registered_on: date, instance, missions
) -> Cooperative:
    """The supervising instance registers a SCIC of its département."""
    permit(can_manage_instance(by, instance), NOT_SUPERVISOR)
    errors = {}
    name = bounded_text(
        name,
        limit=model_limit(Cooperative, "name"),
        field="name",
        label="La raison sociale",
        required="Indiquez la raison sociale de la SCIC.",
    )
    siren = "".join(siren.split())
    try:
        validate_siren(siren)
    except ValidationError as error:
        errors["siren"] = error.messages
    if found := REGISTERED_DAY.refusal(registered_on):
        errors["registered_on"] = found[1]
    missions = sorted(set(missions))
    if not missions or not set(missions) <= set(Mission.values):
        errors["missions"] = "Choisissez au moins une mission."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        try:
            with transaction.atomic():
                cooperative = Cooperative.objects.create(
                    name=name,
                    siren=siren,
                    registered_on=registered_on,
                    departement_id=instance.departement_id,
                    instance=instance,
                    created_by=by,
                )
        except IntegrityError as exc:
            raise ValidationError({"siren": "Une SCIC porte déjà ce numéro SIREN."}) from exc
        CooperativeMission.objects.bulk_create(
            [CooperativeMission(cooperative=cooperative, mission=m) for m in missions]
        )
        record_event(
            by=by,
            action="care.cooperative.register",
            summary=f"SCIC enregistrée : {cooperative} (SIREN {siren})",
            target=cooperative,
            data={"instance": instance.pk, "missions": missions},
            public=True,
        )
    return cooperative


@dataclass(frozen=True)
class Entry:
    """One line of the register of associates, as the form gives it."""

    category: str
    name: str
    shares: int
    joined_on: date
    user: object = None
    college: College | None = None
    represents: bool = False


def add_associate(cooperative: Cooperative, *, by, entry: Entry) -> Associate:
    permit(can_manage_instance(by, cooperative.instance), NOT_SUPERVISOR)
    errors = {}
    if entry.category not in AssociateCategory.values:
        errors["category"] = "Choisissez la catégorie du sociétaire."
    if entry.shares < 1:
        errors["shares"] = "Un sociétaire détient au moins une part sociale."
    if found := REGISTERED_DAY.refusal(entry.joined_on):
        errors["joined_on"] = found[1]
    if entry.college is not None and entry.college.cooperative_id != cooperative.pk:
        errors["college"] = "Ce collège n'est pas celui de cette SCIC."
    if entry.represents and entry.user is None:
        errors["represents"] = "Un représentant de la SCIC a un compte sur la plateforme."
    if errors:
        raise ValidationError(errors)
    name = bounded_text(
        entry.name,
        limit=model_limit(Associate, "name"),
        field="name",
        label="Le nom",
        required="Indiquez le nom du sociétaire (une personne ou un organisme).",
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                associate = Associate.objects.create(
                    cooperative=cooperative,
                    category=entry.category,
                    name=name,
                    shares=entry.shares,
                    joined_on=entry.joined_on,
                    user=entry.user,
                    college=entry.college,
                    represents=entry.represents,
                )
        except IntegrityError as exc:
            raise _entered_twice(cooperative, entry) from exc
        record_event(
            by=by,
            action="care.cooperative.associate",
            summary=f"Sociétaire entré à la SCIC {cooperative} "
            f"({associate.get_category_display()})",
            target=associate,
            data={"shares": entry.shares},
        )
    return associate


def _entered_twice(cooperative: Cooperative, entry: Entry) -> ValidationError:
    current = cooperative.associates.filter(left_on__isnull=True)
    if entry.user is not None and current.filter(user=entry.user).exists():
        return ValidationError({"user": "Ce compte est déjà sociétaire de cette SCIC."})
    return ValidationError(
        "Ce sociétaire est déjà inscrit au registre : même nom, même catégorie, même date d'entrée."
    )


def remove_associate(associate: Associate, *, by, left_on: date | None = None) -> Associate:
    """An associate leaves on ``left_on`` (today): kept in the register, no longer voting."""
    permit(can_manage_instance(by, associate.cooperative.instance), NOT_SUPERVISOR)
    left_on = left_on or timezone.localdate()
    if associate.left_on is not None:
        raise ValidationError("Ce sociétaire est déjà sorti de la SCIC.")
    if left_on <= associate.joined_on:
        raise ValidationError({"left_on": "La sortie suit l'entrée d'au moins un jour."})
    with transaction.atomic():
        associate.left_on = left_on
        associate.save(update_fields=["left_on"])
        record_event(
            by=by,
            action="care.cooperative.associate_left",
            summary=f"Sociétaire sorti de la SCIC {associate.cooperative}",
            target=associate,
        )
    return associate


def set_colleges(cooperative: Cooperative, *, by, colleges: list[tuple[str, int]]) -> None:
    """The colleges of the statutes, set together: kept by name (their associates with them),
    added, or removed when empty. Their shares add up to 100, 10 to 50 % each, in three
    colleges at least (and PostgreSQL checks it again at commit)."""
    permit(can_manage_instance(by, cooperative.instance), NOT_SUPERVISOR)
    names = [
        bounded_text(n, limit=model_limit(College, "name"), field="colleges") for n, _ in colleges
    ]
    if any(not n for n in names) or len(set(names)) != len(names):
        raise ValidationError({"colleges": "Donnez à chaque collège un nom, différent des autres."})
    if problems := college_problems([weight for _, weight in colleges]):
        raise ValidationError({"colleges": problems})
    wanted = dict(zip(names, (w for _, w in colleges), strict=True))
    with transaction.atomic():
        existing = {c.name: c for c in cooperative.colleges.select_for_update()}
        for name, college in existing.items():
            if name not in wanted:
                if college.associates.exists():
                    raise ValidationError(
                        {
                            "colleges": f"Le collège « {name} » compte des sociétaires : "
                            "rattachez-les à un autre collège avant de le retirer."
                        }
                    )
                college.delete()
        for name, weight in wanted.items():
            if name in existing:
                College.objects.filter(pk=existing[name].pk).update(weight=weight)
            else:
                College.objects.create(cooperative=cooperative, name=name, weight=weight)
        record_event(
            by=by,
            action="care.cooperative.colleges",
            summary=f"Collèges de la SCIC {cooperative} : "
            + ", ".join(f"{n} {w} %" for n, w in wanted.items()),
            target=cooperative,
            data={"colleges": wanted},
            public=True,
        )


def capital(cooperative: Cooperative, on: date | None = None) -> int:
    return cooperative.associates.current(on).aggregate(total=Sum("shares"))["total"] or 0


def convene(cooperative: Cooperative, *, by, title: str, held_on: date, agenda: str):
    """The supervising instance convenes a general assembly; each associate with an account
    receives the convocation with its agenda."""
    permit(can_manage_instance(by, cooperative.instance), NOT_SUPERVISOR)
    title = bounded_text(
        title,
        limit=model_limit(GeneralAssembly, "title"),
        field="title",
        label="L'intitulé",
        required="Donnez un intitulé, par exemple « Assemblée générale ordinaire 2026 ».",
    )
    agenda = bounded_text(
        agenda,
        limit=AGENDA_MAX,
        field="agenda",
        label="L'ordre du jour",
        required="Écrivez l'ordre du jour : la convocation le donne à chaque sociétaire.",
    )
    PLANNED.check(held_on, field="held_on")
    with transaction.atomic():
        try:
            with transaction.atomic():
                assembly = GeneralAssembly.objects.create(
                    cooperative=cooperative,
                    title=title,
                    held_on=held_on,
                    agenda=agenda,
                    convened_by=by,
                )
        except IntegrityError as twice:
            raise ValidationError(
                "Cette assemblée est déjà convoquée : même intitulé, même date."
            ) from twice
        record_event(
            by=by,
            action="care.cooperative.convene",
            summary=f"Assemblée générale convoquée : {assembly}",
            target=assembly,
            data={"held_on": held_on.isoformat()},
        )
        url = notifications.absolute_url(assembly.get_absolute_url())
        for person in assembly.ballot_electorate():
            notifications.send(
                "care/emails/assembly_convened.txt",
                {"assembly": assembly, "url": url, "when": written_date(held_on)},
                subject=f"Convocation : {assembly.title}",
                to=person.email,
            )
    return assembly


def propose_resolution(assembly, *, by, title: str, description: str, opens_at, closes_at):
    """A resolution put to the vote: by colleges when the statutes have colleges (each weighed
    by its share), one associate one vote otherwise."""
    weights = dict(assembly.cooperative.colleges.values_list("name", "weight"))
    return votes.create_ballot(
        assembly,
        by=by,
        title=title,
        description=description,
        method=Method.COLLEGES if weights else Method.MAJORITY,
        secret=True,
        opens_at=opens_at,
        closes_at=closes_at,
        colleges=weights or None,
    )


def attach_statutes(cooperative: Cooperative, *, by, upload) -> Cooperative:
    """The statutes, a PDF checked from its first bytes and its size, replace the previous ones;
    they are public, as at the greffe."""
    permit(can_manage_instance(by, cooperative.instance), NOT_SUPERVISOR)
    _name, _type, data = uploads.checked(
        upload, kinds=[uploads.PDF], max_bytes=settings.CARE_STATUTES_MAX_BYTES, field="statutes"
    )
    with transaction.atomic():
        previous = cooperative.statutes.name
        cooperative.statutes.save(f"statuts-{cooperative.siren}.pdf", ContentFile(data))
        if previous:
            transaction.on_commit(lambda: cooperative.statutes.storage.delete(previous))
        record_event(
            by=by,
            action="care.cooperative.statutes",
            summary=f"Statuts de la SCIC {cooperative} déposés",
            target=cooperative,
            public=True,
        )
    return cooperative
