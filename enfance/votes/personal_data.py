"""What the votes engine holds about a person (core.privacy). Who voted and what was voted are
kept apart (models.py): a vote at a secret ballot was never linked to anyone, so there is
nothing of it to give or to erase; the participation says only that the person took part."""

from enfance.core.privacy import UNTIL_DELETION, Fate, Holding, Processing, declare

from .models import Participation, Vote


def _participations(user) -> list[dict]:
    return [
        {
            "scrutin": p.ballot.title,
            "mode": p.ballot.get_method_display(),
            "bulletin_secret": p.ballot.secret,
            "clos_le": p.ballot.closes_at,
            "vote_par_procuration": p.cast_by_id is not None,
        }
        for p in Participation.objects.filter(voter=user).select_related("ballot").order_by("pk")
    ]


def _public_votes(user) -> list[dict]:
    votes = (
        Vote.objects.filter(voter=user).select_related("ballot").prefetch_related("marks__option")
    )
    return [
        {
            "scrutin": vote.ballot.title,
            "choix": [
                {"option": mark.option.label, "valeur": mark.value}
                for mark in sorted(vote.marks.all(), key=lambda m: m.option.position)
            ],
        }
        for vote in votes
    ]


declare(
    "votes",
    Processing(
        name="Votes et élections",
        purpose="Organiser les scrutins des instances et des ateliers (majorité, jugement "
        "majoritaire, approbation), à bulletin secret ou public, avec procurations, et publier "
        "des résultats que chacun peut vérifier.",
        legal_basis="Votre consentement, donné en siégeant ou en participant à l'atelier "
        "(article 6-1-a du RGPD).",
        data="Inscription sur la liste des votants, participation (le fait d'avoir voté), "
        "procurations ; le contenu du bulletin seulement pour un vote public.",
        people="Les membres des instances et les participants des ateliers.",
        recipients="Le secrétariat du scrutin voit qui a voté, jamais ce qui a été voté à "
        "bulletin secret ; le public voit les résultats.",
        retention="Pour la durée du service ; participation et liste des votants sans nom après "
        "la suppression du compte.",
        security="Bulletin secret : le bulletin n'a ni votant, ni date, ni numéro d'ordre, et "
        "le reçu n'est gardé que sous forme d'empreinte ; aucun lien entre qui a voté et ce "
        "qui a été voté, même pour les administrateurs.",
    ),
    Holding(
        "votes.Participation",
        "Les scrutins auxquels vous avez participé (le fait d'avoir voté, jamais votre choix "
        "à bulletin secret)",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        "La participation reste comptée, sans votre nom, pour que le taux de participation "
        "d'un scrutin passé ne change pas.",
        links=("voter", "cast_by"),
        key="participations_aux_scrutins",
        export=_participations,
    ),
    Holding(
        "votes.Vote",
        "Vos bulletins. À bulletin secret, votre bulletin n'a jamais été relié à vous : il n'y "
        "a rien à vous en donner ni à en effacer. À vote public, le bulletin porte votre nom",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        "Le bulletin reste compté dans le résultat ; un bulletin public ne porte plus votre nom.",
        links=("voter",),
        key="bulletins_publics",
        export=_public_votes,
    ),
    Holding(
        "votes.Elector",
        "Votre inscription sur la liste des votants d'un scrutin",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        "La liste garde sa taille, sans votre nom.",
        links=("user",),
        key="listes_de_votants",
    ),
    Holding(
        "votes.Proxy",
        "Les procurations que vous avez données ou reçues",
        Fate.ERASED,
        UNTIL_DELETION,
        links=("giver", "holder"),
        key="procurations",
    ),
    Holding(
        "votes.Proxy",
        "Les procurations que vous avez enregistrées pour d'autres",
        Fate.ANONYMISED,
        "Tant que la procuration existe.",
        "La procuration reste ; elle ne dit plus qui l'a enregistrée.",
        links=("recorded_by",),
        key="procurations_enregistrees",
    ),
    Holding(
        "votes.BallotOption",
        "Votre candidature à une élection : votre nom sur l'option du bulletin",
        Fate.KEPT,
        "Pour la durée du service.",
        "Le résultat publié d'une élection fait partie des archives de l'instance : l'option "
        "garde le nom qu'elle portait, mais n'est plus reliée à votre compte.",
        links=("candidate",),
        key="candidatures_aux_elections",
    ),
    Holding(
        "votes.Ballot",
        "Les scrutins que vous avez préparés",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        "Le scrutin et son résultat restent ; ils ne disent plus qui l'a préparé.",
        links=("created_by",),
        key="scrutins_prepares",
    ),
)
