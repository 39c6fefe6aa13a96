from datetime import date

SAMPLES = {
    "proposals/emails/digest.txt": lambda: {
        "first_name": "Camille",
        "day": date(2026, 3, 11),
        "items": [
            {
                "title": "Des maisons des familles",
                "url": "https://protection-enfance.example/propositions/12/",
                "news": ["Nouveau commentaire de Nina B.", "Mise en délibération par Lyon 3e"],
                "more": 2,
            }
        ],
    },
    "proposals/emails/transmitted.txt": lambda: {
        "instance": "Instance locale de Lyon 3e",
        "title": "Des maisons des familles",
        "decision": "Adoptée par Instance locale de Lyon 3e : 14 pour, 3 contre, 1 abstention",
        "url": "https://protection-enfance.example/propositions/12/",
    },
}
