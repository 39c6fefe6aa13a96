"""What the control body holds about a person (core.privacy): the contrôleurs' seats, their
declarations of interests and what they wrote; the gestionnaires' observations. No child and no
family is named: what they said is written down anonymised."""

from enfance.core.privacy import Fate, Holding, Processing, declare

_RECORD = "Une inspection est un acte officiel : elle reste, "

declare(
    "inspections",
    Processing(
        name="Inspections des lieux d'accueil par l'organe de contrôle",
        purpose="Contrôler les lieux d'accueil de la protection de l'enfance selon un référentiel "
        "national, suivre leurs suites et publier des rapports anonymisés.",
        legal_basis="Mission d'intérêt public de protection de l'enfance (article 6-1-e du RGPD ; "
        "Code de l'action sociale et des familles, articles L313-13 et suivants).",
        data="Pour chaque inspection : l'équipe de contrôleurs et leurs déclarations d'intérêts, "
        "les notes et constats par critère, le rapport, les observations du gestionnaire. Ce que "
        "disent des enfants et des familles est écrit sans nom.",
        people="Les contrôleurs, les gestionnaires des structures inspectées.",
        recipients="L'équipe d'inspection ; les contrôleurs du territoire ; les gestionnaires de "
        "la structure à partir du rapport provisoire ; le public pour le rapport définitif "
        "publié, anonymisé.",
        retention="Pour la durée du service ; le nom de qui a écrit est retiré à la suppression "
        "de son compte.",
    ),
    Holding(
        "inspections.InspectionMember",
        "Les inspections dont vous avez fait partie",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        _RECORD + "sa composition ne dit plus votre nom.",
        links=("user",),
        key="equipes_d_inspection",
    ),
    Holding(
        "inspections.InterestDeclaration",
        "Vos déclarations d'intérêts",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        "Elles montrent que chaque équipe s'est déclarée sans lien ; elles restent, sans votre "
        "nom.",
        links=("user",),
        key="declarations_d_interets",
    ),
    Holding(
        "inspections.Inspection",
        "Les inspections que vous avez ouvertes, et vos observations sur un rapport",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        _RECORD + "elle ne dit plus qui l'a ouverte ni qui a écrit les observations.",
        links=("created_by", "observations_by"),
        key="inspections",
    ),
    Holding(
        "inspections.RequiredAction",
        "Les actions demandées que vous avez écrites, auxquelles vous avez répondu ou sur "
        "lesquelles vous avez donné un avis",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        _RECORD + "ses actions et leur suivi ne disent plus qui les a écrits.",
        links=("created_by", "answered_by", "decided_by"),
        key="actions_demandees",
    ),
    Holding(
        "inspections.ControlPlan",
        "Les plans de contrôle que vous avez ouverts",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        "Le plan du département reste ; il ne dit plus qui l'a ouvert.",
        links=("created_by",),
        key="plans_de_controle",
    ),
    Holding(
        "inspections.PlanEntry",
        "Les structures que vous avez ajoutées à un plan ou retirées",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        "Le plan garde ses choix et leurs raisons, sans votre nom.",
        links=("added_by", "withdrawn_by"),
        key="lignes_de_plan",
    ),
    Holding(
        "inspections.Alert",
        "Les alertes que vous avez enregistrées",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        "Une alerte peut avoir ouvert une inspection : elle reste, sans votre nom.",
        links=("recorded_by",),
        key="alertes",
    ),
    Holding(
        "inspections.Finding",
        "Les constats que vous avez écrits",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        _RECORD + "ses constats ne disent plus qui les a écrits.",
        links=("updated_by",),
        key="constats",
    ),
)
