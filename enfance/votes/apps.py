from django.apps import AppConfig


class VotesConfig(AppConfig):
    name = "enfance.votes"
    label = "votes"
    verbose_name = "Votes et élections"
