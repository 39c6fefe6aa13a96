"""What the support module holds about a person (core.privacy): a parent's requests and their
threads, encrypted; the professionals' part in them; the subjects they answer."""

from enfance.core.privacy import Fate, Holding, Processing, declare

from .enums import RequestStatus
from .models import SupportRequest


def request_data(request: SupportRequest) -> dict:
    """A request with everything written and received in it, as the parent downloads it."""
    return {
        "numero": request.pk,
        "sujet": request.get_subject_display(),
        "departement": request.departement.code,
        "age_de_l_enfant": request.get_child_age_display(),
        "ecrite_le": request.created_at,
        "etat": request.get_status_display(),
        "situation": request.situation,
        "pour_vous_joindre": request.contact,
        "messages": [
            {
                "le": message.created_at,
                "de": "vous" if message.from_parent else "le professionnel",
                "texte": message.body,
                "pieces_jointes": [joined.filename for joined in message.attachments.all()],
            }
            for message in request.messages.all()
        ],
        "lectures_par_un_professionnel": [read.read_at for read in request.reads.all()],
        "temoignages": [
            {"texte": testimony.text, "etat": testimony.get_status_display()}
            for testimony in request.testimonies.all()
        ],
    }


def requests_of(user) -> list[dict]:
    """Every request of the parent with everything written and received in it."""
    return [
        request_data(request)
        for request in SupportRequest.objects.filter(parent=user)
        .select_related("departement")
        .prefetch_related("messages__attachments", "reads")
        .order_by("pk")
    ]


def _back_to_the_queue(user) -> None:
    """A professional who leaves: the requests they followed wait for another one."""
    SupportRequest.objects.filter(handler=user, status=RequestStatus.TAKEN).update(
        handler=None, taken_at=None, status=RequestStatus.NEW
    )
    SupportRequest.objects.filter(handler=user).update(handler=None)


