"""Local OpenID providers standing for ProConnect and FranceConnect: django-allauth's own provider
(`allauth.idp.oidc`) in the small project of tests/oidc_idp/, each started as a separate server
process on a free port with its own database, once per test process, and stopped afterwards.

`LocalProvider.sign_in(authorize_url, email, password)` does what a person does at the provider
(its login form) and returns the address it sends them back to, for the Django test client;
browser tests go through the same pages with Playwright.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings

from config.settings.state_signin import SERVICES, origins

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 90
PASSWORD = "mot-de-passe-du-fournisseur-2026"
CLIENT_SECRET = "secret-du-client-de-test"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class LocalProvider:
    provider_id: str
    userinfo_as_jwt: bool
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="idp-")))
    port: int = 0
    process: subprocess.Popen | None = None

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def client_id(self) -> str:
        return f"plateforme-{self.provider_id}"

    def _env(self) -> dict:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.oidc_idp.settings",
            "IDP_DIR": str(self.folder),
            "IDP_USERINFO_JWT": "1" if self.userinfo_as_jwt else "0",
            "PYTHONPATH": str(ROOT),
        }

    def _manage(self, *args, stdin: str | None = None) -> None:
        subprocess.run(
            [sys.executable, "-m", "django", *args],
            cwd=ROOT,
            env=self._env(),
            input=stdin,
            text=True,
            check=True,
            capture_output=True,
        )

    def start(self, port: int | None = None) -> None:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        (self.folder / "key.pem").write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        self._manage("migrate", "--noinput", "-v0")
        self.port = port or _free_port()
        log = (self.folder / "server.log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{self.port}", "--noreload"],
            cwd=ROOT,
            env=self._env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if requests.get(self.discovery_url, timeout=2).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.stop()
        log_text = (self.folder / "server.log").read_text()[-3000:]
        raise RuntimeError(f"Le fournisseur d'identité de test n'a pas démarré :\n{log_text}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def register(self, *platform_urls: str) -> None:
        """Declare the platform at the provider: its return and post-logout addresses for each
        address it is reached at (the test client's, the live server's)."""
        self.setup(
            clients=[
                {
                    "id": self.client_id,
                    "secret": CLIENT_SECRET,
                    "redirect_uris": [
                        f"{url}/comptes/etat/{self.provider_id}/retour/" for url in platform_urls
                    ],
                    "post_logout_redirect_uris": [f"{url}/" for url in platform_urls],
                }
            ]
        )

    def setup(self, **data) -> None:
        self._manage("idp_setup", stdin=json.dumps(data))

    def app(self) -> dict:
        """The platform's settings entry for this provider, as config/settings/state_signin.py
        builds it from the environment."""
        service = SERVICES[self.provider_id]
        return {
            "provider_id": self.provider_id,
            "name": service["name"],
            "client_id": self.client_id,
            "secret": CLIENT_SECRET,
            "settings": {
                "server_url": self.issuer,
                "scope": service["scope"],
                "auth_params": dict(service["auth_params"]),
            },
        }

    def sign_in(self, authorize_url: str, email: str, password: str = PASSWORD) -> str:
        """A person at the provider: its login form, then back to the platform. Returns the
        return address (on the platform) the provider redirects to."""
        session = requests.Session()
        response = session.get(authorize_url, allow_redirects=False, timeout=10)
        for _ in range(10):
            if response.is_redirect:
                target = urljoin(response.url, response.headers["Location"])
                if not target.startswith(self.issuer):
                    return target
                response = session.get(target, allow_redirects=False, timeout=10)
            elif "/accounts/login/" in response.url:
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
                response = session.post(
                    response.url,
                    data={
                        "csrfmiddlewaretoken": token.group(1),
                        "login": email,
                        "password": password,
                    },
                    headers={"Referer": response.url},
                    allow_redirects=False,
                    timeout=10,
                )
            else:
                break
        raise AssertionError(f"Le fournisseur n'a pas renvoyé vers la plateforme : {response.url}")


# The people each provider knows, created once when it starts (the provider's database lives as
# long as the test process; the platform's is new for each test).
PEOPLE = {
    "proconnect": [
        {"email": "juge@justice.exemple.fr", "first_name": "Hélène", "last_name": "Marchand"},
        {"email": "agent@departement.exemple.fr", "first_name": "Karim", "last_name": "Benali"},
        {"email": "non.verifie@departement.exemple.fr", "verified": False},
    ],
    "franceconnect": [
        {"email": "camille@exemple.fr", "first_name": "Camille", "last_name": "Martin"},
        {"email": "dominique@exemple.fr", "first_name": "Dominique", "last_name": "Roux"},
        {"email": "non.verifiee@exemple.fr", "first_name": "Lou", "verified": False},
    ],
}


def _started(provider_id: str, *, userinfo_as_jwt: bool, port: int | None = None):
    provider = LocalProvider(provider_id, userinfo_as_jwt=userinfo_as_jwt)
    provider.start(port)
    provider.setup(
        users=[
            {"first_name": "", "last_name": "", "verified": True, **person, "password": PASSWORD}
            for person in PEOPLE[provider_id]
        ]
    )
    # The Django test client's address; a browser test adds the live server's.
    provider.register("http://testserver")
    return provider


@pytest.fixture(scope="session")
def proconnect_provider():
    """Stands for ProConnect: user information as a signed JWT, as ProConnect answers."""
    provider = _started("proconnect", userinfo_as_jwt=True)
    yield provider
    provider.stop()


@pytest.fixture(scope="session")
def franceconnect_provider():
    """Stands for FranceConnect (user information as plain JSON: allauth's own reading)."""
    provider = _started("franceconnect", userinfo_as_jwt=False)
    yield provider
    provider.stop()


def switch_on(settings_fixture, *providers) -> None:
    """Turn the given services on for one test, as their environment variables would."""
    apps = [provider.app() for provider in providers]
    settings_fixture.SOCIALACCOUNT_PROVIDERS = {"etat": {"APPS": apps}}
    policy = settings.CONTENT_SECURITY_POLICY
    directives = dict(policy["DIRECTIVES"])
    directives["form-action"] = [*directives["form-action"], *origins(apps)]
    settings_fixture.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}


def main(argv: list[str]) -> None:
    """`uv run python -m tests.oidc_provider proconnect|franceconnect [PORT] [PLATFORM_URL]`:
    the same local provider for trying the buttons with `make run`; prints the variables to
    give the platform and the people who can sign in, and stops with Ctrl-C."""
    provider_id = argv[0] if argv else "franceconnect"
    port = int(argv[1]) if len(argv) > 1 else 8100
    platform = argv[2].rstrip("/") if len(argv) > 2 else "http://127.0.0.1:8000"
    provider = _started(provider_id, userinfo_as_jwt=provider_id == "proconnect", port=port)
    provider.register(platform)
    prefix = SERVICES[provider_id]["env"]
    print(f"Fournisseur local « {SERVICES[provider_id]['name']} » : {provider.issuer}")
    print(f"  export {prefix}_CLIENT_ID={provider.client_id}")
    print(f"  export {prefix}_CLIENT_SECRET={CLIENT_SECRET}")
    print(f"  export {prefix}_ISSUER={provider.issuer}")
    print(f"Personnes (mot de passe {PASSWORD}) :")
    for person in PEOPLE[provider_id]:
        print(f"  {person['email']}")
    signal.signal(signal.SIGTERM, lambda *args: sys.exit(0))
    try:
        provider.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        provider.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
