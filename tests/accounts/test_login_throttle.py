"""Password logins slowed down by address and by account with growing delays, never locked
(enfance/accounts/login_throttle.py, ADR 0011). The clock is stopped: each test moves it."""

import html

import pytest

from enfance.accounts import login_throttle
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = "/comptes/login/"
PASSWORD = "mot-de-passe-solide-2026"
CAP = 15 * 60


class Clock:
    def __init__(self):
        self.now = 1_800_000_000.0

    def advance(self, seconds):
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    stopped = Clock()
    monkeypatch.setattr(login_throttle, "clock", lambda: stopped.now)
    return stopped


@pytest.fixture
def owner(db):
    return UserFactory(email="cible@exemple.fr")


def _try(client, email, password, address="198.51.100.1"):
    """Posts the login form from `address`; returns (logged in, the wait it asks, in seconds)."""
    response = client.post(LOGIN_URL, {"login": email, "password": password}, REMOTE_ADDR=address)
    logged_in = "_auth_user_id" in client.session
    page = html.unescape(response.content.decode())
    wait = None
    if "Trop de tentatives de connexion échouées" in page:
        sentence = page.split("réessayez dans ", 1)[1].split(".", 1)[0]
        number, unit = sentence.split()
        wait = int(number) * (60 if unit.startswith("minute") else 1)
    if logged_in:
        client.logout()
    return logged_in, wait


def test_a_few_mistakes_cost_nothing(client, clock, owner):
    for _ in range(5):
        assert _try(client, "cible@exemple.fr", "mauvais") == (False, None)
    assert _try(client, "cible@exemple.fr", PASSWORD) == (False, 15)


def test_after_the_free_failures_the_owner_waits_then_gets_in(client, clock, owner):
    for _ in range(5):
        _try(client, "cible@exemple.fr", "mauvais")
    # The right password too waits: otherwise the answer would tell a guess is right.
    assert _try(client, "cible@exemple.fr", PASSWORD) == (False, 15)
    clock.advance(14)
    assert _try(client, "cible@exemple.fr", PASSWORD) == (False, 1)
    clock.advance(1)
    assert _try(client, "cible@exemple.fr", PASSWORD) == (True, None)


def test_each_failure_beyond_the_free_ones_doubles_the_wait_up_to_a_quarter_of_an_hour(
    client, clock, owner
):
    for _ in range(5):
        _try(client, "cible@exemple.fr", "mauvais")
    waits = []
    for _ in range(9):
        _, wait = _try(client, "cible@exemple.fr", PASSWORD)
        waits.append(wait)
        clock.advance(wait)
        _try(client, "cible@exemple.fr", "mauvais")
    assert waits == [15, 30, 60, 120, 240, 480, 900, 900, 900]


def test_the_message_says_how_long_to_wait_in_french(client, clock, owner):
    for _ in range(7):
        clock.advance(CAP)
        _try(client, "cible@exemple.fr", "mauvais")
    response = client.post(LOGIN_URL, {"login": "cible@exemple.fr", "password": PASSWORD})
    page = html.unescape(response.content.decode())
    assert (
        "Trop de tentatives de connexion échouées. Par sécurité, réessayez dans 1 minute." in page
    )
    assert [login_throttle.say_duration(s) for s in (1, 45, 60, 61, 900)] == [
        "1 seconde",
        "45 secondes",
        "1 minute",
        "2 minutes",
        "15 minutes",
    ]


def test_attempts_refused_while_waiting_do_not_count(client, clock, owner):
    for _ in range(5):
        _try(client, "cible@exemple.fr", "mauvais")
    for _ in range(50):
        assert _try(client, "cible@exemple.fr", "mauvais")[1] is not None
    clock.advance(15)
    assert _try(client, "cible@exemple.fr", PASSWORD) == (True, None)


def test_a_success_forgets_the_accounts_failures(client, clock, owner):
    # Someone who mistypes now and then, and gets in each time, is not slowed down by it.
    for _ in range(2):
        for _ in range(4):
            _try(client, "cible@exemple.fr", "mauvais")
        assert _try(client, "cible@exemple.fr", PASSWORD) == (True, None)


