"""What the petition holds about a person (core.privacy). A signature is not tied to an
account (one signs with an address, signed in or not): the person's signatures are those made
with one of their verified addresses."""

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import F

from enfance.core.privacy import Fate, Holding, Processing, declare

from . import conf
from .enums import PetitionState
from .models import DepartementCount, Signature
from .normalization import normalise_email
from .services import expire_counts


def _signatures_of(user):
    addresses = EmailAddress.objects.filter(user=user, verified=True).values_list(
        "email", flat=True
    )
    normalized = {normalise_email(address) for address in addresses}
    return Signature.objects.filter(email_normalized__in=normalized)


def _signatures(user) -> list[dict]:
    return [
        {
            "petition": s.petition.title,
            "prenom": s.first_name,
            "nom": s.last_name,
            "adresse_electronique": s.email,
            "commune": s.commune.name if s.commune else None,
            "signee_le": s.created_at,
            "confirmee_le": s.confirmed_at,
        }
        for s in _signatures_of(user).select_related("petition", "commune").order_by("pk")
    ]


def _withdraw_from_open_petitions(user) -> None:
    """A signature of a petition still open is withdrawn, and the counter goes down by one if
    it counted; a closed petition's list is the one handed over: it stays until the petition
    is anonymised."""
    with transaction.atomic():
        for signature in _signatures_of(user).filter(petition__state=PetitionState.OPEN):
            if signature.confirmed_at is not None:
                DepartementCount.objects.filter(
                    petition=signature.petition_id,
                    departement=signature.departement_id,
                    confirmed__gt=0,
                ).update(confirmed=F("confirmed") - 1)
                transaction.on_commit(lambda pk=signature.petition_id: expire_counts(pk))
            signature.delete()


declare(
    "petitions",
    Processing(
        name="Pétition",
        purpose="Recueillir les signatures de la pétition pour l'adoption du ministère, n'en "
        "compter qu'une par personne, publier le compteur par département et remettre la "
        "liste des signataires avec la pétition.",
        legal_basis="Votre consentement, donné en signant (article 6-1-a du RGPD).",
        data="Prénom, nom, adresse électronique, commune ; pour une signature par "
        "FranceConnect, une empreinte de l'identité (jamais l'identifiant lui-même). Pour les "
        "feuilles papier : le nombre de signatures et qui l'a saisi.",
        people="Les signataires ; les secrétariats d'instance qui saisissent les feuilles papier.",
        recipients="Le public ne voit que des nombres ; la liste des signataires est remise "
        "avec la pétition à son destinataire, et lue par les administrateurs nationaux.",
        retention=f"Une signature jamais confirmée est effacée après "
        f"{conf.get('UNCONFIRMED_RETENTION_DAYS')} jours ; les autres sont anonymisées "
        f"{conf.get('ANONYMISE_AFTER_DAYS')} jours après le dépôt de la pétition (seuls les "
        f"nombres par département restent).",
        security="Un jeton signé confirme l'adresse ; l'export de la liste est réservé aux "
        "administrateurs nationaux et inscrit au journal.",
    ),
    Holding(
        "petitions.Signature",
        "Vos signatures de la pétition, faites avec une adresse vérifiée de votre compte "
        "(prénom, nom, adresse, commune)",
        Fate.ERASED,
        f"Pétition ouverte : jusqu'à la suppression de votre compte. Pétition close : jusqu'à "
        f"son anonymisation, {conf.get('ANONYMISE_AFTER_DAYS')} jours après son dépôt.",
        "Tant que la pétition est ouverte, votre signature est retirée et le compteur baisse "
        "d'une signature. Une pétition close a été (ou va être) remise avec sa liste de "
        "signataires : votre signature y reste jusqu'à l'anonymisation prévue, qui efface les "
        "noms, adresses et communes de toutes les signatures ; celles d'une pétition déjà "
        "anonymisée ne disent plus rien de personne.",
        fields=(
            "first_name",
            "last_name",
            "email",
            "email_normalized",
            "identity_digest",
        ),
        key="signatures_de_la_petition",
        export=_signatures,
        erase=_withdraw_from_open_petitions,
    ),
    Holding(
        "petitions.PaperSheet",
        "Les feuilles de signatures papier que vous avez saisies ou retirées",
        Fate.ANONYMISED,
        "Pour la durée de la pétition.",
        "Les signatures papier restent comptées ; la saisie ne dit plus qui l'a faite (le "
        "journal des événements en garde la trace).",
        links=("entered_by", "withdrawn_by"),
        key="feuilles_papier_saisies",
    ),
    not_personal={
        "petitions.SurgeBaseline.email": "des adresses inventées par le banc d'essai de "
        "performance, vide en dehors de lui",
    },
)
