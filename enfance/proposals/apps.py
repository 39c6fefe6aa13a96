from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "enfance.proposals"
    label = "proposals"
    verbose_name = "Propositions citoyennes"

    def ready(self):
        from . import signals  # noqa: F401
