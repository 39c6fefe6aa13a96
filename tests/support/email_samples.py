from enfance.support.models import SupportGroup, SupportRequest

URL = "https://protection-enfance.example/soutien/demandes/12/"
GROUP_URL = "https://protection-enfance.example/soutien/groupes/3/"


def _request():
    return SupportRequest(pk=12, subject="droits_visite", child_age="6-10")


def _group():
    return SupportGroup(pk=3, title="Parents d'enfants placés — Lyon")


SAMPLES = {
    "support/emails/request_received.txt": lambda: {"request": _request(), "url": URL},
    "support/emails/request_taken.txt": lambda: {"request": _request(), "url": URL},
    "support/emails/new_message.txt": lambda: {
        "request": _request(),
        "from_parent": True,
        "url": URL,
    },
    "support/emails/testimony_proposed.txt": lambda: {"url": URL},
    "support/emails/group_joined.txt": lambda: {"group": _group(), "url": GROUP_URL},
    "support/emails/group_member_joined.txt": lambda: {"group": _group(), "url": GROUP_URL},
    "support/emails/group_announcement.txt": lambda: {"group": _group(), "url": GROUP_URL},
    "support/emails/group_session.txt": lambda: {
        "group": _group(),
        "when": "mardi 15 décembre 2026 à 18 h 30",
        "event_url": "https://protection-enfance.example/evenements/41/",
    },
    "support/emails/group_removed.txt": lambda: {
        "group": _group(),
        "reason": "Des propos d'un autre membre ont été publiés ailleurs.",
    },
}
