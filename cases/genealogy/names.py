"""Show personal names as readers expect them, whatever punctuation GEDCOM left in the parts.

GEDCOM keeps the surname between slashes in NAME ("John Fitzgerald /Kennedy/") and separates given
names with commas in GIVN ("John, Fitzgerald"); some programs write surnames in capitals. None of
that belongs on a page.
"""

from __future__ import annotations

import re

GIVEN_SURNAME = "given_surname"
SURNAME_GIVEN = "surname_given"
SURNAME_COMMA_GIVEN = "surname_comma_given"
GIVEN_SURNAME_CAPS = "given_surname_caps"
NAME_FORMATS = {
    GIVEN_SURNAME: "Given Surname",
    SURNAME_GIVEN: "SURNAME, Given",
    SURNAME_COMMA_GIVEN: "Surname, Given",
    GIVEN_SURNAME_CAPS: "Given SURNAME",
}
"""The formats a tree may choose, as webtrees and Gramps offer them; keys are stored, labels shown."""

_SPACES = re.compile(r"\s+")


def name_part_clean(text: str) -> str:
    """Return a name part without GEDCOM slashes, list commas or doubled spaces."""
    text = (text or "").replace("/", " ").replace(",", " ")
    return _SPACES.sub(" ", text).strip()


def surname_clean(text: str) -> str:
    """Return a surname in its recorded case, except an all-capitals one ("KENNEDY") in title case."""
    text = name_part_clean(text)
    if len(text) > 1 and text.isupper():
        # Capitalise after spaces, hyphens and apostrophes only: "O'NEILL-SMITH" -> "O'Neill-Smith".
        text = re.sub(r"[^\s\-']+", lambda match: match.group(0).capitalize(), text.lower())
    return text


def name_display(given: str, surname: str, *, name_format: str = GIVEN_SURNAME) -> str:
    """Return a full name in one of :data:`NAME_FORMATS`; "" when both parts are empty."""
    if name_format not in NAME_FORMATS:
        raise ValueError(f"unknown name format {name_format!r}; use one of {sorted(NAME_FORMATS)}")
    given, surname = name_part_clean(given), surname_clean(surname)
    if name_format in (SURNAME_GIVEN, GIVEN_SURNAME_CAPS):
        surname = surname.upper()
    if name_format in (SURNAME_GIVEN, SURNAME_COMMA_GIVEN):
        # Without a given name there is nothing to put after the comma.
        return f"{surname}, {given}" if surname and given else surname or given
    return " ".join(part for part in (given, surname) if part)