declare(
    "support",
    Processing(
        name="Écoute et soutien des parents",
        purpose="Répondre aux parents qui demandent de l'aide (placement, droits, audiences, "
        "relation avec l'aide sociale à l'enfance) et suivre les délais de réponse.",
        legal_basis="Votre consentement, donné en écrivant la demande (article 6-1-a et, pour ce "
        "qui touche à la santé ou à la justice, article 9-2-a du RGPD) ; vous le retirez en "
        "supprimant la demande.",
        data="Le sujet, le département, la tranche d'âge de l'enfant, ce que vous écrivez et "
        "comment vous joindre (chiffrés), les messages échangés (chiffrés), qui a lu la demande "
        "et quand ; pour les groupes de parole, les groupes que vous avez rejoints, la version de "
        "la charte acceptée, vos inscriptions aux séances.",
        people="Les parents qui écrivent une demande ; les professionnels qui leur répondent.",
        recipients="Le seul professionnel qui suit la demande (juriste, psychologue ou "
        "travailleur social de votre sujet et de votre département, avec double "
        "authentification) ; un référent protection si un danger pour un enfant est révélé.",
        retention="Jusqu'à ce que vous supprimiez la demande, et au plus deux ans après son "
        "dernier message.",
        security="Textes chiffrés dans la base (Fernet, clés hors de la base, rotation) ; chaque "
        "lecture par un professionnel est enregistrée et vous est montrée.",
    ),
    Holding(
        "support.SupportRequest",
        "Vos demandes de soutien, ce que vous y avez écrit et reçu",
        Fate.ERASED,
        "Jusqu'à leur suppression par vous, au plus deux ans après le dernier message.",
        "Elles sont à vous : supprimées avec votre compte, avec leurs messages.",
        links=("parent",),
        key="demandes_de_soutien",
        export=requests_of,
    ),
    Holding(
        "support.SupportRequest",
        "Les demandes que vous avez suivies comme professionnel",
        Fate.ANONYMISED,
        "Celle de la demande.",
        "La demande appartient au parent : elle reste à lui, sans votre nom ; celles que vous "
        "suiviez encore retournent dans la file, pour un autre professionnel.",
        links=("handler",),
        key="demandes_suivies",
        erase=_back_to_the_queue,
    ),
    Holding(
        "support.SupportMessage",
        "Les messages que vous avez écrits",
        Fate.ANONYMISED,
        "Celle de la demande.",
        "Un parent garde les réponses qu'il a reçues ; vos messages de parent partent avec vos "
        "demandes.",
        links=("author",),
        key="messages_de_soutien",
    ),
    Holding(
        "support.RequestRead",
        "Vos lectures de demandes, comme professionnel",
        Fate.ANONYMISED,
        "Celle de la demande.",
        "Le parent garde la trace qu'un professionnel a lu sa demande, sans votre nom.",
        links=("reader",),
        key="lectures_de_demandes",
    ),
    Holding(
        "support.LiveQuestion",
        "Les questions que vous avez posées pour un live, sous pseudonyme",
        Fate.ERASED,
        "Pour la durée du service : elles sont publiques, sous pseudonyme, une fois relues.",
        "Supprimées avec votre compte.",
        links=("author",),
        key="questions_de_lives",
    ),
    Holding(
        "support.LiveQuestion",
        "Les questions que vous avez relues en animant un live",
        Fate.ANONYMISED,
        "Celle de la question.",
        "La question appartient à qui l'a posée : elle reste, sans dire qui l'a relue.",
        links=("moderated_by",),
        key="questions_relues",
    ),
    Holding(
        "support.QuestionSupport",
        "Les questions de lives que vous avez soutenues",
        Fate.ERASED,
        "Pour la durée du service.",
        "Le compte des soutiens de la question garde le vôtre, sans lien vers vous.",
        links=("user",),
        key="soutiens_de_questions",
    ),
    Holding(
        "support.LiveRecord",
        "Les synthèses de lives que vous avez publiées",
        Fate.ANONYMISED,
        "Pour la durée du service : elles sont publiques.",
        "Une synthèse publiée reste pour tous ceux qui n'ont pas pu suivre le live ; elle ne dit "
        "plus qui l'a publiée.",
        links=("published_by",),
        key="syntheses_de_lives",
    ),
    Holding(
        "support.Interlocutor",
        "Les personnes que vous demandez aux services de consulter (noms et coordonnées "
        "chiffrés), et si elles l'ont été",
        Fate.ERASED,
        "Jusqu'à ce que vous les retiriez de votre liste ou supprimiez votre compte.",
        links=("parent",),
        key="personnes_a_consulter",
        export=lambda user: [
            {
                "qui": person.get_role_display(),
                "nom": person.name,
                "pour_la_joindre": person.reach,
                "pourquoi": person.why,
                "consultee": person.consulted,
                "le": person.consulted_on,
            }
            for person in user.interlocutors.all()
        ],
    ),
    Holding(
        "support.Testimony",
        "Les témoignages que vous avez proposés comme professionnel",
        Fate.ANONYMISED,
        "Celle de la demande.",
        "Le témoignage appartient au parent qui l'a accepté ; il ne dit plus qui l'a écrit.",
        links=("proposed_by",),
        key="temoignages_proposes",
    ),
    Holding(
        "support.GroupMembership",
        "Les groupes de parole que vous avez rejoints, la charte acceptée",
        Fate.ERASED,
        "Tant que vous êtes membre ; supprimés avec votre compte.",
        "Seule la personne qui anime le groupe voit qui en est membre ; les autres membres ne le "
        "voient pas.",
        links=("user",),
        key="groupes_de_parole",
        export=lambda user: [
            {
                "groupe": membership.group.title,
                "rejoint_le": membership.joined_at,
                "charte_acceptee": membership.charter_version,
                "parti_le": membership.left_at,
                "motif_du_retrait": membership.removal_reason,
            }
            for membership in user.support_groups.select_related("group")
        ],
    ),
    Holding(
        "support.GroupMembership",
        "Les membres que vous avez retirés d'un groupe que vous animiez",
        Fate.ANONYMISED,
        "Celle de l'adhésion.",
        "Le retrait et son motif restent, sans dire qui l'a décidé.",
        links=("removed_by",),
        key="membres_retires",
    ),
    Holding(
        "support.SupportGroup",
        "Les groupes de parole que vous animez",
        Fate.ANONYMISED,
        "Tant que le groupe existe.",
        "Le groupe reste à ses membres, sans animation jusqu'à ce qu'une autre personne le "
        "reprenne.",
        links=("facilitator",),
        key="groupes_animes",
    ),
    Holding(
        "support.GroupAnnouncement",
        "Les annonces que vous avez publiées dans un groupe",
        Fate.ANONYMISED,
        "Celle du groupe.",
        "Les membres gardent les annonces, sans le nom de qui les a écrites.",
        links=("author",),
        key="annonces_de_groupes",
    ),
    Holding(
        "support.Specialty",
        "Les sujets auxquels vous répondez",
        Fate.ERASED,
        "Tant que vous exercez comme professionnel ou professionnelle sur la plateforme.",
        links=("user",),
        key="sujets_traites",
    ),
)
