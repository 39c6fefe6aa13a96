"""Methods, grades, states and the transition table of ballots."""

from django.db import models


class Method(models.TextChoices):
    MAJORITY = "majority", "Majorité (pour, contre, abstention)"
    MAJORITY_JUDGMENT = "majority_judgment", "Jugement majoritaire"
    APPROVAL = "approval", "Vote par approbation"
    # A SCIC's general assembly: one vote per associate inside their college, each college's
    # result weighed by its share of the votes (loi du 10 septembre 1947, art. 19 octies).
    COLLEGES = "colleges", "Majorité pondérée par collèges"


class Grade(models.IntegerChoices):
    """The seven grades of jugement majoritaire, from worst to best.

    This is the scale of Mieux Voter (the French association that promotes the method of Balinski
    and Laraki) and the one the issue names: from « À rejeter » to « Excellent ». Balinski and
    Laraki's 2007 Orsay experiment used six (without « Excellent »); seven gives voters a top
    grade above « Très bien ». The value is the rank: a higher value is a better grade.
    """

    A_REJETER = 0, "À rejeter"
    INSUFFISANT = 1, "Insuffisant"
    PASSABLE = 2, "Passable"
    ASSEZ_BIEN = 3, "Assez bien"
    BIEN = 4, "Bien"
    TRES_BIEN = 5, "Très bien"
    EXCELLENT = 6, "Excellent"


GRADE_COUNT = len(Grade)


class MajorityChoice(models.TextChoices):
    """The three options of a majority ballot, in the order they are shown and stored."""

    POUR = "pour", "Pour"
    CONTRE = "contre", "Contre"
    ABSTENTION = "abstention", "Abstention"


class BallotState(models.TextChoices):
    DRAFT = "draft", "En préparation"
    OPEN = "open", "Ouvert"
    CLOSED = "closed", "Clos"
    CANCELLED = "cancelled", "Annulé"


METHOD_EXPLANATIONS = {
    Method.MAJORITY: (
        "Vous répondez pour, contre ou abstention. La proposition est adoptée si elle recueille "
        "plus de voix « pour » que de voix « contre » (majorité des suffrages exprimés : les "
        "abstentions ne comptent ni pour ni contre), et si le quorum est atteint."
    ),
    Method.MAJORITY_JUDGMENT: (
        "Vous donnez une mention à chaque option, de « À rejeter » à « Excellent ». Pour chaque "
        "option, on retient la mention majoritaire : celle qu'au moins la moitié des votants "
        "accorde ou dépasse. L'option la mieux classée est celle qui a la meilleure mention "
        "majoritaire. En cas d'égalité, on retire une à une les mentions majoritaires des options "
        "à égalité jusqu'à ce qu'elles se départagent. Une option laissée sans mention reçoit "
        "« À rejeter »."
    ),
    Method.COLLEGES: (
        "Vous répondez pour, contre ou abstention, dans votre collège. Chaque collège pèse la "
        "part des voix que lui donnent les statuts, quel que soit son nombre de membres : ses "
        "« pour » et ses « contre » comptent pour cette part. Un collège où personne ne s'est "
        "exprimé ne pèse rien, et les autres se partagent sa part à proportion. La résolution est "
        "adoptée si les « pour » pèsent plus de la moitié, et si le quorum est atteint."
    ),
    Method.APPROVAL: (
        "Vous cochez toutes les options que vous approuvez, autant que vous le souhaitez. "
        "L'option qui recueille le plus d'approbations l'emporte."
    ),
}
