from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "enfance.accounts"
    label = "accounts"
    verbose_name = "Comptes et rôles"

    def ready(self):
        from allauth.mfa.models import Authenticator

        from . import facts, perms  # noqa: F401  (perms registers the permissions with rules)
        from .models import Role

        facts.forget_on_change(Role, Authenticator)
