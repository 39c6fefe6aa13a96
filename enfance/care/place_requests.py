"""Requests for a place: a magistrate or the département's services send an anonymous request
to the structures whose fresh free places match; each answers, the first acceptance takes the
places. Every step is checked and recorded in the event log."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from enfance.accounts.models import User
from enfance.core import notifications
from enfance.core.access import permit
from enfance.core.eventlog import record_event
from enfance.core.text import bounded_text
from enfance.core.workflow import apply_transition

from . import perms
from .enums import DeclarationSource, OfferStatus, RequestStatus, StructureStatus
from .models import (
    CHILDREN_MAX,
    NEEDS_MAX,
    REASON_MAX,
    WISHED_DAY,
    PlaceCategory,
    PlaceDeclaration,
    PlaceOffer,
    PlaceRequest,
)
from .search import search_zone
from .workflows import OFFER_WORKFLOW


def answer_deadline(urgent: bool, now):
    return now + (settings.CARE_URGENT_ANSWER_WITHIN if urgent else settings.CARE_ANSWER_WITHIN)


def send_place_request(
    *,
    by: User,
    departement,
    category_ids,
    place_type,
    age_band,
    children: int,
    disability: bool,
    urgent: bool,
    needs: str,
    wished_on,
    now=None,
) -> PlaceRequest:
    """An anonymous request to the structures of the chosen categories: each must be validated,
    in the département or a neighbour that takes part, of the type and age band asked, with
    enough free places declared within their freshness limit for the children (a sibling group
    stays together)."""
    permit(
        perms.can_search_places(by, departement.pk),
        "Seuls les magistrats et les services du département demandent une place ici.",
    )
    now = now or timezone.now()
    needs = bounded_text(needs, limit=NEEDS_MAX, field="needs", label="Besoins")
    if not 1 <= children <= CHILDREN_MAX:
        raise ValidationError({"children": f"De 1 à {CHILDREN_MAX} enfants par demande."})
    WISHED_DAY.check(wished_on, field="wished_on")
    if wished_on < timezone.localdate(now):
        raise ValidationError({"wished_on": "La date d'accueil souhaitée ne peut pas être passée."})
    categories = list(
        PlaceCategory.objects.filter(
            PlaceCategory.objects.fresh_q(now),
            pk__in=category_ids,
            structure__departement__in=search_zone(departement),
            structure__status=StructureStatus.VALIDATED,
            place_type=place_type,
            age_band=age_band,
            free__gte=children,
        ).select_related("structure")
    )
    if children > 1:
        categories = [c for c in categories if c.siblings]
    if disability:
        categories = [c for c in categories if c.disability]
    if not categories:
        raise ValidationError(
            "Choisissez au moins une structure dont les places libres, déclarées récemment, "
            "correspondent à la demande."
        )
    with transaction.atomic():
        request = PlaceRequest.objects.create(
            departement=departement,
            requested_by=by,
            place_type=place_type,
            age_band=age_band,
            children=children,
            disability=disability,
            urgent=urgent,
            needs=needs,
            wished_on=wished_on,
            created_at=now,
            answer_by=answer_deadline(urgent, now),
        )
        chosen = {}
        for category in categories:
            chosen.setdefault(category.structure_id, category)
        offers = PlaceOffer.objects.bulk_create(
            PlaceOffer(request=request, structure=c.structure, category=c) for c in chosen.values()
        )
        record_event(
            by=by,
            action="care.request_sent",
            summary=f"Demande de place n° {request.pk} envoyée à {len(offers)} structure"
            f"{'s' if len(offers) > 1 else ''}",
            target=request,
            data={"structures": sorted(chosen)},
        )
        for offer in offers:
            for link in offer.structure.manager_links.select_related("user"):
                notifications.send(
                    "care/emails/request_received.txt",
                    {
                        "request": request,
                        "structure": offer.structure,
                        "offer_url": notifications.absolute_url(offer.get_absolute_url()),
                    },
                    subject=f"Demande de place{' urgente' if urgent else ''} : {request.label}",
                    to=link.user.email,
                )
    return request


def answer_offer(
    offer: PlaceOffer, *, by: User, accept: bool, reason: str = "", now=None
) -> PlaceOffer:
    """The structure's answer. The first acceptance takes the places (the free count moves,
    kept as a declaration) and the other structures' requests become « sans objet »; a refusal
    gives its reason."""
    now = now or timezone.now()
    if not accept:
        reason = bounded_text(
            reason,
            limit=REASON_MAX,
            field="reason",
            label="Motif",
            required="Dites en quelques mots pourquoi la structure ne peut pas accueillir.",
        )
    with transaction.atomic():
        # One answer at a time per request: the first acceptance wins, the next ones see it.
        request = PlaceRequest.objects.select_for_update().get(pk=offer.request_id)
        offer.request = request
        if not accept:
            return apply_transition(
                offer,
                OFFER_WORKFLOW,
                "refuse",
                by=by,
                at=now,
                also_update={"reason": reason, "answered_by": by, "answered_at": now},
                summary=f"Demande de place n° {request.pk} refusée par {offer.structure}",
            )
        category = PlaceCategory.objects.select_for_update().get(pk=offer.category_id)
        if (
            OFFER_WORKFLOW.refusal(offer, by, "accept", at=now) is None
            and (category.known_free(now) or 0) < request.children
        ):
            raise ValidationError(
                f"Il n'y a plus assez de places libres déclarées dans cette catégorie pour "
                f"{request.label} : mettez à jour vos places, ou refusez la demande."
            )
        accepted = apply_transition(
            offer,
            OFFER_WORKFLOW,
            "accept",
            by=by,
            at=now,
            also_update={"answered_by": by, "answered_at": now},
            summary=f"Demande de place n° {request.pk} acceptée par {offer.structure}",
        )
        category.free -= request.children
        category.declared_at, category.declared_by = now, by
        category.save(update_fields=["free", "declared_at", "declared_by"])
        PlaceDeclaration.objects.create(
            category=category,
            free=category.free,
            closed=category.closed,
            capacity=category.capacity,
            declared_at=now,
            declared_by=by,
            source=DeclarationSource.REQUEST,
        )
        request.status, request.placed_at = RequestStatus.PLACED, now
        request.save(update_fields=["status", "placed_at"])
        request.offers.filter(status=OfferStatus.PENDING).update(status=OfferStatus.SUPERSEDED)
        if request.requested_by is not None:
            notifications.send(
                "care/emails/request_placed.txt",
                {
                    "request": request,
                    "structure": offer.structure,
                    "request_url": notifications.absolute_url(request.get_absolute_url()),
                },
                subject=f"Place trouvée : demande n° {request.pk}",
                to=request.requested_by.email,
            )
    return accepted


def close_request(request: PlaceRequest, *, by: User) -> PlaceRequest:
    """The person who sent it closes a request that no longer needs a place."""
    permit(
        request.requested_by_id == by.pk,
        "Seule la personne qui a envoyé la demande peut la clore.",
    )
    with transaction.atomic():
        locked = PlaceRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != RequestStatus.OPEN:
            raise ValidationError("Cette demande n'attend plus de réponse.")
        locked.status = RequestStatus.CLOSED
        locked.save(update_fields=["status"])
        locked.offers.filter(status=OfferStatus.PENDING).update(status=OfferStatus.SUPERSEDED)
        record_event(
            by=by,
            action="care.request_closed",
            summary=f"Demande de place n° {locked.pk} close",
            target=locked,
        )
    return locked


def close_expired_requests(*, now=None) -> int:
    """Close the requests whose deadline passed without an acceptance, and tell their senders,
    so that they search again rather than wait. Each is claimed by a conditional update: closed
    and told once however often this runs. Returns how many were closed."""
    now = now or timezone.now()
    closed = 0
    expired = PlaceRequest.objects.filter(status=RequestStatus.OPEN, answer_by__lt=now)
    for request in expired.select_related("requested_by").iterator(chunk_size=500):
        with transaction.atomic():
            claimed = PlaceRequest.objects.filter(pk=request.pk, status=RequestStatus.OPEN).update(
                status=RequestStatus.CLOSED
            )
            if not claimed:
                continue
            request.offers.filter(status=OfferStatus.PENDING).update(status=OfferStatus.SUPERSEDED)
            record_event(
                by=None,
                action="care.request_expired",
                summary=f"Demande de place n° {request.pk} close : aucune acceptation à temps",
                target=request,
            )
            if request.requested_by is not None:
                notifications.send(
                    "care/emails/request_expired.txt",
                    {
                        "request": request,
                        "search_url": notifications.absolute_url(reverse("care:search")),
                    },
                    subject=f"Demande de place n° {request.pk} : aucune réponse positive à temps",
                    to=request.requested_by.email,
                )
            closed += 1
    return closed
