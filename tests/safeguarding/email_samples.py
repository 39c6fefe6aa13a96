SAMPLES = {
    "safeguarding/emails/new_report.txt": lambda: {
        "url": "https://protection-enfance.example/signalements/12/"
    },
}
