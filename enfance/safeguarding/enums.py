from django.db import models


class DangerReportState(models.TextChoices):
    OPEN = "a_traiter", "À traiter"
    # A danger confirmed by the referent and passed on to the 119 or a CRIP: the text stays
    # out of public view for good.
    TRANSMITTED = "transmis", "Danger confirmé et transmis"
    # Not a danger: the text is back in public view.
    RESTORED = "retabli", "Pas de danger, contenu rétabli"
