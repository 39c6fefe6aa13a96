from django import template

register = template.Library()


@register.simple_tag
def text_url(text, name, *args):
    """The address of a page of a text, under /textes/ or /propositions-de-loi/ by its kind."""
    return text.url(name, *args)
