"""Every e-mail of the platform, rendered as it is sent: the signature is always there (who
writes, and 119 / 17 / 112), in the text and the HTML part, and no variable is missing (the
test settings make a missing variable an error).

Each app lists its e-mail templates with a context like the one its services give, in
``tests/<app>/email_samples.py`` (``SAMPLES``: template name -> function returning the context);
a template without a sample fails here, so a new e-mail cannot be forgotten.
"""

import importlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail

from enfance.core import notifications

TEMPLATES = Path(settings.BASE_DIR) / "enfance" / "templates"
TESTS = Path(settings.BASE_DIR) / "tests"
SIGNATURE = "En cas de danger immédiat pour un enfant : 119"


def email_templates() -> list[str]:
    """Our e-mail bodies (partials start with "_"), and allauth's messages we send."""
    names = [
        path.relative_to(TEMPLATES).as_posix()
        for path in sorted(TEMPLATES.glob("*/emails/*.txt"))
        if not path.name.startswith("_")
    ]
    return names + [f"account/email/{name}_message.txt" for name in ALLAUTH_MESSAGES]


# What allauth sends with the platform's settings (verification is mandatory; reset by link).
ALLAUTH_MESSAGES = (
    "email_confirmation",
    "email_confirmation_signup",
    "password_reset_key",
    "unknown_account",
    "account_already_exists",
)


def samples() -> dict:
    found = {}
    for path in sorted(TESTS.glob("*/email_samples.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.email_samples")
        found.update(module.SAMPLES)
    return found


SAMPLES = samples()


@pytest.mark.parametrize("template", email_templates())
def test_every_email_renders_with_the_signature_and_no_missing_variable(db, template):
    assert template in SAMPLES, f"Ajoutez un exemple de contexte pour {template}"
    email = notifications.render(
        template, SAMPLES[template](), subject="Sujet", to=["personne@exemple.fr"]
    )
    assert SIGNATURE in email.text and SIGNATURE in email.html
    body = email.text.split("\n-- \n")[0]
    assert body.strip(), "Le message est vide."
    assert "Ministère de la Protection de l'Enfance" not in body, (
        "La signature est ajoutée par la mise en page : ne la répétez pas dans le message."
    )


def test_a_sample_names_an_existing_email():
    assert set(SAMPLES) <= set(email_templates())


def test_the_html_part_escapes_what_people_wrote_and_links_addresses():
    email = notifications.wrap(
        "Votre texte : <script>alert(1)</script>\nVoir https://exemple.fr/page",
        subject="Essai",
        to="a@exemple.fr",
    )
    assert "<script>" not in email.html and "&lt;script&gt;" in email.html
    assert '<a href="https://exemple.fr/page"' in email.html
    assert email.text.startswith("Votre texte : <script>")


def test_an_email_is_queued_when_the_transaction_commits(db, django_capture_on_commit_callbacks):

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notifications.send(
            "emails/_signature.txt", {}, subject="Essai   sur\nune ligne", to="a@exemple.fr"
        )
        assert mail.outbox == []
    assert len(callbacks) == 1
    (message,) = mail.outbox
    assert message.subject == "Essai sur une ligne"
    assert message.to == ["a@exemple.fr"]
    assert message.alternatives[0][1] == "text/html"
