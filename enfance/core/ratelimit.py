"""A fixed-window rate limit that costs one cache round trip in the usual case.

django-ratelimit, used by the other forms, asks the cache twice per check: `add` (which fails
once the window's counter exists) then `incr`. On the petition's signing path, with Redis, those
four round trips (two limits per signing) were a quarter of a signing's time during a surge.
Incrementing first makes the usual case one round trip per limit; only a window's first hit
adds the counter. Same rates as django-ratelimit: `count/period`, the period in s, m, h or d
with an optional multiplier (`"5/10m"`); a window's counter expires with it.

`Backoff` is the other shape: growing delays after repeated attempts (failed logins, ADR 0011),
read in one round trip, counted without a lost update when attempts race.
"""

import contextlib
import hashlib
import ipaddress
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# A counter outlives its window by a few seconds, so that a clock step never reopens it early.
_EXPIRY_MARGIN = 5


def parse_rate(rate: str) -> tuple[int, int]:
    """`"100/h"` → (100, 3600); `"5/10m"` → (5, 600)."""
    count, _, period = rate.partition("/")
    multiplier, unit = period[:-1] or "1", period[-1:]
    if unit not in _UNITS or not count.isdigit() or not multiplier.isdigit() or multiplier == "0":
        raise ValueError(f"Débit non reconnu : {rate!r} (attendu : nombre/période, ex. 100/h)")
    return int(count), int(multiplier) * _UNITS[unit]


def exceeded(group: str, value: str, rate: str, *, now: float | None = None) -> bool:
    """Count one hit of `value` in `group`'s current window; whether it goes over `rate`."""
    limit, period = parse_rate(rate)
    window = int(time.time() if now is None else now) // period
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]
    key = f"ratelimit:{group}:{period}:{window}:{digest}"
    return _increment(key, period + _EXPIRY_MARGIN) > limit


def _increment(key: str, timeout: int) -> int:
    try:
        return cache.incr(key)
    except ValueError:
        # The first hit, unless another request added the counter meanwhile.
        return 1 if cache.add(key, 1, timeout) else cache.incr(key)


@dataclass(frozen=True)
class Backoff:
    """Growing delays: the first `free` attempts of a value (an address, an account) go at once;
    then each one waits, after the previous one, twice as long as the one before, from `first`
    seconds up to `cap`. The count is forgotten `forget` seconds after its first attempt."""

    group: str
    free: int
    first: int
    cap: int
    forget: int = 86_400

    def delay(self, attempts: int) -> int:
        """The wait, after `attempts` counted attempts, before the next one."""
        beyond = attempts - self.free
        if beyond < 0:
            return 0
        return min(self.cap, self.first * 2 ** min(beyond, 32))

    def keys(self, value: str) -> tuple[str, str]:
        digest = hashlib.sha256(value.encode()).hexdigest()[:32]
        return f"backoff:{self.group}:count:{digest}", f"backoff:{self.group}:last:{digest}"


@dataclass(frozen=True)
class BackoffAttempt:
    """`wait`: seconds before the next try (0: this attempt goes on, and counts)."""

    wait: int
    counted: tuple[tuple[Backoff, str], ...] = ()

    def give_back(self, *, forget: Sequence[Backoff] = ()) -> None:
        """A success: its attempt is taken back from each count, rather than the count wiped,
        since a success slipped between failures must not reopen the way (an address's count);
        the counts of the backoffs in `forget` are wiped, where a success shows that the
        failures were the owner's own (an account's)."""
        wiped = [key for backoff, key in self.counted if backoff in forget]
        if wiped:
            cache.delete_many(wiped)
        for backoff, key in self.counted:
            if backoff not in forget:
                # A count forgotten meanwhile has nothing to give back.
                with contextlib.suppress(ValueError):
                    cache.decr(key)


def backoff_attempt(
    limits: Sequence[tuple[Backoff, str]], *, now: float | None = None
) -> BackoffAttempt:
    """Whether an attempt of each `(backoff, value)` may go now, in one round trip when it may
    not; when it may, it is counted (one increment per limit, one write of the time)."""
    now = time.time() if now is None else now
    keys = [(backoff, *backoff.keys(value)) for backoff, value in limits]
    state = cache.get_many(
        [key for _, count_key, last_key in keys for key in (count_key, last_key)]
    )
    wait = 0.0
    for backoff, count_key, last_key in keys:
        if last_key in state:
            wait = max(wait, state[last_key] + backoff.delay(state.get(count_key, 0)) - now)
    if wait > 0:
        return BackoffAttempt(wait=math.ceil(wait))
    # The time first: an attempt racing this one then reads it and waits.
    cache.set_many(
        {last_key: now for _, _, last_key in keys},
        max(backoff.forget for backoff, _, _ in keys),
    )
    counted = []
    for backoff, count_key, _ in keys:
        count = _increment(count_key, backoff.forget)
        counted.append((backoff, count_key))
        if count != state.get(count_key, 0) + 1 and backoff.delay(count - 1) > 0:
            # Another attempt was counted since the read above, and it calls for a wait.
            BackoffAttempt(0, tuple(counted)).give_back()
            return BackoffAttempt(wait=backoff.delay(count - 1))
    return BackoffAttempt(wait=0, counted=tuple(counted))


def client_address(request) -> str:
    """The client's address as django-ratelimit's "ip" key reads it, so that both count alike:
    `REMOTE_ADDR`, or behind a reverse proxy the request header named by
    `settings.RATELIMIT_IP_META_KEY` (e.g. `HTTP_X_REAL_IP`, set by the proxy itself: never a
    header the client could write). IPv4 addresses count one by one, IPv6 ones per /64."""
    meta_key = getattr(settings, "RATELIMIT_IP_META_KEY", None) or "REMOTE_ADDR"
    address = request.META.get(meta_key, "").strip()
    if ":" not in address:
        return address
    return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
