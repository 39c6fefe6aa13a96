"""What the participatory texts hold about a person (core.privacy): comments and wording
proposals on the articles, and the work of those who write, moderate and follow the texts."""

from enfance.core.privacy import UNTIL_DELETION, Fate, Holding, Processing, declare

from .models import ArticleComment, ArticleProposal


def _comments(user) -> list[dict]:
    return [
        {
            "article": c.thread_label,
            "ecrit_le": c.created_at,
            "commentaire": c.body,
            "etat": c.get_state_display(),
        }
        for c in ArticleComment.objects.filter(author=user)
        .select_related("article__version__text")
        .order_by("pk")
    ]


def _wording_proposals(user) -> list[dict]:
    return [
        {
            "texte": p.text.title,
            "article": p.article.label,
            "redaction_proposee": p.body,
            "pourquoi": p.reason,
            "etat": p.get_state_display(),
            "proposee_le": p.created_at,
        }
        for p in ArticleProposal.objects.filter(author=user)
        .select_related("text", "article")
        .order_by("pk")
    ]


declare(
    "texts",
    Processing(
        name="Textes participatifs et propositions de loi",
        purpose="Écrire avec les citoyens la charte et les propositions de loi, article par "
        "article : commentaires, propositions de rédaction, versions successives, "
        "transmission aux parlementaires et suites données.",
        legal_basis="Votre consentement, donné en commentant ou en proposant une rédaction "
        "(article 6-1-a du RGPD).",
        data="Commentaires, propositions de rédaction et leur motif, signalements d'abus ; "
        "pour l'équipe de rédaction, les versions publiées et les transmissions enregistrées.",
        people="Les personnes qui commentent ou proposent une rédaction, celles qui rédigent.",
        recipients="Le public voit les commentaires et propositions avec le nom public de leur "
        "autrice ou auteur ; l'équipe de modération voit les signalements d'abus.",
        retention="Pour la durée du service, sans nom après la suppression du compte ; les "
        "signalements d'abus sont effacés avec le compte.",
    ),
    Holding(
        "texts.ArticleComment",
        "Vos commentaires sur les articles",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        "Un commentaire fait partie de la consultation : il reste, signé « Compte supprimé ».",
        links=("author",),
        key="commentaires_sur_les_articles",
        export=_comments,
    ),
    Holding(
        "texts.ArticleProposal",
        "Vos propositions de rédaction d'un article",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        "Une version suivante du texte dit quelles propositions elle a reprises : elles "
        "restent, signées « Compte supprimé ».",
        links=("author",),
        key="propositions_de_redaction",
        export=_wording_proposals,
    ),
    Holding(
        "texts.ArticleCommentReport",
        "Vos signalements d'abus sur des commentaires d'articles",
        Fate.ERASED,
        UNTIL_DELETION,
        links=("reported_by",),
        key="signalements_d_abus_sur_les_articles",
    ),
    Holding(
        "texts.ArticleComment",
        "Les commentaires d'articles que vous avez modérés",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        "La décision et son motif public restent ; ils ne disent plus qui l'a prise.",
        links=("moderated_by",),
        key="commentaires_d_articles_moderes",
    ),
    Holding(
        "texts.ArticleProposal",
        "Les propositions de rédaction sur lesquelles vous avez décidé",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        "La décision et son motif restent ; ils ne disent plus qui l'a prise.",
        links=("decided_by",),
        key="propositions_de_redaction_decidees",
    ),
    Holding(
        "texts.Text",
        "Les textes que vous avez créés ou que vous rédigez",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        "Le texte reste ; il ne dit plus qui l'a créé, et vous ne le rédigez plus.",
        links=("created_by", "editors"),
        key="textes_rediges",
    ),
    Holding(
        "texts.TextVersion",
        "Les versions de textes que vous avez publiées",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        "La version publiée reste ; elle ne dit plus qui l'a publiée.",
        links=("created_by",),
        key="versions_publiees",
    ),
    Holding(
        "texts.Transmission",
        "Les transmissions de propositions de loi que vous avez enregistrées",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        "La transmission reste ; elle ne dit plus qui l'a enregistrée.",
        links=("recorded_by",),
        key="transmissions_enregistrees",
    ),
    Holding(
        "texts.FollowUp",
        "Les suites de propositions de loi que vous avez enregistrées",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        "La suite reste ; elle ne dit plus qui l'a enregistrée.",
        links=("recorded_by",),
        key="suites_enregistrees",
    ),
)
