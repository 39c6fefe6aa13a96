from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "enfance.core"
    label = "core"
    verbose_name = "Socle"

    def ready(self):
        # Each app declares the abilities of its models in workflows.py (core.workflow).
        autodiscover_modules("workflows")
        # Each app declares what it holds about a person in personal_data.py (core.privacy).
        autodiscover_modules("personal_data")
        # Each app registers its public datasets in opendata.py (core.opendata).
        autodiscover_modules("opendata")
        # Each app registers its home page sections and search sources in home.py (core.home).
        autodiscover_modules("home")
        # Each app registers its blocks and roles of « Mon espace » in my_space.py (core.my_space).
        autodiscover_modules("my_space")
        # The deploy check that the static files are collected.
        from . import checks  # noqa: F401
