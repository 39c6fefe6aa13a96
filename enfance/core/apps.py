from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "enfance.core"
    label = "core"
    verbose_name = "Socle"
