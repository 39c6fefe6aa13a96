from django.apps import AppConfig


class TextsConfig(AppConfig):
    name = "enfance.texts"
    label = "texts"
    verbose_name = "Textes participatifs et propositions de loi"

    def ready(self):
        from . import signals

        signals.connect()
