from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "enfance.strategy"
    label = "strategy"
    verbose_name = "Stratégie nationale et déploiement"
