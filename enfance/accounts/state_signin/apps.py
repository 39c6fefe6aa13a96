from django.apps import AppConfig


class StateSigninConfig(AppConfig):
    """An app of its own so that allauth finds the provider (it looks for `<app>.provider`)."""

    name = "enfance.accounts.state_signin"
    label = "state_signin"
    verbose_name = "Connexion par les services de l'État"

    def ready(self):
        # Imported here: signal receivers are connected once the apps are loaded.
        from . import signals  # noqa: F401
