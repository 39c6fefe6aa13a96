"""What the strategy holds about a person (core.privacy): who opened a contract between the State
and a département, who recorded one of its criteria or a fact about a département. The
strategy's texts and the contracts' figures name nobody."""

from enfance.core.privacy import Fate, Holding, Processing, declare

declare(
    "strategy",
    Processing(
        name="Suivi de la stratégie nationale et des contrats État–départements",
        purpose="Publier la stratégie nationale de prévention et de protection de l'enfance, ses "
        "mesures et ses cibles, et suivre les contrats entre l'État et les départements.",
        legal_basis="Mission d'intérêt public (article 6-1-e du RGPD).",
        data="Pour chaque contrat, chaque critère et chaque fait départemental : le compte de "
        "l'administrateur national qui l'a ouvert ou enregistré, et la date.",
        people="Les administrateurs nationaux de la plateforme.",
        recipients="Le public voit les contrats, jamais qui les a saisis.",
        retention="Pour la durée du service ; le lien vers le compte est coupé à sa suppression.",
    ),
    Holding(
        "strategy.Contract",
        "Les contrats État–départements que vous avez ouverts",
        Fate.ANONYMISED,
        "Pour la durée du service : ils sont publics.",
        "Le contrat reste public ; il ne dit plus qui l'a ouvert.",
        links=("created_by",),
        key="contrats_ouverts",
    ),
    Holding(
        "strategy.CriterionStatus",
        "Les critères de contrats que vous avez enregistrés",
        Fate.ANONYMISED,
        "Pour la durée du service : ils sont publics.",
        "Le critère reste public ; il ne dit plus qui l'a enregistré.",
        links=("recorded_by",),
        key="criteres_enregistres",
    ),
    Holding(
        "strategy.DepartementFact",
        "Les faits départementaux que vous avez enregistrés",
        Fate.ANONYMISED,
        "Pour la durée du service : ils sont publics.",
        "Le fait reste public ; il ne dit plus qui l'a enregistré.",
        links=("recorded_by",),
        key="faits_enregistres",
    ),
)
