from django import template

register = template.Library()


@register.filter
def plural_fr(count, suffixes="s"):
    """French plural: 0 and 1 take the singular ("0 signature"), unlike Django's pluralize.
    `suffixes` is "plural" or "singular,plural"."""
    singular, _, plural = suffixes.rpartition(",")
    try:
        return plural if abs(int(count)) >= 2 else singular
    except (TypeError, ValueError):
        return singular
