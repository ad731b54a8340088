"""Every GEDCOM text the tests use, and the helpers that build or package files.

``RICH_551``/``RICH_70`` exercise the reader and writer (``cases.genealogy``) line by line;
``FILE_551``/``FILE_70`` are what the app-level import, export, API and command tests load (their
persons, events and media are what those tests count); ``MEDIA_FILE`` points at every kind of
media reference; ``BROKEN`` holds malformed files with the line the error must name.
"""

from __future__ import annotations

import io
import zipfile

FILE_551 = """\
0 HEAD
1 SOUR OTHER_PROGRAM
1 GEDC
2 VERS 5.5.1
2 FORM LINEAGE-LINKED
1 CHAR UTF-8
1 SUBM @U1@
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
1 RESI
2 DATE BET 1880 AND 1885
2 PLAC Paris
3 MAP
4 LATI N48.8566
4 LONG E2.3522
1 EVEN
2 TYPE Award
2 DATE CAL 1888
1 CENS
2 DATE EST 1881
1 GRAD
2 DATE AFT 1869
1 EMIG
2 DATE 11 FEB 1731/32
1 IMMI
2 DATE @#DJULIAN@ 3 MAR 1890
1 CHR
2 DATE (in the spring)
1 DEAT
2 DATE INT 1901 (the year of the flood)
1 _MILT Served in the 3rd regiment
2 DATE 1870
2 _UNIT 3rd
1 FAMS @F1@
1 NOTE A note that was long enough that it
2 CONC  needed a CONC line,
2 CONT and a second line.
1 NOTE @N1@
1 SOUR @S1@
2 PAGE p. 12
1 OBJE @M1@
0 @I2@ INDI
1 NAME Marie /Martin/
1 SEX F
1 BIRT
2 DATE BEF 1855
1 DEAT
2 DATE 1920
1 FAMS @F1@
1 OBJE @M2@
0 @I3@ INDI
1 NAME Paul /Dubois/
1 SEX M
1 BIRT
2 DATE 1876
1 DEAT Y
1 FAMC @F1@
2 PEDI adopted
0 @I4@ INDI
1 NAME Claire /Dubois/
1 SEX F
1 BIRT
2 DATE MAR 1878
1 DEAT
2 DATE 1950
1 FAMC @F1@
2 PEDI birth
0 @I5@ INDI
1 NAME Luc /Dubois/
1 SEX U
1 BIRT
2 DATE 1880
1 DEAT
2 DATE 1944
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
1 NOTE Family note
0 @N1@ NOTE A shared note
1 CONT on two lines.
0 @S1@ SOUR
1 TITL Parish register of Saint-Jean
1 AUTH Abbé Martin
1 PUBL Lyon archives
1 REPO @R1@
0 @R1@ REPO
1 NAME Archives départementales
0 @M1@ OBJE
1 FILE photos/jean.jpg
2 FORM jpg
2 TITL Jean in 1890
0 @M2@ OBJE
1 FILE photos/missing.jpg
2 FORM jpg
0 @X1@ _CUSTOM_RECORD
1 _FIELD kept as is
0 TRLR
"""

FILE_70 = """\
0 HEAD
1 GEDC
2 VERS 7.0
1 SCHMA
2 TAG _MILT https://example.org/milt
0 @I1@ INDI
1 NAME Ada /Lovelace/
2 GIVN Ada
2 SURN Lovelace
1 NAME Augusta Ada /Byron/
2 TYPE BIRTH
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
1 BIRT
2 DATE 22 JAN 1788
1 DEAT
2 DATE 19 APR 1824
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


MEDIA_FILE = """\
0 HEAD
1 GEDC
2 VERS 5.5.1
2 FORM LINEAGE-LINKED
1 CHAR UTF-8
0 @I1@ INDI
1 NAME Ada /Lovelace/
1 OBJE @M1@
1 OBJE @M2@
1 OBJE @M3@
1 OBJE @M6@
1 BIRT
2 DATE 1815
2 OBJE @M7@
0 @I2@ INDI
1 NAME William /King/
1 FAMS @F1@
0 @F1@ FAM
1 HUSB @I2@
1 OBJE @M4@
0 @M1@ OBJE
1 FILE media/ada.jpg
2 FORM jpeg
1 FILE media/ada-2.jpg
2 FORM jpeg
0 @M2@ OBJE
1 FILE media/gone.jpg
2 FORM jpeg
0 @M3@ OBJE
1 FILE media/letter.txt
2 FORM txt
0 @M4@ OBJE
1 FILE media/wedding.jpg
2 FORM jpeg
0 @M5@ OBJE
1 FILE media/nobody.jpg
2 FORM jpeg
0 @M6@ OBJE
1 FILE https://example.org/ada.jpg
2 FORM jpeg
0 @M7@ OBJE
1 FILE media/birth.jpg
2 FORM jpeg
0 TRLR
"""

_HEAD = "0 HEAD\n1 GEDC\n2 VERS 5.5.1\n"
BROKEN: dict[str, tuple[str, int]] = {
    "level jump": (_HEAD + "0 @I1@ INDI\n1 NAME A /B/\n3 DATE 1900\n0 TRLR\n", 6),
    "truncated": (_HEAD + "0 @I1@ INDI\n1 NAME A /B/\n", 5),
    "duplicate xref": (_HEAD + "0 @I1@ INDI\n0 @I1@ INDI\n0 TRLR\n", 5),
    "binary": (_HEAD + "0 @I1@ INDI\n1 NAME \x01\x02\x03garbage\n0 TRLR\n", 5),
}
"""Malformed files by what is wrong with them, each with the line number the error must name."""


def gedcom(*record_lines: str, version: str = "5.5.1", char: str = "UTF-8") -> str:
    """Return a minimal valid file around the given record lines."""
    head = ["0 HEAD", "1 GEDC", f"2 VERS {version}"] + ([f"1 CHAR {char}"] if char else [])
    return "\n".join([*head, *record_lines, "0 TRLR"]) + "\n"


def zipped(
    text: str, media: dict[str, bytes], *, name: str = "family/tree.ged", compression: int = zipfile.ZIP_STORED
) -> bytes:
    """Return a .zip holding the file (in a folder) and media at paths relative to it."""
    buffer = io.BytesIO()
    folder = name.rsplit("/", 1)[0] + "/" if "/" in name else ""
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        archive.writestr(name, text.encode("utf-8"))
        for path, data in media.items():
            archive.writestr(folder + path, data)
    return buffer.getvalue()
