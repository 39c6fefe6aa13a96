from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "enfance.events"
    label = "events"
    verbose_name = "Forums, ateliers et lives"
