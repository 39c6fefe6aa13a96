"""What the page of a confirmed signature offers to spread the petition: an e-mail written in
advance and the petition's address to copy. Plain links, no third-party script (PRODUCT.md:
nothing leaves the platform without the person's own gesture)."""

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from enfance.core.notifications import absolute_url

from .models import Petition


@dataclass(frozen=True)
class Share:
    url: str
    mailto: str


def share_links(petition: Petition) -> Share:
    # The site's own address (SITE_URL), never the Host header of the request.
    url = absolute_url(petition.get_absolute_url())
    subject = f"Signez la pétition « {petition.title} »"
    body = (
        "Bonjour,\n\n"
        f"Je viens de signer la pétition « {petition.title} ». Vous pouvez la lire et la signer "
        f"à votre tour à cette adresse :\n{url}\n\n"
        "Chaque signature compte. Merci de la faire connaître autour de vous."
    )
    # Mail clients read « + » as a plus sign: spaces are written %20 (RFC 6068).
    return Share(
        url=url, mailto="mailto:?" + urlencode({"subject": subject, "body": body}, quote_via=quote)
    )
