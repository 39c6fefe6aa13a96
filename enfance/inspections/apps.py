from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "enfance.inspections"
    label = "inspections"
    verbose_name = "Organe de contrôle : référentiel et inspections"

    def ready(self):
        from . import signals

        signals.connect()
