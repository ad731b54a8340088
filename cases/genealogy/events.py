"""The GEDCOM event and attribute tags Kinship knows, with the labels pages show for them.

One list for the whole app: the timeline, the place index and the event forms read it. Order is
the order of a person's life, so a form's menu reads naturally.
"""

from __future__ import annotations

import re

PERSON_EVENT_TAGS: tuple[tuple[str, str], ...] = (
    ("BIRT", "Birth"),
    ("CHR", "Christening"),
    ("BAPM", "Baptism"),
    ("BLES", "Blessing"),
    ("BARM", "Bar mitzvah"),
    ("BASM", "Bat mitzvah"),
    ("CHRA", "Adult christening"),
    ("CONF", "Confirmation"),
    ("FCOM", "First communion"),
    ("ADOP", "Adoption"),
    ("EDUC", "Education"),
    ("GRAD", "Graduation"),
    ("OCCU", "Occupation"),
    ("RESI", "Residence"),
    ("CENS", "Census"),
    ("RELI", "Religion"),
    ("ORDN", "Ordination"),
    ("TITL", "Title"),
    ("NATI", "Nationality"),
    ("EMIG", "Emigration"),
    ("IMMI", "Immigration"),
    ("NATU", "Naturalisation"),
    ("PROP", "Property"),
    ("RETI", "Retirement"),
    ("WILL", "Will"),
    ("DEAT", "Death"),
    ("BURI", "Burial"),
    ("CREM", "Cremation"),
    ("PROB", "Probate"),
    ("CAST", "Caste"),
    ("DSCR", "Description"),
    ("IDNO", "Identity number"),
    ("SSN", "Social security number"),
    ("NCHI", "Number of children"),
    ("NMR", "Number of marriages"),
    ("EVEN", "Other event"),
    ("FACT", "Other fact"),
)
FAMILY_EVENT_TAGS: tuple[tuple[str, str], ...] = (
    ("ENGA", "Engagement"),
    ("MARB", "Marriage banns"),
    ("MARC", "Marriage contract"),
    ("MARL", "Marriage licence"),
    ("MARS", "Marriage settlement"),
    ("MARR", "Marriage"),
    ("RESI", "Residence"),
    ("CENS", "Census"),
    ("NCHI", "Number of children"),
    ("DIVF", "Divorce filed"),
    ("DIV", "Divorce"),
    ("ANUL", "Annulment"),
    ("EVEN", "Other event"),
    ("FACT", "Other fact"),
)
GENERIC_TAGS = frozenset({"EVEN", "FACT"})
"""Tags whose meaning is their TYPE ("Military service"); the TYPE is then what pages show."""

EVENT_LABELS: dict[str, str] = {
    **dict(PERSON_EVENT_TAGS),
    **dict(FAMILY_EVENT_TAGS),
    "EVEN": "Event",
    "FACT": "Fact",
    # Common extension tags other programs write; read from imports, not offered in forms.
    "_MILT": "Military service",
    "_MDCL": "Medical",
    "_DEG": "Degree",
    "_ELEC": "Elected",
    "_EXCM": "Excommunicated",
    "_FUN": "Funeral",
}


def event_label(tag: str, event_type: str = "") -> str:
    """Return what a reader calls an event: its TYPE for EVEN/FACT, else the tag's label."""
    if tag in GENERIC_TAGS and event_type:
        return event_type
    return EVENT_LABELS.get(tag, tag.title())


# GEDCOM 5.5.1 AGE ("34y", "<1y 6m", "2m 3d", CHILD/INFANT/STILLBORN); 7.0 puts a space after < or >.
_AGE_RE = re.compile(
    r"^(?:[<>] ?)?(?:\d+y(?: \d+m)?(?: \d+w)?(?: \d+d)?|\d+m(?: \d+w)?(?: \d+d)?|\d+w(?: \d+d)?|\d+d)$"
)
_AGE_WORDS = frozenset({"CHILD", "INFANT", "STILLBORN"})


def age_clean(text: str) -> str:
    """Return a GEDCOM AGE from what a person typed ("34" becomes "34y"); raise ValueError when it is none."""
    text = " ".join(text.split())
    if not text:
        return ""
    if text.upper() in _AGE_WORDS:
        return text.upper()
    if text.isdigit():
        return f"{int(text)}y"
    if not _AGE_RE.match(text.lower()):
        raise ValueError(
            f"“{text}” is not an age: write years, months and days like 34y, 2y 6m or 3m 12d, "
            "or CHILD, INFANT or STILLBORN."
        )
    return text.lower()


ATTRIBUTE_TAGS = frozenset(
    {"CAST", "DSCR", "EDUC", "IDNO", "NATI", "NCHI", "NMR", "OCCU", "PROP", "RELI", "RESI", "SSN", "TITL", "FACT"}
)
"""Attributes carry a value ("Carpenter"); other events carry only Y, so their description is a TYPE."""
PERSON_ROW_TAGS = frozenset({"BIRT", "DEAT"})
"""Kept on the person row itself (date, place) and edited with the person, not as separate events."""
