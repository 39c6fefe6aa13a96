"""What the proposals module holds about a person (core.privacy): the proposals they wrote,
their supports, comments, amendments and follows."""

from enfance.accounts.naming import public_name
from enfance.core.privacy import UNTIL_DELETION, Fate, Holding, Processing, declare

from .caching import bump_page, bump_proposals
from .enums import ProposalState
from .models import Activity, Amendment, Comment, Follow, Proposal, Support
from .services import withdraw_support

# A proposal nobody has read yet goes with its author.
UNPUBLISHED = (ProposalState.DRAFT, ProposalState.PENDING_MODERATION)


def _proposals(user) -> list[dict]:
    return [
        {
            "titre": p.title,
            "etat": p.get_state_display(),
            "le_probleme": p.problem,
            "la_proposition": p.body,
            "l_effet_attendu": p.expected_effect,
            "ecrite_le": p.created_at,
            "publiee_le": p.published_at,
        }
        for p in Proposal.objects.filter(author=user).order_by("created_at")
    ]


def _erase_or_detach_proposals(user) -> None:
    written = Proposal.objects.filter(author=user)
    for proposal in written.filter(state__in=UNPUBLISHED):
        # One by one: the signals bump the caches and drop the search entry.
        proposal.delete()
    detached = list(written.values_list("pk", flat=True))
    written.update(author=None)
    bump_proposals()
    for pk in detached:
        bump_page(pk)


def _supports(user) -> list[dict]:
    return [
        {"proposition": s.proposal.title, "soutenue_le": s.created_at}
        for s in Support.objects.filter(user=user).select_related("proposal").order_by("pk")
    ]


def _withdraw_supports(user) -> None:
    for supported in Support.objects.filter(user=user).select_related("proposal"):
        withdraw_support(supported.proposal, by=user)


def _comments(user) -> list[dict]:
    return [
        {
            "proposition": c.proposal.title,
            "ecrit_le": c.created_at,
            "commentaire": c.body,
            "etat": c.get_state_display(),
        }
        for c in Comment.objects.filter(author=user).select_related("proposal").order_by("pk")
    ]


def _amendments(user) -> list[dict]:
    return [
        {
            "proposition": a.proposal.title,
            "numero": a.number,
            "partie": a.get_part_display(),
            "nouvelle_redaction": a.new_text,
            "expose_des_motifs": a.rationale,
            "etat": a.get_state_display(),
        }
        for a in Amendment.objects.filter(author=user).select_related("proposal").order_by("pk")
    ]


def _follows(user) -> list[dict]:
    return [
        {"proposition": f.proposal.title, "suivie": f.active, "depuis_le": f.created_at}
        for f in Follow.objects.filter(user=user).select_related("proposal").order_by("pk")
    ]


def _anonymise_activities(user) -> None:
    """An activity told to followers may name the person (« Nouveau commentaire de Camille
    D. »): the name goes with the link."""
    name = public_name(user)
    for activity in Activity.objects.filter(actor=user):
        activity.summary = activity.summary.replace(name, public_name(None))
        activity.actor = None
        activity.save(update_fields=["summary", "actor"])


declare(
    "proposals",
    Processing(
        name="Propositions citoyennes",
        purpose="Publier les propositions des citoyens et des instances, recueillir les "
        "soutiens et les commentaires, les mettre en délibération et en amender le texte, "
        "prévenir chaque jour ceux qui les suivent.",
        legal_basis="Votre consentement, donné en écrivant, soutenant ou commentant (article "
        "6-1-a du RGPD).",
        data="Propositions, commentaires, amendements, soutiens, suivis, signalements d'abus.",
        people="Les personnes qui écrivent, soutiennent, commentent ou suivent une proposition.",
        recipients="Le public voit les propositions et commentaires publiés avec le nom public "
        "de leur auteur (prénom et initiale ; prénom seul pour un mineur) ; les modérateurs "
        "voient les signalements d'abus.",
        retention="Brouillons, soutiens, suivis, signalements : jusqu'à la suppression du "
        "compte. Propositions publiées, commentaires et amendements : pour la durée du "
        "service, sans nom après la suppression du compte.",
    ),
    Holding(
        "proposals.Proposal",
        "Les propositions que vous avez écrites",
        Fate.ANONYMISED,
        "Brouillon : jusqu'à la suppression de votre compte. Proposition publiée : pour la "
        "durée du service.",
        "Un brouillon ou une proposition en attente de modération est effacé. Une proposition "
        "publiée a été soutenue, commentée, parfois reprise par une instance : elle reste, "
        "avec la mention « Compte supprimé » à la place de votre nom.",
        links=("author",),
        key="propositions",
        export=_proposals,
        erase=_erase_or_detach_proposals,
    ),
    Holding(
        "proposals.Support",
        "Vos soutiens aux propositions",
        Fate.ERASED,
        UNTIL_DELETION,
        "Le nombre de soutiens de la proposition baisse d'autant.",
        links=("user",),
        key="soutiens",
        export=_supports,
        erase=_withdraw_supports,
    ),
    Holding(
        "proposals.Comment",
        "Vos commentaires sur les propositions",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        "Un commentaire fait partie d'une discussion à laquelle d'autres ont répondu : il "
        "reste, signé « Compte supprimé ».",
        links=("author",),
        key="commentaires_sur_les_propositions",
        export=_comments,
    ),
    Holding(
        "proposals.Comment",
        "Les commentaires que vous avez modérés",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        "La décision de modération et son motif public restent ; ils ne disent plus qui l'a prise.",
        links=("moderated_by",),
        key="commentaires_moderes",
    ),
    Holding(
        "proposals.CommentReport",
        "Vos signalements d'abus sur des commentaires",
        Fate.ERASED,
        UNTIL_DELETION,
        links=("reported_by",),
        key="signalements_d_abus",
    ),
    Holding(
        "proposals.Amendment",
        "Vos amendements",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        "Un amendement a été voté par l'instance : il reste dans l'histoire de la proposition, "
        "sans votre nom.",
        links=("author",),
        key="amendements",
        export=_amendments,
    ),
    Holding(
        "proposals.Follow",
        "Les propositions que vous suivez",
        Fate.ERASED,
        UNTIL_DELETION,
        links=("user",),
        key="propositions_suivies",
        export=_follows,
    ),
    Holding(
        "proposals.Digest",
        "Les résumés quotidiens qui vous ont été envoyés (date, nombre d'activités)",
        Fate.ERASED,
        UNTIL_DELETION,
        links=("user",),
        key="resumes_quotidiens",
    ),
    Holding(
        "proposals.Activity",
        "Ce que vous avez fait sur une proposition, tel que ses abonnés l'ont lu",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        "L'activité reste dans le fil de la proposition ; votre nom y est remplacé par « Compte "
        "supprimé ».",
        links=("actor",),
        key="activites",
        erase=_anonymise_activities,
    ),
)
