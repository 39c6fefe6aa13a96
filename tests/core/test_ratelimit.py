"""The one-round-trip rate limit (enfance/core/ratelimit.py)."""

import pytest
from django.core.cache import cache

from enfance.core import ratelimit


@pytest.mark.parametrize(
    ("rate", "expected"),
    [("100/h", (100, 3600)), ("5/10m", (5, 600)), ("1/s", (1, 1)), ("3/2d", (3, 172_800))],
)
def test_rates_read_like_django_ratelimit(rate, expected):
    assert ratelimit.parse_rate(rate) == expected


@pytest.mark.parametrize("rate", ["", "100", "h/100", "100/x", "100/0m", "-1/h", "1.5/h"])
def test_an_unreadable_rate_is_refused(rate):
    with pytest.raises(ValueError, match="Débit non reconnu"):
        ratelimit.parse_rate(rate)


def test_the_limit_is_reached_then_refused_within_the_window():
    outcomes = [ratelimit.exceeded("test", "198.51.100.7", "3/h", now=7200) for _ in range(5)]
    assert outcomes == [False, False, False, True, True]


def test_each_value_and_group_counts_apart():
    for _ in range(2):
        ratelimit.exceeded("test", "a", "2/h", now=7200)
    assert ratelimit.exceeded("test", "a", "2/h", now=7200)
    assert not ratelimit.exceeded("test", "b", "2/h", now=7200)
    assert not ratelimit.exceeded("other", "a", "2/h", now=7200)


def test_a_new_window_starts_from_zero():
    for _ in range(3):
        ratelimit.exceeded("test", "a", "2/h", now=7200)
    assert ratelimit.exceeded("test", "a", "2/h", now=7200 + 3599)
    assert not ratelimit.exceeded("test", "a", "2/h", now=7200 + 3600)


class _RacingCache:
    """The race of a window's first hit: this request's incr finds no counter, another request
    adds it before this one's add, which then fails."""

    def __init__(self):
        self.raced = False

    def incr(self, key, delta=1):
        if not self.raced:
            self.raced = True
            cache.add(key, 1, 60)
            raise ValueError("no counter yet")
        return cache.incr(key, delta)

    def add(self, key, value, timeout):
        return cache.add(key, value, timeout)


def test_a_counter_added_by_another_request_meanwhile_is_incremented(monkeypatch):
    monkeypatch.setattr(ratelimit, "cache", _RacingCache())
    assert not ratelimit.exceeded("test", "a", "2/h", now=7200)  # the other request's hit + this
    assert ratelimit.exceeded("test", "a", "2/h", now=7200)


def test_the_client_address_is_remote_addr_ipv6_per_64(rf):
    assert ratelimit.client_address(rf.get("/", REMOTE_ADDR="198.51.100.7")) == "198.51.100.7"
    request = rf.get("/", REMOTE_ADDR="2001:db8:1:2:aaaa::1")
    assert ratelimit.client_address(request) == "2001:db8:1:2::"


def test_behind_a_proxy_the_client_address_is_the_named_header(rf, settings):
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="203.0.113.9")
    assert ratelimit.client_address(request) == "203.0.113.9"


# Growing delays (Backoff): failed logins, tests/accounts/test_login_throttle.py -----------------


def test_the_delays_double_after_a_few_free_attempts_up_to_a_cap():
    backoff = ratelimit.Backoff("test", free=5, first=15, cap=900)
    assert [backoff.delay(n) for n in range(5)] == [0] * 5
    assert [backoff.delay(n) for n in range(5, 13)] == [15, 30, 60, 120, 240, 480, 900, 900]
    assert backoff.delay(10_000) == 900


def test_a_backoff_counts_and_asks_to_wait_from_the_last_attempt():
    backoff = ratelimit.Backoff("test", free=1, first=10, cap=900)
    assert ratelimit.backoff_attempt([(backoff, "a")], now=1000).wait == 0
    assert ratelimit.backoff_attempt([(backoff, "a")], now=1004).wait == 6
    assert ratelimit.backoff_attempt([(backoff, "b")], now=1004).wait == 0
    assert ratelimit.backoff_attempt([(backoff, "a")], now=1010).wait == 0
    assert ratelimit.backoff_attempt([(backoff, "a")], now=1010).wait == 20


def test_a_success_gives_its_attempt_back_or_wipes_the_count():
    kept = ratelimit.Backoff("kept", free=5, first=10, cap=900)
    wiped = ratelimit.Backoff("wiped", free=5, first=10, cap=900)
    for _ in range(2):
        ratelimit.backoff_attempt([(kept, "a"), (wiped, "a")], now=1000)
    success = ratelimit.backoff_attempt([(kept, "a"), (wiped, "a")], now=1000)
    success.give_back(forget=[wiped])
    assert cache.get(kept.keys("a")[0]) == 2
    assert cache.get(wiped.keys("a")[0]) is None


def test_racing_attempts_beyond_the_free_ones_go_one_at_a_time(monkeypatch):
    # Two requests read the counts at the same moment; the one that counts second waits.
    backoff = ratelimit.Backoff("test", free=2, first=15, cap=900)
    for _ in range(2):
        assert ratelimit.backoff_attempt([(backoff, "x")], now=1000).wait == 0
    read_together = cache.get_many(backoff.keys("x"))
    monkeypatch.setattr(ratelimit.cache, "get_many", lambda keys: read_together)
    # 15 s later, both read the counts left by the first two attempts.
    assert ratelimit.backoff_attempt([(backoff, "x")], now=1015).wait == 0
    assert ratelimit.backoff_attempt([(backoff, "x")], now=1015).wait == 30
    monkeypatch.undo()
    assert cache.get(backoff.keys("x")[0]) == 3
    assert ratelimit.backoff_attempt([(backoff, "x")], now=1029).wait == 16
