"""The FINESS number of a structure (Fichier national des établissements sanitaires et sociaux,
kept by the Agence du numérique en santé): nine characters, the first two the département
(2A and 2B for Corsica; 97 then a digit overseas), six digits, then a key checked by Luhn's
formula over the whole number. For Corsica, the letters are read as 0 for the key."""

import re

from django.core.exceptions import ValidationError

FINESS_FORMAT = re.compile(r"^(?:\d{2}|2[AB])\d{7}$")


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def normalize_finess(value: str) -> str:
    """As people type it: « 69 078 001 2 », lower case 2a."""
    return "".join(value.split()).upper()


def validate_finess(value: str) -> None:
    number = normalize_finess(value)
    if not FINESS_FORMAT.match(number):
        raise ValidationError(
            "Un numéro FINESS compte neuf caractères : les deux du département (2A ou 2B pour "
            "la Corse), puis sept chiffres. Par exemple : 690780012.",
            code="finess_format",
        )
    if number.startswith("00") or not luhn_valid(number.replace("A", "0").replace("B", "0")):
        raise ValidationError(
            "Ce numéro FINESS n'existe pas : sa clé (le dernier chiffre) ne correspond pas. "
            "Vérifiez-le sur l'avis d'autorisation ou sur finess.esante.gouv.fr.",
            code="finess_key",
        )


SIREN_FORMAT = re.compile(r"^\d{9}$")


def validate_siren(value: str) -> None:
    """A company's SIREN (INSEE's register, a SCIC's number): nine digits, Luhn's key too."""
    number = "".join(value.split())
    if not SIREN_FORMAT.match(number):
        raise ValidationError(
            "Un numéro SIREN compte neuf chiffres, par exemple 732 829 320.", code="siren_format"
        )
    if not luhn_valid(number):
        raise ValidationError(
            "Ce numéro SIREN n'existe pas : sa clé (le dernier chiffre) ne correspond pas. "
            "Vérifiez-le sur l'extrait Kbis ou sur annuaire-entreprises.data.gouv.fr.",
            code="siren_key",
        )
