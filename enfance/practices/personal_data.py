"""What the practices library holds about a person (core.privacy): the fiches they declared,
their exchanges with the selection committee, and a committee member's work."""

from enfance.core.privacy import UNTIL_DELETION, Fate, Holding, Processing, declare

from .enums import PracticeState
from .models import Practice, PracticeMessage


def _declared(user) -> list[dict]:
    return [
        {
            "titre": p.title,
            "etat": p.get_state_display(),
            "structure": p.structure_name,
            "description": p.description,
            "creee_le": p.created_at,
            "transmise_le": p.submitted_at,
            "publiee_le": p.published_at,
        }
        for p in Practice.objects.filter(declarant=user).order_by("created_at")
    ]


def _erase_unpublished(user) -> None:
    """A fiche not published goes with its declarant (nobody could answer the committee any
    more); a published one stays in the library, the structure's."""
    declared = Practice.objects.filter(declarant=user)
    declared.exclude(state=PracticeState.PUBLISHED).delete()
    declared.update(declarant=None)


def _messages(user) -> list[dict]:
    return [
        {"fiche": m.practice.title, "ecrit_le": m.created_at, "message": m.body}
        for m in PracticeMessage.objects.filter(author=user)
        .select_related("practice")
        .order_by("created_at")
    ]


declare(
    "practices",
    Processing(
        name="Bibliothèque des pratiques inspirantes",
        purpose="Recevoir les pratiques déclarées par les associations et les départements, les "
        "faire examiner par le comité de sélection, publier les fiches retenues et distinguer "
        "chaque année les plus remarquables.",
        legal_basis="Votre consentement, donné en acceptant les conditions de déclaration "
        "(article 6-1-a du RGPD).",
        data="La fiche et les échanges avec le comité ; le nom et la fonction de la personne qui "
        "a donné l'accord du département, et des co-auteurs, tels que le déclarant les écrit ; "
        "les conflits d'intérêts et les distinctions des membres du comité.",
        people="Les déclarants, les membres du comité de sélection, les rédacteurs ONPE, les "
        "personnes nommées sur une fiche.",
        recipients="Le comité de sélection pendant l'examen ; le public pour une fiche publiée "
        "(jamais le nom du déclarant).",
        retention="Fiches non publiées : jusqu'à la suppression du compte du déclarant. Fiches "
        "publiées : tant qu'elles sont dans la bibliothèque.",
    ),
    Holding(
        "practices.Practice",
        "Les fiches de pratique que vous avez déclarées",
        Fate.ANONYMISED,
        "Fiche non publiée : jusqu'à la suppression de votre compte. Fiche publiée : tant "
        "qu'elle est dans la bibliothèque.",
        "Une fiche non publiée est effacée. Une fiche publiée appartient à la bibliothèque et à "
        "la structure qui la porte : elle reste, sans le nom du déclarant.",
        links=("declarant",),
        key="pratiques_declarees",
        export=_declared,
        erase=_erase_unpublished,
    ),
    Holding(
        "practices.PracticeMessage",
        "Vos échanges avec le comité de sélection",
        Fate.ANONYMISED,
        "Tant que la fiche existe.",
        "Les messages sur une fiche effacée partent avec elle ; sur une fiche publiée, ils "
        "restent dans le dossier d'examen, sans votre nom.",
        links=("author",),
        key="messages_au_comite",
        export=_messages,
    ),
    Holding(
        "practices.Practice",
        "Pour un membre du comité : les fiches que vous avez examinées ou dont vous avez "
        "enregistré l'accord du département",
        Fate.ANONYMISED,
        "Tant que la fiche existe.",
        "L'examen reste ; il ne dit plus qui l'a mené.",
        links=("reviewer", "departement_agreement_recorded_by"),
        key="pratiques_examinees",
    ),
    Holding(
        "practices.PracticeMark",
        "Les distinctions que vous avez données comme membre du comité",
        Fate.ANONYMISED,
        "Tant que la fiche existe.",
        "Les distinctions de l'année restent ; elles ne disent plus qui les a données.",
        links=("member",),
        key="distinctions_donnees",
    ),
    Holding(
        "practices.ConflictOfInterest",
        "Les conflits d'intérêts que vous avez déclarés",
        Fate.ERASED,
        UNTIL_DELETION,
        "Un conflit d'intérêts écarte un membre des décisions sur une fiche : sans compte, il "
        "n'a plus d'objet.",
        links=("member",),
        key="conflits_d_interets",
    ),
    Holding(
        "practices.Practice",
        "Le nom de la personne qui a donné l'accord du département et ceux des co-auteurs, "
        "écrits sur une fiche par son déclarant",
        Fate.KEPT,
        "Tant que la fiche existe.",
        "Ils font partie de la fiche : ils partent avec elle, ou sur demande au comité.",
        fields=("co_authors", "departement_agreement_by"),
    ),
)
