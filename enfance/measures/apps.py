from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "enfance.measures"
    label = "measures"
    verbose_name = "Délais d'exécution des mesures"
