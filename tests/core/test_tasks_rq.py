"""The background jobs on Redis (TASKS_BACKEND=rq): the same task code as on the database
backend, run by an RQ worker against the local Redis server."""

import os

import django_rq
import pytest
import redis
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django_tasks import TaskResultStatus
from django_tasks_rq import Job
from rq import SimpleWorker

from enfance.core import notifications
from enfance.core.tasks import send_email

# One Redis database per test process, emptied before and after: never the cache's or the
# bench's (bench/run.sh uses 14).
_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
RQ_URL = f"redis://127.0.0.1:6379/{8 + _WORKER % 4}"


@pytest.fixture
def rq_queue(settings):
    connection = redis.Redis.from_url(RQ_URL)
    try:
        connection.ping()
    except redis.ConnectionError:
        # CI starts Redis (.ci/run) and says so: there, a missing server is a failure.
        if os.environ.get("REQUIRE_REDIS"):
            pytest.fail(f"Redis ne répond pas à {RQ_URL}")
        pytest.skip(f"Redis ne répond pas à {RQ_URL}")
    connection.flushdb()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": RQ_URL}}
    yield django_rq.get_queue("default", job_class=Job)
    connection.flushdb()


def work(queue):
    """What `manage.py rqworker --with-scheduler --job-class django_tasks_rq.Job default` does,
    in this process (so that the e-mails land in mail.outbox), until the queue is empty."""
    worker = django_rq.get_worker("default", job_class=Job, worker_class=SimpleWorker)
    worker.work(burst=True, with_scheduler=False)


def test_an_email_task_waits_in_redis_until_a_worker_sends_it(rq_queue):
    result = send_email.enqueue(subject="Essai", body="Texte", to=["a@exemple.fr"])

    assert rq_queue.count == 1
    assert mail.outbox == []
    work(rq_queue)

    assert [message.to for message in mail.outbox] == [["a@exemple.fr"]]
    assert send_email.get_result(result.id).status == TaskResultStatus.SUCCESSFUL
    assert rq_queue.count == 0


@pytest.mark.django_db
def test_a_platform_email_goes_through_redis_once_its_transaction_commits(
    rq_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notifications.enqueue(
            notifications.wrap(
                "Votre inscription est confirmée.", subject="Votre inscription", to="c@exemple.fr"
            )
        )
    assert rq_queue.count == 1
    work(rq_queue)
    assert [message.subject for message in mail.outbox] == ["Votre inscription"]


def test_a_failed_email_is_deferred_in_redis_for_a_later_attempt(rq_queue, monkeypatch):
    def broken_send(self, *args, **kwargs):
        raise ConnectionError("serveur SMTP indisponible")

    monkeypatch.setattr(EmailMultiAlternatives, "send", broken_send)
    send_email.enqueue(subject="Essai", body="Texte", to=["a@exemple.fr"])
    work(rq_queue)

    # The retry waits in RQ's scheduled registry, two minutes away, rather than in a loop.
    assert rq_queue.scheduled_job_registry.count == 1
    assert mail.outbox == []
