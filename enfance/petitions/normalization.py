"""One signature per person: the key an e-mail address is compared on.

Case is ignored everywhere, a `+tag` after the local part is dropped (providers deliver
`camille+petition@` to `camille@`), and dots in the local part are dropped where the provider
ignores them (Gmail, whose two domains are one). The address is still written to as typed.
"""

# Providers that ignore dots in the local part, and the domain their addresses are compared on.
DOTLESS_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


def normalise_email(address: str) -> str:
    address = address.strip().lower()
    local, at, domain = address.rpartition("@")
    if not at:
        return address
    domain = domain.rstrip(".")
    # "+tag" only: an address that starts with "+" keeps its local part whole.
    local = local.split("+", 1)[0] or local
    if domain in DOTLESS_DOMAINS:
        local = local.replace(".", "")
        domain = DOTLESS_DOMAINS[domain]
    return f"{local}@{domain}"


def email_domain(address: str) -> str:
    return address.strip().lower().rpartition("@")[2].rstrip(".")
