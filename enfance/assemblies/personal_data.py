"""What the instances module holds about a person (core.privacy): applications, mandates, a
child member's date of birth and parental consent, and what they did as a manager."""

from enfance.core.privacy import UNTIL_DELETION, Fate, Holding, Processing, declare

from .models import Application, ChildProfile, Membership
from .services import leave_every_instance


def _mandates(user) -> list[dict]:
    return [
        {
            "instance": m.instance.name,
            "college": m.seat.college.label,
            "role": m.get_role_display(),
            "designation": m.get_selection_method_display(),
            "debut": m.mandate_start,
            "fin_prevue": m.mandate_end,
            "fin_effective": m.ended_on,
            "motif_de_fin": m.get_end_reason_display(),
        }
        for m in Membership.objects.filter(user=user)
        .select_related("instance", "seat__college")
        .order_by("mandate_start", "pk")
    ]


def _leave_and_detach(user) -> None:
    leave_every_instance(by=user)
    Membership.objects.filter(user=user).update(user=None)


def _applications(user) -> list[dict]:
    return [
        {
            "instance": a.instance.name,
            "college": a.college.label,
            "code_public": a.public_code,
            "motivation": a.motivation,
            "etat": a.get_status_display(),
            "commune": a.commune.name if a.commune else None,
            "genre": a.get_gender_display(),
            "tranche_d_age": a.get_age_band_display(),
            "domaine_d_expertise": a.get_expert_field_display(),
            "deposee_le": a.created_at,
        }
        for a in Application.objects.filter(applicant=user)
        .select_related("instance", "college", "commune")
        .order_by("created_at")
    ]


def _child_profile(user) -> dict | None:
    profile = ChildProfile.objects.filter(user=user).first()
    if profile is None:
        return None
    return {
        "date_de_naissance": profile.birth_date,
        "parent_ayant_consenti": profile.consent_parent_name,
        "consentement_donne_le": profile.consent_given_on,
        "forme_du_consentement": profile.get_consent_method_display(),
    }


declare(
    "assemblies",
    Processing(
        name="Instances locales",
        purpose="Composer les instances locales de protection de l'enfance (candidatures, "
        "tirages au sort, élections, cooptations), tenir leurs réunions et publier leurs "
        "décisions.",
        legal_basis="Votre consentement, donné en déposant votre candidature ou en acceptant "
        "un mandat (article 6-1-a du RGPD) ; pour un enfant de moins de 15 ans, celui d'un "
        "parent, enregistré par le secrétariat (article 45 de la loi Informatique et Libertés).",
        data="Candidature (motivation, commune, genre, tranche d'âge, domaine d'expertise), "
        "mandat (collège, rôle, dates), présence aux réunions ; pour un enfant : date de "
        "naissance (jamais affichée) et consentement du parent.",
        people="Les candidates et candidats, les membres des instances, dont des enfants de 12 "
        "à 17 ans, et les parents qui consentent pour eux.",
        recipients="Le public voit la composition de l'instance avec le nom public de chaque "
        "membre (un enfant par son seul prénom) ; le secrétariat de l'instance et les "
        "administrateurs nationaux voient les candidatures.",
        retention="Candidatures et profil d'enfant : jusqu'à la suppression du compte. Mandats : "
        "conservés dans l'histoire de l'instance, sans nom après la suppression du compte.",
        security="Aucun nom ni date de naissance d'enfant dans le journal des événements ; le "
        "tirage au sort publié ne montre que des codes de candidature.",
    ),
    Holding(
        "assemblies.Application",
        "Vos candidatures à une instance (motivation, commune, genre, tranche d'âge)",
        Fate.ERASED,
        UNTIL_DELETION,
        "Un tirage au sort publié garde le code de la candidature, qui ne renvoie plus à personne.",
        links=("applicant",),
        key="candidatures_aux_instances",
        export=_applications,
    ),
    Holding(
        "assemblies.ChildProfile",
        "Pour un membre du collège des enfants : date de naissance et consentement du parent",
        Fate.ERASED,
        UNTIL_DELETION,
        links=("user",),
        fields=("birth_date", "consent_parent_name"),
        key="profil_d_enfant",
        export=_child_profile,
    ),
    Holding(
        "assemblies.ChildProfile",
        "Les consentements parentaux que vous avez enregistrés pour le secrétariat",
        Fate.ANONYMISED,
        "Tant que le profil de l'enfant existe.",
        "Le consentement reste valable ; il ne dit plus qui l'a enregistré.",
        links=("consent_recorded_by",),
        key="consentements_enregistres",
    ),
    Holding(
        "assemblies.Membership",
        "Vos mandats dans les instances (collège, rôle, dates, présences aux réunions)",
        Fate.ANONYMISED,
        "Pour la durée de l'instance.",
        "Un mandat en cours prend fin le jour de la suppression (démission). Les mandats restent "
        "dans l'histoire de l'instance, sans votre nom, pour que les présences et les quorums "
        "de ses réunions passées restent justes.",
        links=("user",),
        key="mandats",
        export=_mandates,
        erase=_leave_and_detach,
    ),
    Holding(
        "assemblies.Minutes",
        "Les comptes rendus publiés des réunions d'une instance où vous avez siégé",
        Fate.KEPT,
        "Pour la durée de l'instance.",
        "Archives publiques de l'instance : un compte rendu publié peut citer les membres "
        "présents ; il reste tel qu'il a été publié.",
    ),
    Holding(
        "assemblies.Instance",
        "Les instances que vous avez créées",
        Fate.ANONYMISED,
        "Pour la durée de l'instance.",
        "L'instance reste ; elle ne dit plus qui l'a créée.",
        links=("created_by",),
        key="instances_creees",
    ),
    Holding(
        "assemblies.Draw",
        "Les tirages au sort que vous avez lancés",
        Fate.ANONYMISED,
        "Pour la durée de l'instance.",
        "Un tirage publié reste vérifiable par tous ; il ne dit plus qui l'a lancé.",
        links=("drawn_by",),
        key="tirages_lances",
    ),
    Holding(
        "assemblies.InstanceProposal",
        "Les instances que vous avez proposées à l'issue d'un forum",
        Fate.ANONYMISED,
        "Tant que la proposition existe.",
        "La proposition reste ; elle ne dit plus qui l'a faite.",
        links=("proposed_by",),
        key="instances_proposees",
    ),
)
