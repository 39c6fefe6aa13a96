from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "enfance.discussions"
    label = "discussions"
    verbose_name = "Commentaires et modération"
