"""What the care network holds about a person (core.privacy): who declared a structure, validated
it, manages it and declared its places. No child and no family is ever recorded here."""

from enfance.core.privacy import Fate, Holding, Processing, declare

_STAYS = "La structure et ses chiffres restent : ils servent aux magistrats et au département ; "

declare(
    "care",
    Processing(
        name="Places d'accueil partagées avec les tribunaux pour enfants",
        purpose="Permettre aux structures d'accueil de déclarer leurs places libres, et aux "
        "magistrats et aux services du département de les trouver ; réserver les séjours "
        "d'observation des villages de protection.",
        legal_basis="Mission d'intérêt public de protection de l'enfance (article 6-1-e du RGPD ; "
        "Code de l'action sociale et des familles, article L221-1).",
        data="Pour chaque structure : sa fiche (sans adresse), ses places par catégorie et, pour "
        "chaque chiffre, qui l'a déclaré et quand. Pour un séjour d'observation : une "
        "référence, le nombre d'adultes et d'enfants par tranche d'âge, les dates, qui l'a "
        "demandé, et la synthèse du village, chiffrée et lue par le seul service demandeur, "
        "chaque lecture enregistrée. Aucun enfant, aucune famille n'est nommé.",
        people="Les gestionnaires de structure, les services des départements, les magistrats.",
        recipients="Les gestionnaires de la structure, les services et les magistrats du "
        "département ; le public ne voit que la liste des départements participants.",
        retention="Pour la durée du service ; le nom de qui a déclaré est retiré à la "
        "suppression de son compte.",
    ),
    Holding(
        "care.StructureManager",
        "Les structures que vous gérez",
        Fate.ERASED,
        "Tant que vous gérez la structure.",
        links=("user",),
        key="structures_gerees",
    ),
    Holding(
        "care.Structure",
        "Les structures que vous avez déclarées, validées ou gérez",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        _STAYS + "elle ne dit plus qui l'a déclarée ou validée.",
        links=("created_by", "validated_by", "managers"),
        key="structures",
    ),
    Holding(
        "care.HistoricalStructure",
        "L'historique des fiches de structures que vous avez modifiées",
        Fate.ANONYMISED,
        "Tant que l'historique de la fiche existe.",
        "Les modifications restent dans l'historique, sans votre nom.",
        links=("created_by", "validated_by", "history_user"),
        key="historique_des_structures",
    ),
    Holding(
        "care.PlaceCategory",
        "Le dernier chiffre de places libres que vous avez déclaré",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        _STAYS + "le chiffre ne dit plus qui l'a déclaré.",
        links=("declared_by",),
        key="dernieres_declarations",
    ),
    Holding(
        "care.PlaceDeclaration",
        "Les déclarations de places libres que vous avez faites",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        "L'historique des places donne l'occupation au fil du temps : il reste, sans votre nom.",
        links=("declared_by",),
        key="declarations_de_places",
    ),
    Holding(
        "care.PlaceRequest",
        "Les demandes de place que vous avez envoyées",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        "Une demande ne nomme aucun enfant ; elle reste pour le suivi des places, sans votre nom.",
        links=("requested_by",),
        key="demandes_de_place",
    ),
    Holding(
        "care.PlaceOffer",
        "Vos réponses aux demandes de place reçues par vos structures",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        "La réponse de la structure reste ; elle ne dit plus qui l'a donnée.",
        links=("answered_by",),
        key="reponses_aux_demandes",
    ),
    Holding(
        "care.StructureToken",
        "Les jetons d'accès que vous avez donnés au logiciel d'une structure",
        Fate.ANONYMISED,
        "Tant que le jeton existe.",
        "Le jeton reste utilisable par le logiciel de la structure ; ses déclarations ne sont "
        "plus à votre nom. Les gestionnaires peuvent le révoquer.",
        links=("created_by",),
        key="jetons_d_acces",
    ),
    Holding(
        "care.DepartementParticipation",
        "La participation d'un département que vous avez enregistrée",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        "La décision du département reste publique ; elle ne dit plus qui l'a enregistrée.",
        links=("decided_by",),
        key="participations_enregistrees",
    ),
    Holding(
        "care.Associate",
        "Les parts que vous détenez dans une SCIC, comme sociétaire",
        Fate.ANONYMISED,
        "Tant que vous êtes sociétaire, puis le temps que la loi impose de tenir le registre.",
        "La ligne du registre des sociétaires reste (la SCIC doit la tenir), sans lien vers votre "
        "compte : vous ne votez plus sur la plateforme.",
        links=("user",),
        key="parts_de_scic",
        export=lambda user: [
            {
                "scic": associate.cooperative.name,
                "categorie": associate.get_category_display(),
                "parts": associate.shares,
                "entree_le": associate.joined_on,
                "sortie_le": associate.left_on,
            }
            for associate in user.cooperative_shares.select_related("cooperative")
        ],
    ),
    Holding(
        "care.GeneralAssembly",
        "Les assemblées générales de SCIC que vous avez convoquées",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        "L'assemblée et ses résolutions restent aux sociétaires ; elles ne disent plus qui l'a "
        "convoquée.",
        links=("convened_by",),
        key="assemblees_convoquees",
    ),
    Holding(
        "care.Transfer",
        "Les transferts de compétences que vous avez proposés",
        Fate.ANONYMISED,
        "Pour la durée du service : ils sont publics.",
        "Le transfert et son historique restent publics ; ils ne disent plus qui l'a proposé.",
        links=("proposed_by",),
        key="transferts_proposes",
    ),
    Holding(
        "care.Cooperative",
        "Les SCIC que vous avez enregistrées",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        "La SCIC reste inscrite ; elle ne dit plus qui l'a enregistrée.",
        links=("created_by",),
        key="scic_enregistrees",
    ),
    Holding(
        "care.AnnualReport",
        "Les rapports annuels de SCIC que vous avez publiés",
        Fate.ANONYMISED,
        "Pour la durée du service : ils sont publics.",
        "Le rapport et les comptes restent publics ; ils ne disent plus qui les a publiés.",
        links=("published_by",),
        key="rapports_de_scic",
    ),
    Holding(
        "care.SupervisionQuestion",
        "Les questions posées à une SCIC, ou les réponses écrites pour elle",
        Fate.ANONYMISED,
        "Pour la durée du service : elles sont publiques.",
        "La question et la réponse restent publiques ; elles ne disent plus qui les a écrites.",
        links=("asked_by", "answered_by"),
        key="questions_aux_scic",
    ),
    Holding(
        "care.ObservationStay",
        "Les séjours d'observation que vous avez demandés, ou dont vous avez écrit la synthèse",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        "Le séjour reste au village et au service qui l'a demandé ; il ne dit plus qui l'a "
        "demandé ni qui a écrit la synthèse.",
        links=("requested_by", "summary_by"),
        key="sejours_d_observation",
    ),
    Holding(
        "care.StayRead",
        "Vos lectures des synthèses d'observation",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        "La lecture reste inscrite, sans votre nom.",
        links=("reader",),
        key="lectures_de_syntheses",
    ),
)
