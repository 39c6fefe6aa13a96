from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "enfance.accounts"
    label = "accounts"
    verbose_name = "Comptes et rôles"

    def ready(self):
        from . import perms  # noqa: F401  (registers the permissions with rules)
