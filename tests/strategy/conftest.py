import pytest

from enfance.strategy import reference
from enfance.strategy.models import Engagement


@pytest.fixture(autouse=True)
def strategy_loaded(db):
    """The strategy comes with a data migration; a transactional test run before on the same
    worker flushed it: loaded again then."""
    if not Engagement.objects.exists():
        reference.load()
