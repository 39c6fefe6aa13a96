SAMPLES = {
    "safeguarding/emails/new_report.txt": lambda: {
        "url": "https://protection-enfance.example/signalements/12/"
    },
    "safeguarding/emails/family_told.txt": lambda: {
        "url": "https://protection-enfance.example/soutien/demandes/12/"
    },
}
