from datetime import timedelta

from django.utils import timezone

from .factories import InterpellationFactory, sent

ANSWER_URL = "https://protection-enfance.example/interpellations/reponse/3f9a0c/"
PUBLIC_URL = "https://protection-enfance.example/interpellations/12/"

SAMPLES = {
    "interpellations/emails/vote_opened.txt": lambda: {
        "interpellation": InterpellationFactory(state="voting"),
        "ballot_url": "https://protection-enfance.example/scrutins/7/",
        "closes_at": timezone.now() + timedelta(days=7),
    },
    "interpellations/emails/sent.txt": lambda: {
        "interpellation": sent(),
        "answer_url": ANSWER_URL,
        "public_url": PUBLIC_URL,
    },
    "interpellations/emails/answered.txt": lambda: {
        "interpellation": sent(answered_late=True),
        "public_url": PUBLIC_URL,
    },
    "interpellations/emails/reminder.txt": lambda: {
        "interpellation": sent(due_in=3),
        "days_left": 3,
        "answer_url": ANSWER_URL,
    },
}
