"""The container's HEALTHCHECK (deploy/Containerfile): /healthz of the local granian, asked as the
proxy asks it (a host the settings allow, HTTPS said by X-Forwarded-Proto: production redirects
plain HTTP), so that it answers what a visitor would get. Exit 0 when it says ok, 1 otherwise.
Standard library only: the image has no curl."""

import os
import sys
import urllib.error
import urllib.request


def allowed_host() -> str:
    hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    host = hosts[0] if hosts else "localhost"
    # ".example.fr" allows example.fr and its subdomains; "*" allows anything.
    return "localhost" if host == "*" else host.lstrip(".")


def main() -> int:
    port = os.environ.get("GRANIAN_PORT", "8000")
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz",
        headers={"Host": allowed_host(), "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - fixed URL
            body = response.read().decode()
    except urllib.error.HTTPError as error:
        print(f"/healthz : {error.code} {error.read().decode(errors='replace')}")
        return 1
    except OSError as error:
        print(f"/healthz ne répond pas : {error}")
        return 1
    print(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
