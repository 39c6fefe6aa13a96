from django.core import mail
from django.core.mail import EmailMultiAlternatives

from enfance.core.tasks import MAX_EMAIL_ATTEMPTS, send_email


def test_a_failed_email_is_retried(monkeypatch):
    real_send = EmailMultiAlternatives.send
    calls = []

    def flaky_send(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("serveur SMTP indisponible")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", flaky_send)
    send_email.enqueue(subject="Essai", body="Texte", to=["a@exemple.fr"])
    assert len(calls) == 2
    assert len(mail.outbox) == 1


def test_an_email_that_keeps_failing_is_given_up(monkeypatch, caplog):
    calls = []

    def broken_send(self, *args, **kwargs):
        calls.append(1)
        raise ConnectionError("serveur SMTP indisponible")

    monkeypatch.setattr(EmailMultiAlternatives, "send", broken_send)
    send_email.enqueue(subject="Essai", body="Texte", to=["a@exemple.fr"])
    assert len(calls) == MAX_EMAIL_ATTEMPTS
    assert f"E-mail abandoned after {MAX_EMAIL_ATTEMPTS} attempts" in caplog.text
    assert mail.outbox == []
