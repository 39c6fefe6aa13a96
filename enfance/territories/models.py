"""Régions, départements and communes from the official Etalab découpage administratif."""

import unicodedata

from django.db import models
from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.urls import reverse

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_SEPARATORS = str.maketrans(dict.fromkeys("-'’‘_.,;:/()«»\"", " "))


def normalize_name(value: str) -> str:
    """Lower case, accents and ligatures removed, punctuation as spaces: what people type.

    "Saint-Étienne" and "saint etienne" give the same value, as do "Crèvecœur" and "crevecoeur".
    """
    decomposed = unicodedata.normalize("NFKD", value.translate(_LIGATURES))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.translate(_SEPARATORS).lower().split())


class Region(models.Model):
    code = models.CharField("code INSEE", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100)

    class Meta:
        verbose_name = "région"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("territories:region", args=[self.code])

    @property
    def is_outre_mer(self) -> bool:
        # INSEE numbers the five régions d'outre-mer 01 to 06, the others from 11.
        return self.code < "10"


class DepartementQuerySet(models.QuerySet):
    def with_commune_stats(self):
        """Each département with `commune_count` and `population_total`, in the same query."""
        return self.annotate(
            commune_count=Count("communes"), population_total=Sum("communes__population")
        )


class Departement(models.Model):
    code = models.CharField("code INSEE", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100)
    region = models.ForeignKey(
        Region, verbose_name="région", on_delete=models.PROTECT, related_name="departements"
    )

    objects = DepartementQuerySet.as_manager()

    class Meta:
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return reverse("territories:departement", args=[self.code])

    @property
    def is_outre_mer(self) -> bool:
        return len(self.code) == 3


def has_postal_code(code: str) -> Q:
    """Communes whose space-separated `postal_codes` include exactly this code."""
    return (
        Q(postal_codes=code)
        | Q(postal_codes__startswith=f"{code} ")
        | Q(postal_codes__endswith=f" {code}")
        | Q(postal_codes__contains=f" {code} ")
    )


def has_postal_code_prefix(prefix: str) -> Q:
    """Communes with a postal code that starts with these digits."""
    return Q(postal_codes__startswith=prefix) | Q(postal_codes__contains=f" {prefix}")


class CommuneQuerySet(models.QuerySet):
    def matching(self, text: str):
        """Communes whose name or postal code matches what a person typed.

        Words match the name, accents, case and punctuation ignored, anywhere in it ("etienne"
        finds Saint-Étienne); digits match the start of a postal code or of the INSEE code. Both
        may be combined ("lyon 69003", or a suggestion label like "Lyon (69001)").
        """
        needle, numbers = split_query(text)
        queryset = self
        if needle:
            queryset = queryset.filter(search_name__contains=needle)
        for number in numbers:
            queryset = queryset.filter(has_postal_code_prefix(number) | Q(code__istartswith=number))
        return queryset

    def ranked_for(self, text: str):
        """`matching(text)` with the best matches first: the exact name, then names that start
        with the text, then names with a word that starts with it, then the rest; the most
        populated first within each group."""
        needle, _numbers = split_query(text)
        queryset = self.matching(text)
        if not needle:
            return queryset.order_by("-population", "name", "code")
        return queryset.annotate(
            match_rank=Case(
                When(search_name=needle, then=Value(0)),
                When(search_name__startswith=needle, then=Value(1)),
                When(search_name__contains=f" {needle}", then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        ).order_by("match_rank", "-population", "name", "code")


def split_query(text: str) -> tuple[str, list[str]]:
    """The normalized words of a query, and its codes (postal or INSEE, whole or started)."""
    words, numbers = [], []
    for token in normalize_name(text).split():
        is_code = token.isdigit() or (token[:2] in ("2a", "2b") and token[2:].isdigit())
        (numbers if is_code else words).append(token)
    return " ".join(words), numbers


class Commune(models.Model):
    code = models.CharField("code INSEE", max_length=5, unique=True)
    name = models.CharField("nom", max_length=100)
    search_name = models.CharField("nom normalisé", max_length=100, db_index=True)
    departement = models.ForeignKey(
        Departement, verbose_name="département", on_delete=models.PROTECT, related_name="communes"
    )
    postal_codes = models.CharField("codes postaux", max_length=200, blank=True)
    population = models.PositiveIntegerField("population", null=True, blank=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = "commune"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = normalize_name(self.name)
        super().save(*args, **kwargs)

    @property
    def postal_code_list(self) -> list[str]:
        return self.postal_codes.split()

    @property
    def main_postal_code(self) -> str:
        """The first postal code, or the INSEE code for the rare commune without one."""
        return self.postal_codes.split(" ", 1)[0] if self.postal_codes else self.code
