"""A fixed-window rate limit that costs one cache round trip in the usual case.

django-ratelimit, used by the other forms, asks the cache twice per check: `add` (which fails
once the window's counter exists) then `incr`. On the petition's signing path, with Redis, those
four round trips (two limits per signing) were a quarter of a signing's time during a surge.
Incrementing first makes the usual case one round trip per limit; only a window's first hit
adds the counter. Same rates as django-ratelimit: `count/period`, the period in s, m, h or d
with an optional multiplier (`"5/10m"`); a window's counter expires with it.
"""

import hashlib
import ipaddress
import time

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
    try:
        count = cache.incr(key)
    except ValueError:
        # The window's first hit, unless another request added the counter meanwhile.
        count = 1 if cache.add(key, 1, period + _EXPIRY_MARGIN) else cache.incr(key)
    return count > limit


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
