"""Every write on ballots: one function per thing a person does, atomic, logged.

The context of a ballot is any model instance that offers:
- ``can_manage_ballots(user) -> bool``: who creates, opens, closes a ballot and enters paper
  ballots and proxies;
- ``str(context)`` and ``context.get_absolute_url()``: the link shown on the ballot page;
- optionally ``is_visible_to(user) -> bool`` (who sees its ballots; public without it),
  ``ballot_electorate() -> iterable of users`` (lets a manager open the ballot from its page) and
  ``ballot_closing_refusal(ballot, now) -> str | None`` (its own rule for closing an open ballot:
  the French reason it may not close now, or None; without it a manager closes when they choose).
  The engine asks it wherever a ballot closes, so the rule holds on every page.

Rules that are choices, written down:
- Majority: adopted when « pour » > « contre » (majorité des suffrages exprimés: abstentions are
  left out, a tie rejects) and the quorum is reached.
- Quorum, for every method: the number of ballots (online participations plus paper ballots)
  needed for the result to be valid; below it the result says « quorum non atteint ».
- Majority judgment: an option left without a grade gets « À rejeter » (Mieux Voter's rule:
  not judging a candidate is not approving of them). The voting form asks for every grade.
- Proxies are recorded while the ballot is in preparation; the electorate is frozen when it
  opens, and opening is refused if a proxy names someone outside it. A giver who votes first
  uses their own vote: the unique participation makes it one vote either way.
- By colleges: each elector votes in the college the context gives them when the ballot opens
  (``ballot_colleges() -> {user id: college}``); a vote, online or on paper, carries its college
  and never its voter; the colleges' shares come with the ballot and add up to 100.
- Paper ballots are entered until the ballot is closed, even after the online closing time (the
  count of a meeting comes after it), and never beyond the size of the electorate.
"""

import base64
import hashlib
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.utils import timezone

from enfance.core.eventlog import record_event
from enfance.core.workflow import apply_transition

