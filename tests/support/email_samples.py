from enfance.support.models import SupportRequest

URL = "https://protection-enfance.example/soutien/demandes/12/"


def _request():
    return SupportRequest(pk=12, subject="droits_visite", child_age="6-10")


SAMPLES = {
    "support/emails/request_received.txt": lambda: {"request": _request(), "url": URL},
    "support/emails/request_taken.txt": lambda: {"request": _request(), "url": URL},
    "support/emails/new_message.txt": lambda: {
        "request": _request(),
        "from_parent": True,
        "url": URL,
    },
    "support/emails/testimony_proposed.txt": lambda: {"url": URL},
}
