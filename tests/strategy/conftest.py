import pytest

from enfance.strategy import indicators, reference
from enfance.strategy.models import Engagement, OfficialIndicator


@pytest.fixture(autouse=True)
def strategy_loaded(db):
    """The strategy and its official indicators come with data migrations; a transactional test
    run before on the same worker flushed them: loaded again then."""
    if not Engagement.objects.exists():
        reference.load()
    if not OfficialIndicator.objects.exists():
        indicators.load()