from .counting import tally
from .enums import GRADE_COUNT, BallotState, Grade, MajorityChoice, Method
from .models import (
    Ballot,
    BallotOption,
    Elector,
    MarkCount,
    PaperBallot,
    Participation,
    Proxy,
    Result,
    Vote,
    VoteMark,
)
from .perms import holds_proxy_for
from .workflows import (
    BALLOT_WORKFLOW,
    electorate_refusal,
    paper_ballot_refusal,
    proxy_refusal,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Receipt:
    """Given once to the voter; only its hash is stored."""

    ballot: Ballot
    code: str


def _require_manager(by, ballot_or_context, action: str) -> None:
    context = getattr(ballot_or_context, "context", ballot_or_context)
    if not (by is not None and by.is_authenticated and context.can_manage_ballots(by)):
        raise PermissionDenied(f"Vous n'avez pas le droit de {action}.")


def create_ballot(
    context: Model,
    *,
    by,
    title: str,
    method: str,
    secret: bool = True,
    opens_at,
    closes_at,
    options: list[str] | None = None,
    candidates: list | None = None,
    quorum: int | None = None,
    description: str = "",
    colleges: dict[str, int] | None = None,
) -> Ballot:
    """A ballot in preparation. For an election, ``candidates`` are users and their option is
    labelled with their full name, unless ``options`` gives the labels too, one per candidate,
    in the same order (first name only for a child)."""
    _require_manager(by, context, "créer un scrutin ici")
    if method not in Method.values:
        raise ValidationError("Mode de scrutin inconnu.")
    if closes_at <= opens_at:
        raise ValidationError("La clôture doit suivre l'ouverture.")
    if quorum is not None and quorum < 1:
        raise ValidationError("Le quorum doit être d'au moins une personne.")
    rows = _option_rows(method, options, candidates)
    weights = _college_weights(method, colleges)
    with transaction.atomic():
        ballot = Ballot.objects.create(
            college_weights=weights,
            content_type=ContentType.objects.get_for_model(context),
            object_id=context.pk,
            title=title,
            description=description,
            method=method,
            secret=secret,
            opens_at=opens_at,
            closes_at=closes_at,
            quorum=quorum,
            created_by=by,
        )
        created = BallotOption.objects.bulk_create(
            BallotOption(ballot=ballot, position=position, **row)
            for position, row in enumerate(rows)
        )
        _create_counters(ballot, created)
        record_event(
            by=by,
            action="votes.ballot_created",
            summary=f"Scrutin préparé : {title}",
            target=ballot,
            data={"method": method, "secret": secret, "options": len(created)},
            public=True,
        )
    logger.info("ballot %s created (%s, %d options)", ballot.pk, method, len(created))
    return ballot


def _college_weights(method, colleges) -> dict[str, int]:
    if method != Method.COLLEGES:
        if colleges:
            raise ValidationError("Seul un vote par collèges donne une part à chaque collège.")
        return {}
    weights = {str(name).strip(): weight for name, weight in (colleges or {}).items()}
    if len(weights) < 2 or any(not name for name in weights):
        raise ValidationError("Un vote par collèges réunit au moins deux collèges, chacun nommé.")
    if (
        any(not isinstance(w, int) or w < 1 for w in weights.values())
        or sum(weights.values()) != 100
    ):
        raise ValidationError("Les parts des collèges sont des pourcentages entiers, total 100.")
    return weights


def _option_rows(method, options, candidates) -> list[dict]:
    if method in (Method.MAJORITY, Method.COLLEGES):
        if options or candidates:
            raise ValidationError(
                "Un vote à la majorité porte sur « pour », « contre », « abstention »."
            )
        return [{"label": choice.label, "code": choice.value} for choice in MajorityChoice]
    if candidates:
        if options and len(options) != len(candidates):
            raise ValidationError("Il faut un intitulé par candidature.")
        labels = options or [c.get_full_name() or str(c) for c in candidates]
        if len({c.pk for c in candidates}) != len(candidates):
            raise ValidationError("Une même personne ne peut être candidate deux fois.")
        rows = [
            {"label": label, "candidate": c} for label, c in zip(labels, candidates, strict=True)
        ]
    else:
        rows = [{"label": label} for label in options or []]
    labels = [row["label"].strip() for row in rows]
    if not labels:
        raise ValidationError("Il faut au moins une option ou une candidature.")
    if any(not label for label in labels):
        raise ValidationError("Chaque option doit avoir un intitulé.")
    if len(set(labels)) != len(labels):
        raise ValidationError("Deux options portent le même intitulé.")
    return [{**row, "label": row["label"].strip()} for row in rows]


def _create_counters(ballot: Ballot, options: list[BallotOption]) -> None:
    values = range(GRADE_COUNT) if ballot.uses_grades else [1]
    MarkCount.objects.bulk_create(
        [MarkCount(ballot=ballot, option=None, paper=paper) for paper in (False, True)]
        + [
            MarkCount(ballot=ballot, option=option, paper=paper, value=value)
            for option in options
            for paper in (False, True)
            for value in values
        ]
    )


def open_ballot(ballot: Ballot, *, by, electors: Iterable, colleges=None) -> Ballot:
    """Freeze the electorate (one row per elector, with their college for a vote by colleges)
    and open the ballot."""
    elector_ids = {user.pk for user in electors}
    colleges = colleges or {}
    if ballot.method == Method.COLLEGES:
        astray = len([pk for pk in elector_ids if colleges.get(pk) not in ballot.college_weights])
        if astray:
            raise ValidationError(
                f"{astray} personne{'s' if astray > 1 else ''} du corps électoral "
                f"n'appartien{'nent' if astray > 1 else 't'} à aucun collège du scrutin."
            )
    with transaction.atomic():
        locked = Ballot.objects.select_for_update().get(pk=ballot.pk)
        if not elector_ids:
            raise ValidationError("Le corps électoral est vide : le scrutin ne peut s'ouvrir.")
        for proxy in Proxy.objects.filter(ballot=locked).select_related("giver", "holder"):
            for person in (proxy.giver, proxy.holder):
                if person.pk not in elector_ids:
                    raise ValidationError(
                        f"La procuration de {proxy.giver} à {proxy.holder} ne peut être retenue : "
                        f"{person} ne fait pas partie du corps électoral."
                    )
        # The transition's guard refuses a ballot whose closing time has passed.
        opened = apply_transition(
            locked, BALLOT_WORKFLOW, "open", by=by, data={"electors": len(elector_ids)}
        )
        Elector.objects.bulk_create(
            (
                Elector(ballot=opened, user_id=pk, college=colleges.get(pk, ""))
                for pk in sorted(elector_ids)
            ),
            batch_size=5000,
        )
    logger.info("ballot %s opened with %d electors", ballot.pk, len(elector_ids))
    return opened


def open_with_its_electorate(ballot: Ballot, *, by) -> Ballot:
    """What the ballot's own page does: open it with the electorate its context offers."""
    if refusal := electorate_refusal(ballot):
        raise ValidationError(refusal)
    context = ballot.context
    colleges = context.ballot_colleges() if ballot.method == Method.COLLEGES else None
    return open_ballot(ballot, by=by, electors=context.ballot_electorate(), colleges=colleges)


def give_proxy(ballot: Ballot, *, giver, holder, by=None) -> Proxy:
    """Record a procuration before the vote opens. ``by`` is the giver unless a manager records
    it for them."""
    by = by or giver
    if by.pk != giver.pk:
        _require_manager(by, ballot, "enregistrer une procuration")
    if giver.pk == holder.pk:
        raise ValidationError("On ne peut pas se donner procuration à soi-même.")
    with transaction.atomic():
        locked = Ballot.objects.select_for_update().get(pk=ballot.pk)
        if refusal := proxy_refusal(locked):
            raise ValidationError(refusal)
        if Proxy.objects.filter(ballot=locked, giver=giver).exists():
            raise ValidationError(f"{giver} a déjà donné une procuration pour ce scrutin.")
        if Proxy.objects.filter(ballot=locked, holder=holder).exists():
            raise ValidationError(f"{holder} détient déjà une procuration pour ce scrutin.")
        try:
            with transaction.atomic():
                proxy = Proxy.objects.create(
                    ballot=locked, giver=giver, holder=holder, recorded_by=by
                )
        except IntegrityError as exc:
            raise ValidationError("Cette procuration est déjà enregistrée.") from exc
        record_event(
            by=by,
            action="votes.proxy_given",
            summary=f"Procuration pour « {locked.title} »",
            target=locked,
            data={"giver": giver.pk, "holder": holder.pk},
        )
    return proxy


def _generate_receipt_code() -> str:
    raw = base64.b32encode(secrets.token_bytes(10)).decode()  # 80 bits, 16 characters
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def receipt_hash(ballot_id: int, code: str) -> str:
    normalized = "".join(code.upper().split()).replace("-", "")
    return hashlib.sha256(f"{ballot_id}:{normalized}".encode()).hexdigest()


def _marks_for(ballot: Ballot, options: list[BallotOption], choice) -> list[tuple[int, int]]:
    """The (option id, value) marks of a choice, checked; refuses anything malformed."""
    by_id = {option.pk: option for option in options}
    if ballot.method in (Method.MAJORITY, Method.COLLEGES):
        codes = {option.code: option.pk for option in options}
        if choice not in codes:
            raise ValidationError("Choisissez « pour », « contre » ou « abstention ».")
        return [(codes[choice], 1)]
    if ballot.method == Method.MAJORITY_JUDGMENT:
        if not isinstance(choice, dict):
            raise ValidationError("Donnez une mention à chaque option.")
        grades = {}
        for key, grade in choice.items():
            option_id, value = _as_int(key), _as_int(grade)
            if option_id not in by_id:
                raise ValidationError("Une des options n'appartient pas à ce scrutin.")
            if value not in Grade.values:
                raise ValidationError("Une des mentions n'existe pas.")
            grades[option_id] = value
        return [(pk, grades.get(pk, Grade.A_REJETER)) for pk in sorted(by_id)]
    if isinstance(choice, str | bytes | dict) or not isinstance(choice, Iterable):
        raise ValidationError("Cochez les options que vous approuvez.")
    approved = {_as_int(key) for key in choice}
    if not approved <= by_id.keys():
        raise ValidationError("Une des options n'appartient pas à ce scrutin.")
    return [(pk, 1) for pk in sorted(approved)]


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _store_vote(
    ballot: Ballot, marks, *, paper: bool, receipt: str = "", voter=None, college: str = ""
) -> Vote:
    vote_class = PaperBallot if paper else Vote
    vote = vote_class.objects.create(
        ballot=ballot, paper=paper, receipt_hash=receipt, voter=voter, college=college
    )
    VoteMark.objects.bulk_create(
        VoteMark(vote=vote, option_id=option_id, paper=paper, value=value)
        for option_id, value in marks
    )
    # Always in the same order (ballot, then options by id), so concurrent votes never deadlock.
    MarkCount.objects.filter(ballot=ballot, option=None, paper=paper).update(count=F("count") + 1)
    for option_id, value in marks:
        MarkCount.objects.filter(option_id=option_id, paper=paper, value=value).update(
            count=F("count") + 1
        )
    return vote


def _lock_for_voting(ballot: Ballot) -> Ballot:
    # Votes and closing exclude each other: no vote lands after the result is computed.
    return Ballot.objects.select_for_update(no_key=True).get(pk=ballot.pk)


def cast_vote(ballot: Ballot, *, by, choice, on_behalf_of=None) -> Receipt:
    """One vote by ``by``, for themselves or, as proxy holder, for ``on_behalf_of``. Returns the
    receipt."""
    elector = on_behalf_of or by
    with transaction.atomic():
        locked = _lock_for_voting(ballot)
        now = timezone.now()
        if locked.state != BallotState.OPEN:
            raise ValidationError(
                f"Ce scrutin n'accepte pas de vote : il est « {locked.get_state_display()} »."
            )
        if now < locked.opens_at:
            raise ValidationError("Le vote n'est pas encore ouvert.")
        if now >= locked.closes_at:
            raise ValidationError("Le vote est clos : il n'est plus possible de voter.")
        college = (
            Elector.objects.filter(ballot=locked, user=elector)
            .values_list("college", flat=True)
            .first()
        )
        if college is None:
            raise PermissionDenied("Cette personne ne fait pas partie du corps électoral.")
        if on_behalf_of is not None:
            if not holds_proxy_for(by, locked, on_behalf_of):
                raise PermissionDenied(f"Vous n'avez pas de procuration de {on_behalf_of}.")
            if not Elector.objects.filter(ballot=locked, user=by).exists():
                raise PermissionDenied("Vous ne faites pas partie du corps électoral.")
        marks = _marks_for(locked, list(locked.options.all()), choice)
        try:
            with transaction.atomic():
                Participation.objects.create(
                    ballot=locked, voter=elector, cast_by=by if on_behalf_of else None
                )
        except IntegrityError as exc:
            if on_behalf_of is not None:
                raise ValidationError(f"Le vote de {on_behalf_of} est déjà enregistré.") from exc
            raise ValidationError("Vous avez déjà voté à ce scrutin.") from exc
        code = _generate_receipt_code()
        _store_vote(
            locked,
            marks,
            paper=False,
            receipt=receipt_hash(locked.pk, code),
            voter=None if locked.secret else elector,
            college=college,
        )
        record_event(
            by=by,
            action="votes.participation",
            summary=f"Participation au scrutin « {locked.title} »",
            target=locked,
            data={"proxy": on_behalf_of is not None},
        )
    return Receipt(ballot=locked, code=code)


def record_paper_ballot(
    ballot: Ballot, *, by, choice, entry_token: str = "", college: str = ""
) -> PaperBallot:
    """A paper ballot counted at a meeting, entered by a manager; logged entry by entry.

    ``entry_token`` is a random value carried by the entry form: stored hashed in the receipt
    column, whose unique constraint makes a double click or a second tab one entry, not two.
    """
    _require_manager(by, ballot, "saisir des bulletins papier")
    already = ValidationError("Ce bulletin papier est déjà enregistré.")
    entry_hash = receipt_hash(ballot.pk, entry_token) if entry_token else ""
    with transaction.atomic():
        locked = _lock_for_voting(ballot)
        if refusal := paper_ballot_refusal(locked):
            raise ValidationError(refusal)
        if entry_hash and Vote.objects.filter(ballot=locked, receipt_hash=entry_hash).exists():
            raise already
        marks = _marks_for(locked, list(locked.options.all()), choice)
        if locked.method == Method.COLLEGES and college not in locked.college_weights:
            raise ValidationError("Indiquez le collège du bulletin.")
        try:
            with transaction.atomic():
                paper_ballot = _store_vote(
                    locked, marks, paper=True, receipt=entry_hash, college=college
                )
        except IntegrityError as exc:
            raise already from exc
        record_event(
            by=by,
            action="votes.paper_ballot_recorded",
            summary=f"Bulletin papier saisi pour « {locked.title} »",
            target=locked,
            data={"marks": [[option_id, value] for option_id, value in marks]},
        )
    return paper_ballot


def close_ballot(ballot: Ballot, *, by, now=None) -> Result:
    """Close the ballot and store its result, computed from the stored ballots. ``now`` is the
    moment of the closing (the clock of the caller's rule), recorded as the result's time."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Ballot.objects.select_for_update().get(pk=ballot.pk)
        # Asked under the lock, before counting: no vote lands between the context's count and
        # the closing (the guard of « clore » asks the context's rule, at ``now``).
        if refusal := BALLOT_WORKFLOW.refusal(locked, by, "close", at=now):
            raise refusal.exception()
        result = tally(locked)
        result.computed_at = now
        closed = apply_transition(
            locked,
            BALLOT_WORKFLOW,
            "close",
            by=by,
            data={"ballots": result.data["ballots"], "ranking": result.ranking},
            at=now,
        )
        result.ballot = closed
        result.save()
    logger.info("ballot %s closed: %d ballots", ballot.pk, result.data["ballots"])
    return result


def cancel_ballot(ballot: Ballot, *, by) -> Ballot:
    return apply_transition(ballot, BALLOT_WORKFLOW, "cancel", by=by)


def verify_receipt(ballot: Ballot, code: str) -> bool:
    return Vote.objects.filter(ballot=ballot, receipt_hash=receipt_hash(ballot.pk, code)).exists()
