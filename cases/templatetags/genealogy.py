"""Template filters that show genealogical data the way the pages and the chart agree on."""

from __future__ import annotations

from django import template

from cases.genealogy.dates import date_display, date_display_year

register = template.Library()


@register.filter
def gdate(text: str) -> str:
    """Render a stored date phrase for reading ("ABT 1925" → "about 1925")."""
    return date_display(text)


@register.filter
def gyear(text: str) -> str:
    """Render a stored date phrase as the chart's short year ("AFT 1985" → "aft. 1985")."""
    return date_display_year(text)


@register.filter
def other_partner(family, person):
    """Return the family's partner who is not ``person`` (None when there is none)."""
    for partner in (family.partner1, family.partner2):
        if partner is not None and partner.pk != person.pk:
            return partner
    return None
