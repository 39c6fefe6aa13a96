import pytest

from enfance.petitions import services


@pytest.fixture(autouse=True)
def _petition_settings(settings):
    # Every signing drains the e-mail queue at once (no per-process throttle between tests),
    # and the rate limits are those of production unless a test says otherwise.
    settings.PETITION_EMAIL_DRAIN_INTERVAL = 0
    services._last_drain_scheduled = 0.0
