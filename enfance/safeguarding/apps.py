from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "enfance.safeguarding"
    label = "safeguarding"
    verbose_name = "Signalements de danger"
