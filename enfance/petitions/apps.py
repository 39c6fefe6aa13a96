from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "enfance.petitions"
    label = "petitions"
    verbose_name = "Pétition"
