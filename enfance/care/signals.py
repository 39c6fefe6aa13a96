"""Every write to a structure or its places bumps the version of its département's searches
(``search.places_version``), after it commits: a cached result never outlives a declaration.
Every write to what the public SCIC and transfer pages show bumps their version, so that the
pages served whole to visitors (core.pagecache) are rendered again."""

from django.db.models.signals import post_delete, post_save

from enfance.core.cache import bump_on_commit
from enfance.votes.models import Result

from .models import (
    AnnualReport,
    Associate,
    College,
    Cooperative,
    CooperativeMission,
    GeneralAssembly,
    PlaceCategory,
    RunStructure,
    Structure,
    SupervisionQuestion,
    Transfer,
)
from .search import places_version_name


def _bump(sender, instance, **kwargs):
    departement_id = (
        instance.departement_id if sender is Structure else instance.structure.departement_id
    )
    bump_on_commit(places_version_name(departement_id))


COOPERATIVES_VERSION = "care:cooperatives"
TRANSFERS_VERSION = "care:transfers"
COOPERATIVE_MODELS = (
    Cooperative,
    CooperativeMission,
    Associate,
    College,
    RunStructure,
    GeneralAssembly,
    AnnualReport,
    SupervisionQuestion,
)


def _bump_cooperatives(sender, instance, **kwargs):
    bump_on_commit(COOPERATIVES_VERSION)


def _bump_transfers(sender, instance, **kwargs):
    # A transfer shows on its SCIC's page too.
    bump_on_commit(TRANSFERS_VERSION, COOPERATIVES_VERSION)


def connect() -> None:
    for model in COOPERATIVE_MODELS:
        uid = f"care-scic-{model.__name__}"
        post_save.connect(_bump_cooperatives, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_bump_cooperatives, sender=model, dispatch_uid=f"{uid}-del")
    # A closed vote gives a report its opinion and a transfer its vote: both pages show them.
    post_save.connect(_bump_transfers, sender=Result, dispatch_uid="care-vote-result")
    post_save.connect(_bump_transfers, sender=Transfer, dispatch_uid="care-transfer-save")
    post_delete.connect(_bump_transfers, sender=Transfer, dispatch_uid="care-transfer-del")
    for model in (Structure, PlaceCategory):
        post_save.connect(_bump, sender=model, dispatch_uid=f"care-places-{model.__name__}-save")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"care-places-{model.__name__}-del")
