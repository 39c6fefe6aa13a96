from django.apps import AppConfig


class InterpellationsConfig(AppConfig):
    name = "enfance.interpellations"
    label = "interpellations"
    verbose_name = "Interpellations des institutions"

    def ready(self):
        from . import signals

        signals.connect()
