from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "enfance.support"
    label = "support"
    verbose_name = "Écoute et soutien des parents"

    def ready(self):
        from enfance.events import audiences
        from enfance.events.enums import EventKind

        from . import groups, signals

        signals.connect()
        audiences.keep(EventKind.GROUPE, members=groups.session_members, home=groups.session_home)
