"""What the measures hold about a person (core.privacy): only who imported a file. A measure
itself names no child and points at no account: the département's reference is kept as a keyed
hash, the child as an age band."""

from enfance.core.privacy import Fate, Holding, Processing, declare

declare(
    "measures",
    Processing(
        name="Délais d'exécution des mesures de protection de l'enfance",
        purpose="Mesurer et publier le délai entre la décision d'une mesure de protection de "
        "l'enfance (AEMO, AED, placement, MJIE) et son début réel, par département et par type, "
        "et permettre aux services du département et aux tribunaux pour enfants de suivre les "
        "mesures en attente.",
        legal_basis="Mission d'intérêt public (article 6-1-e du RGPD).",
        data="Pour chaque mesure : le type, le département, une tranche d'âge, les dates de la "
        "décision et du début, une empreinte chiffrée (HMAC) de la référence du département, "
        "jamais la référence elle-même ni le nom de l'enfant. Pour chaque import : la personne "
        "des services du département qui l'a fait, la date et les nombres de lignes.",
        people="Les agents des services départementaux qui enregistrent les mesures.",
        recipients="Le public voit des chiffres agrégés, sous secret statistique (moins de 5) ; "
        "les services du département et les magistrats du département voient les mesures en "
        "attente, sans nom.",
        retention="Pour la durée du service ; le lien vers le compte de la personne qui a "
        "importé est coupé à la suppression de son compte.",
        security="La référence du département n'est jamais stockée : seule son empreinte HMAC-"
        "SHA256, sous une clé qui n'est pas dans la base de données.",
    ),
    Holding(
        "measures.MeasureImport",
        "Les imports de fichiers de mesures que vous avez faits pour votre département",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        "L'import appartient au département : il reste, avec ses nombres de lignes, sans lien "
        "vers votre compte.",
        links=("imported_by",),
        key="imports_de_mesures",
    ),
)
