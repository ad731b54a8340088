"""GEDCOM files written for the tests (a rich 5.5.1 file, a rich 7.0 file) and helper fixtures."""

from __future__ import annotations

import dataclasses

import pytest

RICH_551 = """\
0 HEAD
1 SOUR OTHER_PROGRAM
1 GEDC
2 VERS 5.5.1
2 FORM LINEAGE-LINKED
1 CHAR UTF-8
1 SUBM @U1@
1 _EXPORTED_BY Someone
0 @U1@ SUBM
1 NAME A. Genealogist
0 @I1@ INDI
1 NAME Jean-Pierre /Dubois/ Jr.
2 NPFX Dr.
2 GIVN Jean-Pierre
2 SPFX de
2 SURN Dubois
2 NSFX Jr.
2 NICK Pierrot
2 SOUR @S1@
3 PAGE p. 12
1 NAME Jean /Dubosc/
2 TYPE aka
1 SEX M
1 BIRT
2 DATE ABT 12 MAR 1850
2 PLAC Lyon, Rhône, France
2 SOUR @S1@
3 PAGE folio 3
3 QUAY 2
1 OCCU Carpenter
2 DATE FROM 1870 TO 1890
1 DEAT
2 DATE INT 1901 (the year of the flood)
1 RESI
2 DATE BET 1880 AND 1885
2 PLAC Paris
3 MAP
4 LATI N48.8566
4 LONG E2.3522
1 _MILT Served in the 3rd regiment
2 DATE 1870
2 _UNIT 3rd
1 FAMS @F1@
1 NOTE Emails like jp@@example.org are escaped; this note is long enough that it
2 CONC  needed a CONC line,
2 CONT and a second line.
1 NOTE @N1@
1 OBJE @M1@
0 @I2@ INDI
1 NAME Marie /Martin/
1 SEX F
1 BIRT
2 DATE @#DJULIAN@ 11 FEB 1731/32
1 FAMS @F1@
0 @I3@ INDI
1 NAME Paul /Dubois/
1 SEX M
1 BIRT
2 DATE BEF 1880
1 FAMC @F1@
2 PEDI adopted
0 @I4@ INDI
1 NAME Claire /Dubois/
1 SEX F
1 FAMC @F1@
2 PEDI birth
0 @I5@ INDI
1 NAME Luc /Dubois/
1 SEX U
1 FAMC @F1@
2 PEDI foster
0 @F1@ FAM
1 HUSB @I1@
1 WIFE @I2@
1 CHIL @I3@
1 CHIL @I4@
1 CHIL @I5@
1 MARR
2 DATE 3 JUN 1875
2 PLAC Lyon
1 _STAT Married
0 @N1@ NOTE A shared note
1 CONT on two lines.
0 @S1@ SOUR
1 TITL Parish register of Saint-Jean
1 AUTH Abbé Martin
1 REPO @R1@
0 @R1@ REPO
1 NAME Archives départementales
0 @M1@ OBJE
1 FILE photos/jean.jpg
2 FORM jpg
3 TYPE photo
2 TITL Jean in 1890
0 @X1@ _CUSTOM_RECORD
1 _FIELD kept as is
0 TRLR
"""

RICH_70 = """\
0 HEAD
1 GEDC
2 VERS 7.0
1 SCHMA
2 TAG _MILT https://example.org/milt
0 @I1@ INDI
1 NAME Ada /Lovelace/
2 GIVN Ada
2 SURN Lovelace
1 SEX F
1 BIRT
2 DATE 10 DEC 1815
2 PLAC London
1 DEAT
2 DATE 27 NOV 1852
3 PHRASE the twenty-seventh of November
1 BURI
2 DATE
3 PHRASE shortly after her death
1 _MILT None
1 FAMC @F1@
2 PEDI OTHER
3 PHRASE step
1 SNOTE @N1@
1 NOTE @@mention at the start
1 OBJE @M1@
0 @I2@ INDI
1 NAME George /Byron/
1 SEX M
1 FAMS @F1@
0 @F1@ FAM
1 HUSB @I2@
1 CHIL @I1@
0 @N1@ SNOTE Shared note text
0 @M1@ OBJE
1 FILE media/ada.png
2 FORM image/png
2 TITL Portrait
0 TRLR
"""


def without_lines(value: object) -> object:
    """Return a dataclass tree as plain data with every `line` field removed (for equality)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: without_lines(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name != "line"
        }
    if isinstance(value, list):
        return [without_lines(item) for item in value]
    return value


def gedcom(*record_lines: str, version: str = "5.5.1", char: str = "UTF-8") -> str:
    """Return a minimal valid file around the given record lines."""
    head = ["0 HEAD", "1 GEDC", f"2 VERS {version}"] + ([f"1 CHAR {char}"] if char else [])
    return "\n".join([*head, *record_lines, "0 TRLR"]) + "\n"


@pytest.fixture
def rich_551() -> str:
    """Return the rich 5.5.1 test file as text."""
    return RICH_551


@pytest.fixture
def rich_70() -> str:
    """Return the rich 7.0 test file as text."""
    return RICH_70


@pytest.fixture
def plain():
    """Return `without_lines`."""
    return without_lines


@pytest.fixture
def make_gedcom():
    """Return `gedcom`, the minimal-file builder."""
    return gedcom