def test_a_success_on_ones_own_account_does_not_reopen_the_way_for_an_address(client, clock):
    # An address alternating its own account's right password with guesses on others.
    UserFactory(email="moi@exemple.fr")
    for n in range(10):
        _try(client, f"autre-{n}@exemple.fr", "mauvais", address="203.0.113.7")
        if n < 9:
            assert _try(client, "moi@exemple.fr", PASSWORD, address="203.0.113.7")[0]
    assert _try(client, "autre-10@exemple.fr", "mauvais", address="203.0.113.7") == (False, 15)


def test_an_attacker_failing_from_many_addresses_delays_the_owner_by_the_cap_at_most(
    client, clock, owner
):
    # For an hour, hundreds of addresses try a password every 5 seconds between them.
    attempts = 0
    for second in range(0, 3600, 5):
        address = f"203.0.113.{second % 250}" if second % 2 else f"2001:db8:{second:x}::1"
        _, wait = _try(client, "cible@exemple.fr", f"essai-{second}", address=address)
        attempts += wait is None
        # Whenever the owner comes, from a new address, the wait is at most the cap.
        if second % 600 == 0:
            logged_in, owner_wait = _try(client, "cible@exemple.fr", PASSWORD, "192.0.2.50")
            assert logged_in or owner_wait <= CAP
        clock.advance(5)
    # The attacker got a few tries (5 free, then 15 s, 30 s... up to one per quarter of an
    # hour, and 5 again after each time the owner got in), not 720.
    assert attempts <= 25
    # ...and once they stop, the owner is in within the cap, from an address never seen.
    clock.advance(CAP)
    assert _try(client, "cible@exemple.fr", PASSWORD, "192.0.2.99") == (True, None)


def test_an_account_is_slowed_down_for_every_address_but_never_locked(client, clock, owner):
    for n in range(5):
        _try(client, "cible@exemple.fr", "mauvais", address=f"203.0.113.{n}")
    assert _try(client, "cible@exemple.fr", PASSWORD, address="192.0.2.50") == (False, 15)
    # Another account, from the same addresses, is not slowed down.
    UserFactory(email="voisine@exemple.fr")
    assert _try(client, "voisine@exemple.fr", PASSWORD, address="203.0.113.0") == (True, None)
    clock.advance(15)
    assert _try(client, "cible@exemple.fr", PASSWORD, address="192.0.2.50") == (True, None)


def test_an_address_trying_many_accounts_is_slowed_down_and_others_are_not(client, clock):
    # Password spraying: one address, one password, many accounts.
    people = [UserFactory(email=f"personne-{n}@exemple.fr") for n in range(12)]
    for person in people[:10]:
        assert _try(client, person.email, "Soleil2026!", address="203.0.113.7") == (False, None)
    assert _try(client, people[10].email, PASSWORD, address="203.0.113.7") == (False, 15)
    # The same account from another address goes through.
    assert _try(client, people[10].email, PASSWORD, address="198.51.100.1") == (True, None)
    clock.advance(15)
    assert _try(client, people[11].email, PASSWORD, address="203.0.113.7") == (True, None)


def test_an_address_without_an_account_is_slowed_down_alike(client, clock, owner):
    # The answer never tells whether an account exists.
    answers = []
    for email in ("cible@exemple.fr", "personne-inconnue@exemple.fr"):
        for _ in range(5):
            _try(client, email, "mauvais", address=f"198.51.100.{len(answers) + 1}")
        answers.append(_try(client, email, "mauvais", address="192.0.2.50"))
    assert answers == [(False, 15), (False, 15)]


def test_the_account_is_named_whatever_its_case_and_spaces(client, clock, owner):
    for email in ("Cible@Exemple.fr", " cible@exemple.fr", "CIBLE@EXEMPLE.FR", "cible@exemple.fr"):
        _try(client, email, "mauvais")
    _try(client, "cible@exemple.FR", "mauvais")
    assert _try(client, "cible@exemple.fr", PASSWORD, address="192.0.2.50") == (False, 15)
