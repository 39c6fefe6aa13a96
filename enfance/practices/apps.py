from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "enfance.practices"
    label = "practices"
    verbose_name = "Pratiques inspirantes"

    def ready(self):
        from . import signals

        signals.connect()
