from django.apps import AppConfig


class AssembliesConfig(AppConfig):
    name = "enfance.assemblies"
    label = "assemblies"
    verbose_name = "Instances locales"

    def ready(self):
        from . import signals

        signals.connect()
