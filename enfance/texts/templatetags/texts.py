from django import template

register = template.Library()


@register.simple_tag
def text_url(text, name, *args):
    """The address of a page of a text, under /textes/ or /propositions-de-loi/ by its kind."""
    return text.url(name, *args)


@register.filter
def pluriel(count, suffix="s"):
    """French plural: 0 and 1 take the singular ("0 article supprimé")."""
    return suffix if count >= 2 else ""
