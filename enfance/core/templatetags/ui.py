"""Template helpers shared by every page."""

import threading
from collections import OrderedDict

from django import template
from django.utils.safestring import mark_safe
from dsfr.forms import DsfrBoundField, DsfrDjangoTemplates
from dsfr.utils import dsfr_input_class_attr

register = template.Library()

_renderer = DsfrDjangoTemplates()


def as_dsfr(form):
    """Give any form (ours, allauth's) the DSFR field markup, once."""
    if getattr(form, "_dsfr_ready", False):
        return form
    form.bound_field_class = DsfrBoundField
    form._bound_fields_cache = {}
    form.renderer = _renderer
    for bound_field in form.visible_fields():
        dsfr_input_class_attr(bound_field)
    form._dsfr_ready = True
    return form


# Markup of the forms that declare ``markup_from_values = True`` (their fields and choices are
# the same for everyone, so the markup follows from the values shown): kept by this process, the
# most recently used first, as a search form is shown again and again with the same few values.
_MARKUP_KEPT = 256
_markup: OrderedDict = OrderedDict()
_markup_lock = threading.Lock()


def _render(form) -> str:
    return as_dsfr(form).render(template_name="dsfr/form_snippet.html")


@register.simple_tag
def dsfr_form(form):
    if not getattr(form, "markup_from_values", False):
        return mark_safe(_render(form))  # noqa: S308
    key = (
        type(form),
        form.prefix,
        form.is_bound,
        tuple(repr(form[name].value()) for name in form.fields),
    )
    with _markup_lock:
        html = _markup.get(key)
        if html is not None:
            _markup.move_to_end(key)
    if html is None:
        html = _render(form)
        with _markup_lock:
            _markup[key] = html
            if len(_markup) > _MARKUP_KEPT:
                _markup.popitem(last=False)
    # Rendered by the form's templates, escaped there.
    return mark_safe(html)  # noqa: S308


@register.inclusion_tag("components/error_summary.html")
def error_summary(form):
    """The list of errors at the top of a form, each linked to its field (RGAA 11.10)."""
    items = []
    if form is not None and form.is_bound and form.errors:
        as_dsfr(form)
        for error in form.non_field_errors():
            items.append({"message": error, "anchor": ""})
        for bound_field in form:
            for error in bound_field.errors:
                items.append(
                    {
                        "message": f"{bound_field.label} : {error}",
                        "anchor": bound_field.id_for_label,
                    }
                )
    return {"items": items}


@register.simple_tag(takes_context=True)
def abilities_of(context, obj):
    """``{% abilities_of comment as abilities %}``: what the person viewing the page may do with
    an object shown in a loop (``obj.abilities(user)``, core.workflow)."""
    return obj.abilities(context["user"])


@register.filter
def pluriel(count, suffixes: str = "s") -> str:
    """French plural: « 0 place », « 1 place », « 2 places » (Django's pluralize makes 0 plural).
    ``suffixes`` is the plural's ending, or « singular,plural » (« l'a,l'ont »)."""
    singular, _, plural = suffixes.rpartition(",")
    try:
        return plural if abs(int(count)) >= 2 else singular
    except (TypeError, ValueError):
        return singular
