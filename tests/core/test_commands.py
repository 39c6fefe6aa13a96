import datetime

import pytest
from django.core.management.base import CommandError

from enfance.core.commands import parse_day, parse_moment


def test_a_day_is_read_or_refused_in_french():
    assert parse_day("2026-03-12") == datetime.date(2026, 3, 12)
    assert parse_day("") is None
    with pytest.raises(CommandError, match="Date invalide : « 12/03/2026 »"):
        parse_day("12/03/2026")


def test_a_moment_without_offset_is_paris_time():
    moment = parse_moment("2026-06-01T08:00")
    assert moment.utcoffset() == datetime.timedelta(hours=2)
    assert parse_moment("2026-06-01T08:00+00:00").utcoffset() == datetime.timedelta(0)
    assert parse_moment(None) is None
    with pytest.raises(CommandError, match="Date et heure illisibles"):
        parse_moment("demain")
