from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "enfance.territories"
    label = "territories"
    verbose_name = "Territoires"
