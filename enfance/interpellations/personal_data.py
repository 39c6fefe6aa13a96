"""What the interpellations hold about a person (core.privacy): the interpellations they
drafted or whose answer they recorded, and the contacts of the institutions interpellated."""

from enfance.core.privacy import Fate, Holding, Processing, declare

declare(
    "interpellations",
    Processing(
        name="Interpellations des institutions",
        purpose="Permettre à une instance de voter puis d'envoyer une interpellation à une "
        "institution (département, justice, éducation, santé, préfecture…), de recevoir sa "
        "réponse par un lien sécurisé et de publier son délai de réponse.",
        legal_basis="Intérêt légitime de l'initiative à rendre compte de la réponse des "
        "institutions (article 6-1-f du RGPD).",
        data="Le texte de l'interpellation, qui l'a rédigée ; l'adresse électronique de "
        "l'institution et le nom du signataire de sa réponse.",
        people="Les membres des instances qui rédigent ; les agents des institutions qui "
        "répondent.",
        recipients="Le public voit l'interpellation adoptée et la réponse publiée ; l'adresse "
        "de l'institution ne sert qu'à lui écrire.",
        retention="Pour la durée du service ; le nom de la personne qui a rédigé n'est jamais "
        "publié, et le lien vers son compte est coupé à la suppression du compte.",
    ),
    Holding(
        "interpellations.Interpellation",
        "Les interpellations que vous avez rédigées, ou dont vous avez saisi la réponse reçue "
        "par courrier",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        "L'interpellation appartient à l'instance qui l'a votée : elle reste, sans lien vers "
        "votre compte.",
        links=("created_by", "answer_recorded_by"),
        key="interpellations",
    ),
    Holding(
        "interpellations.Interpellation",
        "L'adresse électronique de l'institution interpellée et le nom du signataire de sa réponse",
        Fate.KEPT,
        "Pour la durée du service.",
        "Ce sont des coordonnées professionnelles, nécessaires pour écrire à l'institution et "
        "pour dire qui a répondu en son nom.",
        fields=("contact_email", "answer_signatory"),
    ),
)
