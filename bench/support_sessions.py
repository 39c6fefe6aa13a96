"""The signed-in professional of the support module's benchmark pages, on the generated dataset:
a professional of the département (TOTP set up, as the role requires) answering every subject,
handling a generated request with a thread. Made once (idempotent); prints, on one line, the
professional's session key and the request's id, for wrk's Cookie header.

    uv run python bench/support_sessions.py 62
"""

import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
django.setup()

from care_sessions import person, session_key  # noqa: E402

from enfance.support.enums import RequestStatus, Subject  # noqa: E402
from enfance.support.models import Specialty, SupportRequest  # noqa: E402
from enfance.territories.models import Departement  # noqa: E402


def main(code: str) -> None:
    departement = Departement.objects.get(code=code)
    professional = person(f"banc.professionnel.{code}@exemple.fr", "professionnel", departement)
    Specialty.objects.bulk_create(
        [Specialty(user=professional, subject=s) for s in Subject.values], ignore_conflicts=True
    )
    followed = SupportRequest.objects.filter(
        handler=professional, status=RequestStatus.TAKEN
    ).first()
    if followed is None:
        followed = (
            SupportRequest.objects.filter(departement=departement, status=RequestStatus.TAKEN)
            .filter(messages__isnull=False)
            .order_by("pk")
            .first()
        )
        if followed is None:
            sys.exit(f"Aucune demande de soutien générée suivie dans le département {code}.")
        SupportRequest.objects.filter(pk=followed.pk).update(handler=professional)
    print(session_key(professional), followed.pk)


if __name__ == "__main__":
    main(sys.argv[1])
