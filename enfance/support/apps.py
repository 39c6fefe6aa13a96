from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "enfance.support"
    label = "support"
    verbose_name = "Écoute et soutien des parents"

    def ready(self):
        from . import signals

        signals.connect()
