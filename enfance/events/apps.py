from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "enfance.events"
    label = "events"
    verbose_name = "Forums, ateliers et lives"

    def ready(self):
        from . import signals

        signals.connect()
