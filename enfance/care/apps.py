from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "enfance.care"
    label = "care"
    verbose_name = "Réseau d'accueil : structures et places"

    def ready(self):
        from . import signals

        signals.connect()
