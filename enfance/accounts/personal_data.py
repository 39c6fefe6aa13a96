"""What the accounts module holds about a person (core.privacy): the account itself, its
addresses, its second factor, its identities at the State's sign-in services, its roles, and the
history of all of these."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount

from enfance.core.privacy import UNTIL_DELETION, Fate, Holding, Processing, declare

from .models import Role, User


def _account(user) -> dict:
    return {
        "prenom": user.first_name,
        "nom": user.last_name,
        "nom_complet_dans_les_instances": user.full_name_in_instances,
        "forme_des_titres": user.get_title_form_display() or "forme officielle",
        "adresse_electronique": user.email,
        "commune": (
            {"code_insee": user.commune.code, "nom": user.commune.name} if user.commune else None
        ),
        "inscrit_le": user.date_joined,
        "derniere_connexion": user.last_login,
    }


def _addresses(user) -> list[dict]:
    return [
        {"adresse": e.email, "verifiee": e.verified, "principale": e.primary}
        for e in EmailAddress.objects.filter(user=user).order_by("pk")
    ]


def _roles(user) -> list[dict]:
    return [
        {
            "role": r.get_kind_display(),
            "perimetre": r.scope_label,
            "attribue_le": r.granted_at,
            "retire_le": r.withdrawn_at,
        }
        for r in user.roles.select_related("region", "departement")
    ]


# The State's sign-in services by their provider id (state_signin): named even when the service
# has been switched off since.
SIGN_IN_SERVICES = {"proconnect": "ProConnect", "franceconnect": "FranceConnect"}


def _state_identities(user) -> list[dict]:
    return [
        {
            "service": SIGN_IN_SERVICES.get(account.provider, account.provider),
            "relie_le": account.date_joined,
        }
        for account in SocialAccount.objects.filter(user=user).order_by("pk")
    ]


def _own_history(user) -> list[dict]:
    return [
        {
            "le": h.history_date,
            "modification": h.get_history_type_display(),
            "prenom": h.first_name,
            "nom": h.last_name,
            "adresse_electronique": h.email,
        }
        for h in User.history.filter(id=user.pk).order_by("history_date")
    ]


def _erase_own_history(user) -> None:
    User.history.filter(id=user.pk).delete()
    Role.history.filter(user_id=user.pk).delete()


def _anonymise_role_history(user) -> None:
    for name in ("granted_by", "withdrawn_by", "history_user"):
        Role.history.filter(**{name: user}).update(**{name: None})


declare(
    "accounts",
    Processing(
        name="Comptes et rôles",
        purpose="Créer votre compte, vous connecter en sécurité, vous écrire, et attribuer les "
        "rôles qui ouvrent des pages particulières (secrétariat d'instance, comité de "
        "sélection, référents, administration).",
        legal_basis="Votre consentement, donné en créant le compte (article 6-1-a du RGPD) ; "
        "vous le retirez en supprimant le compte.",
        data="Prénom, nom, adresse électronique, commune, dates d'inscription et de connexion, "
        "second facteur d'authentification, identités ProConnect ou FranceConnect reliées, "
        "rôles et leur périmètre.",
        people="Toute personne qui crée un compte.",
        recipients="Vous ; les administrateurs nationaux pour les rôles qu'ils attribuent. "
        "Personne d'autre : votre nom public est votre prénom et l'initiale de votre nom.",
        retention="Tant que le compte existe ; tout est effacé avec lui.",
        security="Mots de passe hachés avec Argon2, double authentification obligatoire pour "
        "les rôles qui voient des données sensibles, tentatives de connexion limitées.",
    ),
    Holding(
        "accounts.User",
        "Votre compte : prénom, nom, adresse électronique, commune, dates d'inscription et de "
        "dernière connexion",
        Fate.ERASED,
        UNTIL_DELETION,
        fields=("email", "first_name", "last_name"),
        key="compte",
        export=_account,
        # The account itself goes last, deleted by accounts.services.delete_account.
        erase=lambda user: None,
    ),
    Holding(
        "account.EmailAddress",
        "Vos adresses électroniques et leur vérification",
        Fate.ERASED,
        UNTIL_DELETION,
        links=("user",),
        fields=("email",),
        key="adresses_electroniques",
        export=_addresses,
    ),
    Holding(
        "mfa.Authenticator",
        "Votre double authentification (clé TOTP, codes de secours)",
        Fate.ERASED,
        UNTIL_DELETION,
        links=("user",),
        key="double_authentification",
        export=lambda user: Authenticator.objects.filter(user=user).exists(),
    ),
    Holding(
        "socialaccount.SocialAccount",
        "Vos identités ProConnect ou FranceConnect reliées à votre compte",
        Fate.ERASED,
        UNTIL_DELETION,
        links=("user",),
        key="services_de_connexion",
        export=_state_identities,
    ),
    Holding(
        "accounts.Role",
        "Vos rôles et leur périmètre",
        Fate.ERASED,
        UNTIL_DELETION,
        links=("user",),
        key="roles",
        export=_roles,
    ),
    Holding(
        "accounts.Role",
        "Les rôles que vous avez attribués ou retirés à d'autres personnes",
        Fate.ANONYMISED,
        "Tant que le rôle existe.",
        "Le rôle de l'autre personne reste ; il ne dit plus qui l'a attribué ou retiré. Le "
        "journal des événements en garde la trace.",
        links=("granted_by", "withdrawn_by"),
        key="roles_attribues_a_d_autres",
    ),
    Holding(
        "accounts.HistoricalUser",
        "L'historique des modifications de votre compte (anciens noms et adresses)",
        Fate.ERASED,
        UNTIL_DELETION,
        fields=("email", "first_name", "last_name"),
        key="historique_du_compte",
        export=_own_history,
        erase=_erase_own_history,
    ),
    Holding(
        "accounts.HistoricalUser",
        "Les modifications que vous avez faites au compte d'une autre personne",
        Fate.ANONYMISED,
        "Tant que l'historique de ce compte existe.",
        "La modification reste dans l'historique de l'autre compte, sans votre nom.",
        links=("history_user",),
        key="modifications_d_autres_comptes",
    ),
    Holding(
        "accounts.HistoricalRole",
        "L'historique de vos rôles, et des rôles que vous avez attribués ou retirés",
        Fate.ANONYMISED,
        "Tant que l'historique de ces rôles existe.",
        "L'historique de vos rôles est effacé ; celui des rôles d'autres personnes ne dit plus "
        "qui les a attribués ou retirés.",
        links=("user", "granted_by", "withdrawn_by", "history_user"),
        key="historique_des_roles",
        erase=_anonymise_role_history,
    ),
    Holding(
        "admin.LogEntry",
        "Vos actions dans l'interface d'administration technique",
        Fate.ERASED,
        UNTIL_DELETION,
        "Les décisions restent dans le journal des événements.",
        links=("user",),
        key="actions_d_administration",
    ),
)
