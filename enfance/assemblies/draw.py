"""The drawing of lots (tirage au sort), reproducible by anyone.

Algorithm (published on every draw page):

1. Each shortlisted application is known by its public code. Its *ticket* is the SHA-256 hash,
   in hexadecimal, of the text ``"<seed>:<code>"`` (UTF-8).
2. Without strata, the applications are sorted by ticket (then by code, should two tickets be
   equal) and the first ``seats`` are drawn, in that order.
3. With strata (a commune, an age band, a gender declared by each applicant), the seats are shared
   between strata in proportion to their number of applicants, by the largest remainder method:
   each stratum gets the whole part of ``seats × size / total``; the seats left go to the
   strata with the largest remainders, a tie going to the stratum whose hash of
   ``"<seed>:strate:<label>"`` is smallest. Inside each stratum, applications are taken by ticket
   as in 2. The drawn list is then sorted by ticket.

Only the standard SHA-256 is used, so the draw can be re-run with any tool, in any language: the
same seed and the same list always give the same result.
"""

import hashlib
from collections.abc import Mapping, Sequence
from fractions import Fraction


def ticket(seed: str, code: str) -> str:
    return hashlib.sha256(f"{seed}:{code}".encode()).hexdigest()


def _by_ticket(seed: str, codes) -> list[str]:
    return sorted(codes, key=lambda code: (ticket(seed, code), code))


def allocate_seats(sizes: Mapping[str, int], seats: int, seed: str) -> dict[str, int]:
    """Seats per stratum, proportional to the stratum sizes (largest remainder method)."""
    total = sum(sizes.values())
    if total == 0:
        return dict.fromkeys(sizes, 0)
    quotas = {label: Fraction(seats * size, total) for label, size in sizes.items()}
    allocation = {label: int(quota) for label, quota in quotas.items()}
    left = seats - sum(allocation.values())
    by_remainder = sorted(
        sizes,
        key=lambda label: (
            -(quotas[label] - allocation[label]),
            hashlib.sha256(f"{seed}:strate:{label}".encode()).hexdigest(),
        ),
    )
    for label in by_remainder[:left]:
        allocation[label] += 1
    return allocation


def draw(
    candidates: Sequence[str],
    seats: int,
    seed: str,
    strata: Mapping[str, str] | None = None,
) -> list[str]:
    """The codes drawn among ``candidates`` for ``seats`` seats, in draw order.

    ``strata`` maps each code to its stratum label; when given, the drawn seats mirror the pool.
    """
    if seats < 0:
        raise ValueError("Le nombre de sièges ne peut pas être négatif.")
    if len(set(candidates)) != len(candidates):
        raise ValueError("Une candidature figure deux fois dans la liste.")
    if seats >= len(candidates):
        return _by_ticket(seed, candidates)
    if not strata:
        return _by_ticket(seed, candidates)[:seats]
    missing = [code for code in candidates if code not in strata]
    if missing:
        raise ValueError(f"Strate inconnue pour : {', '.join(missing)}")
    members: dict[str, list[str]] = {}
    for code in candidates:
        members.setdefault(strata[code], []).append(code)
    allocation = allocate_seats(
        {label: len(codes) for label, codes in members.items()}, seats, seed
    )
    drawn = []
    for label, codes in members.items():
        drawn.extend(_by_ticket(seed, codes)[: allocation[label]])
    return _by_ticket(seed, drawn)
