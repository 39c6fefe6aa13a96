"""The versions of the référentiel, each loaded from its data file (referentiel/<version>.toml).

A version is loaded once, by a data migration, and never changes: loading a file whose version
is already there with other content is refused. A new wording is a new file, a new version and a
new migration; inspections keep the version they were opened with.
"""

import tomllib
from pathlib import Path

from django.apps import apps as installed_apps

DATA_DIR = Path(__file__).resolve().parent / "referentiel"


class ReferentielChanged(ValueError):
    """A published version's file no longer says what was loaded."""


def read(version: str) -> dict:
    with (DATA_DIR / f"{version}.toml").open("rb") as file:
        return tomllib.load(file)


def _content(data: dict) -> list:
    """What must never change once loaded, in a comparable form."""
    return [
        (
            (theme["code"], theme["title"], theme["summary"], theme["limiting"]),
            [(c["code"], c["text"], c["evidence"], c["imperative"]) for c in theme["criteria"]],
        )
        for theme in data["themes"]
    ]


def _loaded_content(referentiel) -> list:
    return [
        (
            (theme.code, theme.title, theme.summary, theme.limiting),
            [(c.code, c.text, c.evidence, c.imperative) for c in theme.criteria.all()],
        )
        for theme in referentiel.themes.order_by("position").prefetch_related("criteria")
    ]


def load(version: str, *, apps=installed_apps):
    """Load a version from its file (``apps``: the migration's historical models). Returns the
    version, created or already there unchanged; ReferentielChanged if its file was edited."""
    Referentiel = apps.get_model("inspections", "Referentiel")
    Theme = apps.get_model("inspections", "Theme")
    Criterion = apps.get_model("inspections", "Criterion")
    data = read(version)
    if data["version"] != version:
        raise ReferentielChanged(f"Le fichier {version}.toml annonce la version {data['version']}.")
    if sum(theme["limiting"] for theme in data["themes"]) != 1:
        raise ReferentielChanged("Un référentiel a exactement un thème limitant.")
    existing = Referentiel.objects.filter(version=version).first()
    if existing is not None:
        if _loaded_content(existing) != _content(data):
            raise ReferentielChanged(
                f"La version {version} du référentiel est déjà chargée et son fichier a changé : "
                "une version publiée ne change jamais, écrivez-en une nouvelle."
            )
        return existing
    referentiel = Referentiel.objects.create(
        version=version,
        title=data["title"],
        summary=data["summary"],
        published_on=data["published_on"],
        sources=data.get("sources", []),
    )
    for theme_position, theme_data in enumerate(data["themes"], start=1):
        theme = Theme.objects.create(
            referentiel=referentiel,
            code=theme_data["code"],
            title=theme_data["title"],
            summary=theme_data["summary"],
            limiting=theme_data["limiting"],
            position=theme_position,
        )
        Criterion.objects.bulk_create(
            Criterion(
                referentiel=referentiel,
                theme=theme,
                code=criterion["code"],
                text=criterion["text"],
                evidence=criterion["evidence"],
                imperative=criterion["imperative"],
                position=position,
            )
            for position, criterion in enumerate(theme_data["criteria"], start=1)
        )
    return referentiel
