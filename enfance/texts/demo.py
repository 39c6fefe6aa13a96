"""Demo texts: the draft charter in consultation, with comments and wording proposals, and a
proposition de loi consolidated from adopted flagship proposals, in two versions."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from enfance.accounts.demo import DEMO_DOMAIN, demo_account
from enfance.accounts.models import User
from enfance.core.demo import DemoReport
from enfance.proposals.models import Proposal

from . import services
from .charter import (
    CHARTER_ARTICLES,
    CHARTER_PREAMBLE,
    CHARTER_SLUG,
    CHARTER_SUMMARY,
    CHARTER_TITLE,
)
from .enums import TextKind
from .models import LawProposal, Text
from .services import ArticleDraft

# How long the demo consultations run from the day the demo is loaded.
CHARTER_CONSULTATION = timedelta(days=60)
LAW_CONSULTATION = timedelta(days=45)

PEOPLE = [("Martine", "Roche"), ("Youssef", "Amrani"), ("Inès", "Caron")]

LAW_TITLE = (
    "Proposition de loi pour une protection de l'enfance plus transparente et plus proche "
    "des familles"
)
# One article per adopted proposal, in the words of a law: the flagship proposals of seed 000
# when an instance has adopted them, otherwise the proposals the proposals demo adopts.
FLAGSHIP_ARTICLES = {
    "Technologies de surveillance douce": "Le recours à des dispositifs connectés pour veiller "
    "à la sécurité d'un enfant à risque n'est possible qu'avec l'accord de ses représentants "
    "légaux et de l'enfant capable de discernement, dans le respect de sa vie privée.",
    "Villages de protection de l'enfance": "Des villages de protection de l'enfance peuvent "
    "être créés pour accueillir parents et enfants ensemble, lors de séjours prolongés "
    "d'observation et d'accompagnement dans un environnement bienveillant.",
    "SCIC pour la protection de l'enfance": "Les missions de protection de l'enfance peuvent "
    "être confiées à des sociétés coopératives d'intérêt collectif associant les collectivités, "
    "les professionnels, les familles et les citoyens du territoire.",
    "Enregistrement des interventions sociales": "Les entretiens entre les services de l'aide "
    "sociale à l'enfance et les familles font l'objet, avec l'accord de celles-ci, d'un "
    "enregistrement audio ou vidéo conservé pour la durée de la mesure. La famille y a accès.",
    "Séjours d'observation prolongés": "Avant toute décision de placement prise hors urgence, "
    "un séjour d'observation de 48 à 72 heures dans un cadre neutre est proposé à la famille "
    "afin d'évaluer les interactions entre les parents et l'enfant.",
    "Consultation élargie des interlocuteurs": "Les services sociaux consultent les "
    "interlocuteurs que la famille désigne pour éclairer sa situation. Le rapport d'évaluation "
    "mentionne les personnes consultées et leur avis.",
    "Organe de contrôle indépendant": "Il est créé un organe national de contrôle indépendant "
    "des structures de protection de l'enfance. Il évalue leur fonctionnement et peut être "
    "saisi par toute personne.",
    # Adopted and transmitted in the proposals demo.
    "Accompagner les jeunes majeurs jusqu'à 25 ans": "Tout jeune sortant de l'aide sociale à "
    "l'enfance qui en fait la demande bénéficie, jusqu'à l'âge de vingt-cinq ans, d'un contrat "
    "jeune majeur comprenant un accompagnement vers le logement et un référent unique.",
}
ENTRY_INTO_FORCE = (
    "La présente loi entre en vigueur le premier jour du sixième mois suivant sa promulgation."
)


def _person(first_name: str, last_name: str) -> User:
    email = f"{first_name.lower().replace('è', 'e')}.{last_name.lower()}@{DEMO_DOMAIN}"
    return demo_account(email, first_name, last_name)


def _charter(admin, citizen, report: DemoReport) -> None:
    if Text.objects.filter(slug=CHARTER_SLUG).exists():
        return
    martine, youssef, ines = (_person(*names) for names in PEOPLE)
    charter = services.create_text(
        by=admin,
        kind=TextKind.CHARTER,
        title=CHARTER_TITLE,
        slug=CHARTER_SLUG,
        summary=CHARTER_SUMMARY,
        preamble=CHARTER_PREAMBLE,
        articles=[ArticleDraft(title=t, body=b) for t, b in CHARTER_ARTICLES],
    )
    # Opened by its transition, like any consultation: dated today, closing in two months.
    charter = services.open_consultation(
        charter, by=admin, closes_on=timezone.localdate() + CHARTER_CONSULTATION
    )
    articles = {a.number: a for a in charter.current_version.articles.select_related("version")}
    for article in articles.values():
        article.version.text = charter
    services.comment_article(
        articles[3],
        by=martine,
        body="Merci pour cet article. Les parents ont besoin d'être écoutés avant la décision, "
        "pas seulement après.",
    )
    services.comment_article(
        articles[5],
        by=youssef,
        body="Comment un enfant placé pourra-t-il s'exprimer s'il n'ose pas parler devant son "
        "éducateur ? Un référent extérieur serait utile.",
    )
    services.comment_article(
        articles[2],
        by=citizen,
        body="Et les assistants familiaux ? Ils connaissent bien les enfants qu'ils accueillent.",
    )
    services.propose_wording(
        articles[6],
        by=ines,
        body="Lorsque l'intérêt de l'enfant le permet, tout est fait pour maintenir et "
        "reconstruire les liens familiaux. Avant une décision, l'évaluation prend le temps "
        "d'observer les relations entre parents et enfants dans un cadre neutre, lors d'un "
        "séjour d'observation de 48 à 72 heures.",
        reason="La charte peut reprendre une des propositions phares : les séjours "
        "d'observation prolongés.",
    )
    services.propose_wording(
        articles[5],
        by=youssef,
        body="L'enfant est entendu sur les décisions qui le concernent, selon son âge et sa "
        "maturité, et peut se faire accompagner d'une personne de confiance extérieure au "
        "service. Les enfants qui participent aux instances le font en sécurité, accompagnés, "
        "et ne sont jamais exposés publiquement.",
        reason="Un enfant parle plus librement avec une personne qu'il a choisie.",
    )
    declined = services.propose_wording(
        articles[1],
        by=citizen,
        body="Chaque enfant a droit à une protection efficace.",
        reason="Plus court, plus facile à retenir.",
    )
    services.decline_proposal(
        declined,
        by=admin,
        reason="La charte garde la mention des droits fondamentaux et de la gouvernance "
        "locale, qui disent comment cette protection est assurée.",
    )
    report.lines.append(
        f"Charte (projet, version 1, {charter.state_label.lower()}) : {charter.url('detail')}"
    )


def _law_proposal(admin, report: DemoReport) -> None:

    if LawProposal.objects.filter(title=LAW_TITLE).exists():
        return
    adopted = Proposal.objects.adopted()
    sources = list(adopted.filter(is_flagship=True).order_by("flagship_rank")) or list(
        adopted.order_by("pk")[:3]
    )
    if not sources:
        report.lines.append(
            "Proposition de loi de démonstration non chargée : aucune proposition n'a été "
            "adoptée par une instance (chargez d'abord les propositions de démonstration)."
        )
        return
    articles = [
        ArticleDraft(body=FLAGSHIP_ARTICLES.get(proposal.title, proposal.body))
        for proposal in sources
    ]
    names = ", ".join(f"« {p.title} »" for p in sources)
    law = services.consolidate_law_proposal(
        by=admin,
        title=LAW_TITLE,
        preamble="Cette proposition de loi est née sur le terrain. Elle rassemble des "
        f"propositions adoptées par les instances locales de protection de l'enfance : {names}."
        "\n\nLes familles demandent à être écoutées, évaluées avec justesse et accompagnées "
        "plutôt que séparées ; les citoyens demandent que la protection de l'enfance rende "
        "compte de ce qu'elle fait. Tel est l'objet de la présente proposition de loi.",
        articles=articles,
        source_proposals=sources,
    )
    current = [
        ArticleDraft(body=a.body, title=a.title, key=a.key)
        for a in law.current_version.articles.all()
    ]
    current[0] = ArticleDraft(
        body=f"{current[0].body} Un décret en Conseil d'État en précise les modalités.",
        key=current[0].key,
    )
    services.publish_version(
        law,
        by=admin,
        summary="Renvoi à un décret pour l'article 1er et ajout d'une date d'entrée en vigueur.",
        articles=[*current, ArticleDraft(body=ENTRY_INTO_FORCE)],
    )
    services.open_consultation(law, by=admin, closes_on=timezone.localdate() + LAW_CONSULTATION)
    report.lines.append(f"Proposition de loi (2 versions, en consultation) : {law.url('compare')}")


@transaction.atomic
def load(report: DemoReport) -> None:
    admin = User.objects.filter(email=f"administrateur.national@{DEMO_DOMAIN}").first()
    citizen = User.objects.filter(email=f"citoyen@{DEMO_DOMAIN}").first()
    if admin is None or citizen is None:
        report.lines.append(
            "Textes de démonstration non chargés : chargez d'abord les comptes de démonstration."
        )
        return
    _charter(admin, citizen, report)
    _law_proposal(admin, report)
