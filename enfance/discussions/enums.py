from django.db import models


class CommentState(models.TextChoices):
    # Written by a minor, or in a space moderated before publication: a moderator reads it first.
    PENDING_MODERATION = "a_moderer", "En attente de modération"
    PUBLISHED = "publie", "Publié"
    # Removed by the moderation: the public reason is shown in its place.
    REMOVED = "retire", "Retiré par la modération"
