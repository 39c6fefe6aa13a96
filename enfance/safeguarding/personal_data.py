"""What the safeguarding engine holds about a person (core.privacy): the « danger pour un
enfant » reports they made or handled."""

from enfance.core.privacy import Fate, Holding, Processing, declare

from .models import DangerReport


def _reports(user) -> list[dict]:
    return [
        {
            "contenu_signale": r.target_label,
            "ce_qui_vous_inquietait": r.reason,
            "signale_le": r.created_at,
            "etat": r.get_state_display(),
        }
        for r in DangerReport.objects.filter(reported_by=user).order_by("created_at")
    ]


declare(
    "safeguarding",
    Processing(
        name="Signalements « danger pour un enfant »",
        purpose="Retirer aussitôt de la vue du public un texte qui laisse craindre un danger "
        "pour un enfant, et le faire lire par une personne formée qui suit la voie du 119 et "
        "de la cellule départementale (CRIP).",
        legal_basis="Sauvegarde des intérêts vitaux d'un enfant (article 6-1-d du RGPD) ; la "
        "transmission d'une information préoccupante relève de l'article L. 226-2-1 du code "
        "de l'action sociale et des familles.",
        data="Le texte signalé tel qu'il était, ce qui inquiète la personne qui signale, l'état "
        "du signalement et ce qu'en a fait le référent.",
        people="Les personnes qui signalent, les auteurs des textes signalés, les enfants dont "
        "il peut être question.",
        recipients="Les seuls référents protection ; la cellule départementale de recueil des "
        "informations préoccupantes (CRIP) ou le 119 quand le danger est confirmé.",
        retention="Pour la durée du service : un signalement transmis doit pouvoir être "
        "retrouvé ; le lien vers le compte de la personne qui signale est coupé à la "
        "suppression du compte.",
        security="Lecture réservée au rôle « référent protection », avec double "
        "authentification ; rien n'est public.",
    ),
    Holding(
        "safeguarding.DangerReport",
        "Les signalements « danger pour un enfant » que vous avez faits",
        Fate.KEPT,
        "Pour la durée du service.",
        "La protection d'un enfant peut demander de retrouver un signalement des années après : "
        "il reste, avec le texte signalé et ce qui vous inquiétait, mais ne dit plus qui l'a "
        "fait.",
        links=("reported_by",),
        key="signalements_de_danger",
        export=_reports,
    ),
    Holding(
        "safeguarding.DangerReport",
        "Les signalements que vous avez traités comme référent protection",
        Fate.KEPT,
        "Pour la durée du service.",
        "Le traitement du signalement reste (sa transmission, sa note) ; il ne dit plus qui "
        "l'a traité.",
        links=("handled_by",),
        key="signalements_traites",
    ),
)
