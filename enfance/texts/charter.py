"""The draft of the Charte du Ministère de la Protection de l'Enfance (seeds 000 and 001).

A demo text, drafted from the values (démocratie, bienveillance, transparence), the vision and
the missions of seed 000; seed 001 says the charter "sera partagée pour recueillir des retours":
it is published as version 1, a draft, open for consultation.
"""

CHARTER_SLUG = "charte"
CHARTER_TITLE = "Charte du Ministère de la Protection de l'Enfance"
CHARTER_SUMMARY = (
    "Le document fondateur du ministère, partagé pour recueillir vos retours et intégrer les "
    "besoins entendus lors des lives et des ateliers citoyens. Ce texte est un projet : chaque "
    "article peut être commenté et réécrit."
)
CHARTER_PREAMBLE = (
    "Le Ministère de la Protection de l'Enfance est une initiative citoyenne et participative "
    "qui veut refonder la gouvernance de la protection de l'enfance en France, avec les "
    "citoyens, les familles, les professionnels et les institutions.\n\n"
    "Trois valeurs le guident : la démocratie, la bienveillance et la transparence. Cette "
    "charte dit ce qu'elles veulent dire, concrètement, pour chacune et chacun."
)
CHARTER_ARTICLES = [
    (
        "Notre vision",
        "Chaque enfant en France a droit à une protection efficace, respectueuse de ses droits "
        "fondamentaux. Le ministère y travaille par une gouvernance inclusive et des décisions "
        "ancrées dans les réalités locales.",
    ),
    (
        "Démocratie",
        "Les décisions qui concernent la protection de l'enfance se prennent avec les personnes "
        "concernées. Sur chaque territoire, une instance locale de protection de l'enfance réunit "
        "des parents, des grands-parents, des enfants de 12 à 17 ans, des experts, des "
        "associatifs et des citoyens engagés ; elle analyse les besoins du territoire et fait "
        "remonter ses propositions.",
    ),
    (
        "Bienveillance",
        "Les familles sont écoutées sans jugement. Toute personne confrontée à une difficulté "
        "avec l'aide sociale à l'enfance trouve un espace d'écoute, de soutien et de conseils "
        "pratiques. Soutenir une famille avant que sa situation ne se dégrade passe avant toute "
        "séparation.",
    ),
    (
        "Transparence",
        "Les décisions, leurs motifs et leurs suites sont publics. Les structures de protection "
        "de l'enfance rendent compte de leur action, et un organe de contrôle indépendant évalue "
        "leur fonctionnement.",
    ),
    (
        "La parole de l'enfant",
        "L'enfant est entendu sur les décisions qui le concernent, selon son âge et sa maturité. "
        "Les enfants qui participent aux instances le font en sécurité, accompagnés, et ne sont "
        "jamais exposés publiquement.",
    ),
    (
        "Le lien familial",
        "Lorsque l'intérêt de l'enfant le permet, tout est fait pour maintenir et reconstruire "
        "les liens familiaux. Avant une décision, l'évaluation prend le temps d'observer les "
        "relations entre parents et enfants dans un cadre neutre.",
    ),
    (
        "Les interlocuteurs des familles",
        "Les services sociaux consultent les personnes que les familles proposent pour éclairer "
        "leur situation : proches, professionnels qui les connaissent, associations.",
    ),
    (
        "L'action citoyenne",
        "Le ministère élabore des propositions de loi issues des réflexions locales, interpelle "
        "les institutions lorsqu'elles manquent à leurs missions, avec des recommandations "
        "concrètes, et crée des sociétés coopératives d'intérêt collectif (SCIC) pour "
        "coordonner la protection de l'enfance sur chaque territoire.",
    ),
]
