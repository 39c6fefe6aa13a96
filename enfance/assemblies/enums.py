from django.db import models


class InstanceStatus(models.TextChoices):
    EN_CREATION = "en_creation", "En création"
    CONSTITUEE = "constituee", "Constituée"
    ACTIVE = "active", "Active"
    SUSPENDUE = "suspendue", "Suspendue"
    DISSOUTE = "dissoute", "Dissoute"


class CollegeCode(models.TextChoices):
    """The colleges of seed 000. Their bounds are data (the College table), not code."""

    PARENTS = "parents", "Parents"
    GRANDS_PARENTS = "grands_parents", "Grands-parents"
    ENFANTS = "enfants", "Enfants (12-17 ans)"
    EXPERTS = "experts", "Experts"
    ASSOCIATIFS = "associatifs", "Associatifs et citoyens engagés"


class SelectionMethod(models.TextChoices):
    ELU_ATELIER = "elu_atelier", "Élu lors d'un atelier"
    TIRE_AU_SORT = "tire_au_sort", "Tiré au sort"
    COOPTE = "coopte", "Coopté"


class MemberRole(models.TextChoices):
    MEMBRE = "membre", "Membre"
    SECRETAIRE = "secretaire", "Secrétaire"
    ANIMATEUR = "animateur", "Animateur"


class ExpertField(models.TextChoices):
    PSYCHOLOGIE = "psychologie", "Psychologie"
    SANTE = "sante", "Santé"
    EDUCATION = "education", "Éducation"
    DROIT = "droit", "Droit"
    AUTRE = "autre", "Autre"


class EndReason(models.TextChoices):
    TERME = "terme", "Fin du mandat"
    MAJORITE = "majorite", "Majorité atteinte (18 ans)"
    DEMISSION = "demission", "Démission"
    RETRAIT = "retrait", "Retrait par l'instance"


class ConsentMethod(models.TextChoices):
    ECRIT = "ecrit", "Formulaire papier signé"
    EN_LIGNE = "en_ligne", "Formulaire en ligne"
    EN_PERSONNE = "en_personne", "En personne, devant le secrétariat"


class ApplicationStatus(models.TextChoices):
    DEPOSEE = "deposee", "Déposée"
    RETENUE = "retenue", "Retenue"
    NON_RETENUE = "non_retenue", "Non retenue"
    ELUE = "elue", "Élue lors d'un atelier"
    TIREE_AU_SORT = "tiree_au_sort", "Tirée au sort"
    COOPTEE = "cooptee", "Cooptée"
    MEMBRE = "membre", "Devenue membre"


class Gender(models.TextChoices):
    FEMME = "femme", "Femme"
    HOMME = "homme", "Homme"
    AUTRE = "autre", "Autre"


class AgeBand(models.TextChoices):
    MOINS_18 = "moins_18", "Moins de 18 ans"
    DE_18_A_29 = "18_29", "18 à 29 ans"
    DE_30_A_44 = "30_44", "30 à 44 ans"
    DE_45_A_59 = "45_59", "45 à 59 ans"
    DE_60_A_74 = "60_74", "60 à 74 ans"
    PLUS_75 = "75_plus", "75 ans et plus"


class Stratification(models.TextChoices):
    AUCUNE = "", "Aucune (tirage simple)"
    COMMUNE = "commune", "Par commune"
    AGE_BAND = "age_band", "Par tranche d'âge"
    GENDER = "gender", "Par genre déclaré"


class MinutesStatus(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    PUBLIE = "publie", "Publié"


class InstanceProposalStatus(models.TextChoices):
    PROPOSEE = "proposee", "Proposée"
    ACCEPTEE = "acceptee", "Acceptée"
    REFUSEE = "refusee", "Refusée"
