"""The signed-in people of the care network's and the control body's benchmark pages, on the
generated dataset: a magistrate of the département (TOTP set up, as the role requires), the
gestionnaire of its first generated structure and a contrôleur of the département. Made once
(idempotent); prints, on one line, the magistrate's session key, the structure's id, the
gestionnaire's session key and the contrôleur's, for wrk's Cookie header.

    uv run python bench/care_sessions.py 62
"""

import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
django.setup()

from allauth.mfa.models import Authenticator  # noqa: E402
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402

from enfance.accounts.models import Role, User  # noqa: E402
from enfance.care.models import StructureManager  # noqa: E402
from enfance.care.national_data import generated_structures  # noqa: E402
from enfance.territories.models import Departement  # noqa: E402


def person(email: str, kind: str, departement) -> User:
    user, _ = User.objects.get_or_create(
        email=email, defaults={"first_name": "Banc", "last_name": "d'essai"}
    )
    Role.objects.get_or_create(
        user=user, kind=kind, scope_level="departement", departement=departement
    )
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
    return user


def session_key(user: User) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "enfance.accounts.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def main(code: str) -> None:
    departement = Departement.objects.get(code=code)
    magistrate = person(f"banc.magistrat.{code}@exemple.fr", "magistrat", departement)
    structure = generated_structures().filter(departement=departement).order_by("pk").first()
    if structure is None:
        sys.exit(f"Aucune structure générée dans le département {code}.")
    manager = person(f"banc.gestionnaire.{code}@exemple.fr", "gestionnaire_structure", departement)
    StructureManager.objects.get_or_create(structure=structure, user=manager)
    controleur = person(f"banc.controleur.{code}@exemple.fr", "controleur", departement)
    print(session_key(magistrate), structure.pk, session_key(manager), session_key(controleur))


if __name__ == "__main__":
    main(sys.argv[1])
