"""English names of blood relationships, counted in generations to the nearest common ancestor.

``up`` is how many generations the first person climbs to the common ancestor, ``down`` how many the
ancestor's line descends to the second person; the name says what the second person is to the first
(up 2, down 3: "first cousin once removed"). Cousin degrees and removals follow the usual English
convention (degree = the fewer generations minus one; removal = the difference).
"""

from __future__ import annotations

_ORDINALS = ("zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_TIMES = {1: "once", 2: "twice", 3: "three times"}

_WORDS = {  # neutral, male, female
    "child": ("child", "son", "daughter"),
    "parent": ("parent", "father", "mother"),
    "sibling": ("sibling", "brother", "sister"),
    "pibling": ("aunt or uncle", "uncle", "aunt"),
    "nibling": ("niece or nephew", "nephew", "niece"),
    "partner": ("partner", "husband", "wife"),
    "child-in-law": ("child-in-law", "son-in-law", "daughter-in-law"),
    "parent-in-law": ("parent-in-law", "father-in-law", "mother-in-law"),
    "sibling-in-law": ("sibling-in-law", "brother-in-law", "sister-in-law"),
}


def kin_word(kind: str, sex: str = "") -> str:
    """Return the word for a kind of relative in the person's sex ("M", "F"; anything else is neutral)."""
    neutral, male, female = _WORDS[kind]
    return male if sex == "M" else female if sex == "F" else neutral


def ordinal(number: int) -> str:
    """Return "first"…"tenth", then "11th", "12th", "21st"…"""
    return _ORDINALS[number] if number < len(_ORDINALS) else _numbered(number)


def _numbered(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _greats(count: int) -> str:
    """Return "", "great-", "great-great-", then "3rd great-" (as most genealogy programs write it)."""
    if count <= 2:
        return "great-" * max(count, 0)
    return f"{_numbered(count)} great-"


def relationship_name(up: int, down: int, *, sex: str = "", half: bool = False) -> str:
    """Return what the second person is to the first, e.g. "granddaughter", "second cousin twice removed"."""
    if up < 0 or down < 0:
        raise ValueError("generation counts cannot be negative")
    if up == 0 and down == 0:
        return "the same person"
    prefix = "half-" if half and up > 0 and down > 0 else ""
    if up == 0:
        return _greats(down - 2) + ("grand" if down >= 2 else "") + kin_word("child", sex)
    if down == 0:
        return _greats(up - 2) + ("grand" if up >= 2 else "") + kin_word("parent", sex)
    if up == 1 and down == 1:
        return prefix + kin_word("sibling", sex)
    if up == 1:
        return prefix + _greats(down - 3) + ("grand-" if down >= 3 else "") + kin_word("nibling", sex)
    if down == 1:
        return prefix + _greats(up - 2) + kin_word("pibling", sex)
    degree, removed = min(up, down) - 1, abs(up - down)
    name = f"{'half ' if prefix else ''}{ordinal(degree)} cousin"
    if removed:
        name += f" {_TIMES.get(removed, f'{removed} times')} removed"
    return name
