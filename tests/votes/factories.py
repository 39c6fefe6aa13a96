from datetime import timedelta

from django.utils import timezone

from enfance.votes import services
from enfance.votes.enums import Method
from tests.factories import UserFactory
from tests.testapp.models import VotingBody


def voting_body(*, members=3, public=True, manager=None):
    body = VotingBody.objects.create(
        name="Instance d'essai",
        manager=manager or UserFactory(first_name="Secrétaire"),
        public=public,
    )
    body.members.set([UserFactory() for _ in range(members)])
    return body


def make_ballot(
    body,
    *,
    method=Method.MAJORITY_JUDGMENT,
    options=None,
    secret=True,
    quorum=None,
    opens_in=timedelta(hours=-1),
    lasts=timedelta(days=2),
    **kwargs,
):
    if options is None and method != Method.MAJORITY:
        options = ["Accueil des familles", "Écoute des enfants", "Places d'accueil"]
    opens_at = timezone.now() + opens_in
    return services.create_ballot(
        body,
        by=body.manager,
        title="Priorités du territoire",
        method=method,
        secret=secret,
        opens_at=opens_at,
        closes_at=opens_at + lasts,
        options=options,
        quorum=quorum,
        **kwargs,
    )


def open_ballot(body, **kwargs):
    ballot = make_ballot(body, **kwargs)
    return services.open_ballot(ballot, by=body.manager, electors=body.members.all())
