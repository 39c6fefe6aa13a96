from .factories import PetitionFactory

SAMPLES = {
    # The context of emails.confirmation_email, for a signature waiting for its confirmation.
    "petitions/emails/confirmation.txt": lambda: {
        "first_name": "Camille",
        "petition": PetitionFactory(),
        "confirmed": False,
        "link": "https://protection-enfance.example/petition/confirmer/MTI:1t2Xyz/",
        "days": 7,
        "retention": 30,
        "petition_url": "https://protection-enfance.example/petition/",
    },
}
