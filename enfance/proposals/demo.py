"""Demo proposals: the seven flagship proposals, citizen proposals with supports and comments,
one under deliberation at the Villeurbanne instance with amendments, one adopted and
transmitted to the national level. Idempotent: a proposal already there is left as it is."""

from django.db import transaction

from enfance.accounts.demo import DEMO_DOMAIN
from enfance.accounts.models import User
from enfance.assemblies.models import Instance, Membership
from enfance.core.demo import DemoReport
from enfance.territories.models import Departement
from enfance.votes import services as votes

from . import services
from .flagship import load_flagship_proposals
from .models import Proposal, Theme

CITIZEN_PROPOSALS = [
    {
        "title": "Une maison des familles dans chaque bassin de vie",
        "problem": "Les parents en difficulté ne savent pas où trouver de l'aide avant que la "
        "situation ne se dégrade : l'aide arrive souvent avec le signalement.",
        "body": "Ouvrir dans chaque bassin de vie une maison des familles, avec des "
        "permanences de psychologues, de juristes et de parents pairs, sans rendez-vous.",
        "expected_effect": "Moins de placements évitables, des parents soutenus plus tôt.",
        "themes": ["prevention"],
        "departement": "69",
    },
    {
        "title": "Un temps d'écoute de l'enfant avant chaque décision de placement",
        "problem": "Des enfants découvrent la décision qui les concerne sans avoir été "
        "entendus, ou seulement en présence des adultes en conflit.",
        "body": "Garantir à chaque enfant capable de discernement un entretien seul avec une "
        "personne de confiance de son choix avant toute décision de placement.",
        "expected_effect": "Des décisions mieux comprises et mieux acceptées par les enfants.",
        "themes": ["droits", "placement"],
        "departement": "",
    },
    {
        "title": "Publier les délais de réponse des services de l'ASE",
        "problem": "Les familles attendent des semaines une réponse sans savoir si ce délai est "
        "normal.",
        "body": "Publier chaque trimestre, par département, les délais de réponse de l'ASE "
        "aux demandes des familles.",
        "expected_effect": "Plus de transparence, et des délais qui raccourcissent.",
        "themes": ["gouvernance", "controle"],
        "departement": "33",
    },
    {
        "title": "Accompagner les jeunes majeurs jusqu'à 25 ans",
        "problem": "À 18 ans, des jeunes de l'ASE se retrouvent sans logement ni soutien.",
        "body": "Garantir un contrat jeune majeur à tout jeune sortant de l'ASE qui le "
        "demande, jusqu'à 25 ans, avec un référent unique.",
        "expected_effect": "Moins de jeunes à la rue à la sortie de l'ASE.",
        "themes": ["placement", "droits"],
        "departement": "69",
    },
]
DELIBERATED = 1  # "Un temps d'écoute…": under deliberation, with amendments
ADOPTED = 3  # "Accompagner les jeunes majeurs…": adopted and transmitted

COMMENTS = [
    "Je suis parent accompagné par l'ASE : un tel lieu m'aurait beaucoup aidée.",
    "Oui, et il faudrait que ces lieux soient ouverts le soir et le samedi.",
    "Comment serait-ce financé ? Par le transfert des budgets départementaux ?",
]


@transaction.atomic
def load(report: DemoReport) -> None:
    flagship = load_flagship_proposals()
    report.lines.append(f"Propositions : {len(flagship)} propositions phares")
    instance = Instance.objects.filter(departement__code="69").order_by("pk").first()
    members = (
        list(
            Membership.objects.current()
            .filter(instance=instance)
            .select_related("user", "seat__college")
            .order_by("pk")
        )
        if instance
        else []
    )
    secretary = next((m.user for m in members if m.role == "secretaire"), None)
    # Adults only: children of the instance do not appear in demo proposals.
    people = [m.user for m in members if m.user != secretary and m.seat.college.min_age is None]
    citizen = User.objects.filter(email=f"citoyen@{DEMO_DOMAIN}").first()
    if citizen is None or len(people) < 4 or secretary is None:
        report.lines.append("Propositions citoyennes non créées : chargez d'abord les instances.")
        return
    themes = {t.slug: t for t in Theme.objects.all()}
    created = []
    for n, spec in enumerate(CITIZEN_PROPOSALS):
        if Proposal.objects.filter(title=spec["title"]).exists():
            continue
        author = people[n % len(people)]
        proposal = services.create_proposal(
            by=author,
            title=spec["title"],
            problem=spec["problem"],
            body=spec["body"],
            expected_effect=spec["expected_effect"],
            departement=Departement.objects.filter(code=spec["departement"]).first(),
            themes=[themes[slug] for slug in spec["themes"]],
        )
        proposal = services.publish_proposal(proposal, by=author)
        for supporter in [citizen, *people[: 3 + n]]:
            if supporter != author:
                services.support(proposal, by=supporter)
        first = None
        for i, text in enumerate(COMMENTS[: 1 + n % 3]):
            comment = services.add_comment(
                proposal, by=people[(n + i + 1) % len(people)], body=text, parent=first
            )
            first = first or comment
        if n == DELIBERATED:
            _deliberate(proposal, instance, secretary, people)
        if n == ADOPTED:
            _adopt(proposal, instance, secretary, people)
        created.append(proposal)
    report.lines.append(
        f"Propositions : {len(created)} propositions citoyennes créées (une en délibération à "
        f"« {instance} », une adoptée et transmise au national)"
    )


def _vote_all(ballot, voters, choice):

    for voter in voters:
        votes.cast_vote(ballot, by=voter, choice=choice)


def _deliberate(proposal, instance, secretary, people):
    proposal = services.take_up(proposal, by=secretary, instance=instance)
    accepted = services.propose_amendment(
        proposal,
        by=people[0],
        part="body",
        new_text="Garantir à chaque enfant capable de discernement un entretien seul avec une "
        "personne de confiance de son choix, et un compte rendu de cet entretien qu'il peut "
        "relire, avant toute décision de placement.",
        rationale="L'enfant doit pouvoir vérifier que sa parole a été fidèlement rapportée.",
    )
    ballot = services.open_amendment_vote(accepted, by=secretary)
    _vote_all(ballot, people[:5], "pour")
    services.conclude_amendment_vote(accepted, by=secretary)
    services.propose_amendment(
        proposal,
        by=people[1],
        part="expected_effect",
        new_text="Des décisions mieux comprises, et moins de ruptures de placement.",
    )


def _adopt(proposal, instance, secretary, people):
    proposal = services.take_up(proposal, by=secretary, instance=instance)
    ballot = services.open_decision_vote(proposal, by=secretary)
    _vote_all(ballot, people[:6], "pour")
    _vote_all(ballot, people[6:7], "contre")
    proposal = services.conclude_decision(proposal, by=secretary)
    services.transmit(proposal, by=secretary)
