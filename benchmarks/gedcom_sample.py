"""Generate a large, realistic GEDCOM 5.5.1 file for benchmarks (deterministic for a seed)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

_GIVEN = ("Anna", "Johann", "Maria", "Pierre", "Élise", "Józef", "Ingrid", "Tomás", "Hannah", "William")
_SURNAMES = ("Müller", "Dubois", "Smith", "Kowalski", "Nilsson", "García", "Rossi", "Ó Briain")
_PLACES = ("Lyon, Rhône, France", "Kraków, Małopolskie, Poland", "Boston, Suffolk, Massachusetts, USA")
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def gedcom_lines(persons: int, *, seed: int = 7) -> Iterator[str]:
    """Yield the lines (without terminators) of a 5.5.1 file with `persons` individuals.

    Persons come in families of two partners and one to five children; every person has a
    name with parts, sex, a dated birth with a place, most have a death, some a multi-line
    note, and each carries an `_UID` extension tag.
    """
    rng = random.Random(seed)
    yield from ("0 HEAD", "1 SOUR KINSHIP_BENCH", "1 GEDC", "2 VERS 5.5.1", "2 FORM LINEAGE-LINKED", "1 CHAR UTF-8")
    person_index = family_index = 0
    while person_index < persons:
        family_index += 1
        members = min(persons - person_index, 2 + rng.randint(1, 5))
        xrefs = [f"@I{person_index + offset + 1}@" for offset in range(members)]
        person_index += members
        surname = rng.choice(_SURNAMES)
        for position, xref in enumerate(xrefs):
            yield from _individual(rng, xref, surname, position, f"@F{family_index}@")
        yield f"0 @F{family_index}@ FAM"
        yield f"1 HUSB {xrefs[0]}"
        if members > 1:
            yield f"1 WIFE {xrefs[1]}"
        for child in xrefs[2:]:
            yield f"1 CHIL {child}"
        yield "1 MARR"
        yield f"2 DATE ABT {rng.randint(1700, 1950)}"
        yield f"2 PLAC {rng.choice(_PLACES)}"
    yield "0 TRLR"


def _individual(rng: random.Random, xref: str, surname: str, position: int, family: str) -> Iterator[str]:
    given = rng.choice(_GIVEN)
    year = rng.randint(1700, 1990)
    yield f"0 {xref} INDI"
    yield f"1 NAME {given} /{surname}/"
    yield f"2 GIVN {given}"
    yield f"2 SURN {surname}"
    yield f"1 SEX {'M' if position == 0 else 'F' if position == 1 else rng.choice('MFU')}"
    yield "1 BIRT"
    yield f"2 DATE {rng.randint(1, 28)} {rng.choice(_MONTHS)} {year}"
    yield f"2 PLAC {rng.choice(_PLACES)}"
    if rng.random() < 0.7:
        yield "1 DEAT"
        yield f"2 DATE BET {year + 40} AND {year + 80}"
    if rng.random() < 0.2:
        yield "1 NOTE Emigrated with the whole household after the harvest failed;"
        yield "2 CONT the parish register records the departure on a feast day."
    yield f"1 {'FAMS' if position < 2 else 'FAMC'} {family}"
    yield f"1 _UID {rng.getrandbits(64):016X}"


def write_sample(path: Path, persons: int, *, seed: int = 7) -> Path:
    """Write a sample file of `persons` individuals to `path` in UTF-8 with LF endings."""
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for line in gedcom_lines(persons, seed=seed):
            handle.write(line + "\n")
    return path
