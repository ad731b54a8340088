"""Plain dataclasses for what Kinship maps from GEDCOM; what it does not map stays as raw nodes.

Every object keeps `xref` (the GEDCOM id, stable across a re-import of the same file, so the app can
detect duplicates) and `line` (where it started, for error messages). `extra` holds substructures
Kinship does not model (extension `_TAGS`, unknown or unmapped tags) exactly as read, and the
writer puts them back, so an import → export round trip gives them back.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from cases.genealogy.dates import GenealogicalDate, parse_genealogical_date
from cases.genealogy.gedcom.errors import GedcomIssue
from cases.genealogy.gedcom.lines import GedcomNode

PEDIGREES = ("birth", "adopted", "foster", "step", "sealing", "unknown")  # "unknown": no PEDI given
SEXES = ("M", "F", "X", "U")


NO_DATE = parse_genealogical_date("")


def _no_date() -> GenealogicalDate:
    return NO_DATE


@dataclass(slots=True)
class Citation:
    """A reference to a source (`source` xref) with a page, or an inline 5.5.1 source description."""

    source: str = ""  # "@S1@"; "" for an inline source (or a 7.0 SOUR @VOID@)
    page: str = ""  # PAGE: where in the source ("folio 3")
    text: str = ""  # the description of an inline source; DATA, QUAY… of a real citation stay in `extra`
    notes: list[Note] = field(default_factory=list)
    extra: list[GedcomNode] = field(default_factory=list)


@dataclass(slots=True)
class Note:
    """A note: inline text, or a shared note record (`xref` set) that several objects point at."""

    text: str = ""
    xref: str = ""  # set on shared NOTE (5.5.1) / SNOTE (7.0) records
    pointer: str = ""  # set on a reference to a shared note; `text` is then ""
    citations: list[Citation] = field(default_factory=list)
    extra: list[GedcomNode] = field(default_factory=list)
    line: int = 0


@dataclass(slots=True)
class Event:
    """An event (BIRT, DEAT, MARR…) or attribute (OCCU, RESI…) of a person or a family."""

    tag: str  # GEDCOM tag: "BIRT", "DEAT", "OCCU", "EVEN", "FACT", "_MILT"…
    value: str = ""  # attribute value ("Carpenter") or "Y" on events asserted without details
    type: str = ""  # TYPE: the kind of a generic EVEN/FACT, or a refinement
    date: GenealogicalDate = field(default_factory=_no_date)
    place: str = ""  # PLAC as written: "Town, County, State, Country"
    notes: list[Note] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    media: list[str] = field(default_factory=list)  # OBJE xrefs
    extra: list[GedcomNode] = field(default_factory=list)
    line: int = 0


@dataclass(slots=True)
class PersonName:
    """One name of a person; GEDCOM allows several (birth name, married name, aka)."""

    full: str  # NAME payload, surname between slashes: "Élise /Müller/"
    given: str = ""  # GIVN, or the text before the slashes
    surname: str = ""  # SURN, or the text between the slashes
    prefix: str = ""  # NPFX: "Dr."
    surname_prefix: str = ""  # SPFX: "van", "de"
    suffix: str = ""  # NSFX: "Jr.", or the text after the slashes
    nickname: str = ""  # NICK
    type: str = ""  # TYPE: "birth", "married", "aka", "BIRTH" (7.0 enumerations are upper case)
    citations: list[Citation] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    extra: list[GedcomNode] = field(default_factory=list)


@dataclass(slots=True)
class FamilyLink:
    """A person's membership of a family as a child (FAMC) with its pedigree, or as a partner (FAMS)."""

    family: str  # "@F1@"
    pedigree: str = "unknown"  # one of PEDIGREES; only meaningful for FAMC
    extra: list[GedcomNode] = field(default_factory=list)


@dataclass(slots=True)
class Individual:
    """An INDI record."""

    xref: str
    names: list[PersonName] = field(default_factory=list)
    sex: str = ""  # one of SEXES, "" when absent
    events: list[Event] = field(default_factory=list)  # events and attributes in file order
    child_of: list[FamilyLink] = field(default_factory=list)  # FAMC
    partner_in: list[FamilyLink] = field(default_factory=list)  # FAMS
    notes: list[Note] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    media: list[str] = field(default_factory=list)  # OBJE xrefs, the first is the primary photo
    extra: list[GedcomNode] = field(default_factory=list)
    line: int = 0


@dataclass(slots=True)
class ChildLink:
    """A child of a family with how they belong to it."""

    individual: str  # "@I3@"
    pedigree: str = "unknown"  # from the child's FAMC.PEDI; one of PEDIGREES
    extra: list[GedcomNode] = field(default_factory=list)


@dataclass(slots=True)
class Family:
    """A FAM record: up to two partners, children and family events (MARR, DIV…)."""

    xref: str
    partner1: str = ""  # HUSB xref
    partner2: str = ""  # WIFE xref
    children: list[ChildLink] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    media: list[str] = field(default_factory=list)
    extra: list[GedcomNode] = field(default_factory=list)
    line: int = 0


@dataclass(slots=True)
class Source:
    """A SOUR record."""

    xref: str
    title: str = ""
    author: str = ""
    publication: str = ""
    text: str = ""
    abbreviation: str = ""
    notes: list[Note] = field(default_factory=list)
    extra: list[GedcomNode] = field(default_factory=list)
    line: int = 0


@dataclass(slots=True)
class MediaFile:
    """One FILE of a multimedia object: a path or URL, its format and title."""

    path: str  # relative path inside a .zip/.gdz, absolute path, or URL, as written
    format: str = ""  # normalized lower-case extension-like format: "jpeg", "png", "pdf"
    media_type: str = ""  # MIME type when known: "image/jpeg"
    title: str = ""
    extra: list[GedcomNode] = field(default_factory=list)


@dataclass(slots=True)
class MediaObject:
    """An OBJE record (embedded 5.5.1 OBJE structures become records with a generated xref)."""

    xref: str
    files: list[MediaFile] = field(default_factory=list)
    title: str = ""
    notes: list[Note] = field(default_factory=list)
    extra: list[GedcomNode] = field(default_factory=list)
    line: int = 0


@dataclass(slots=True)
class GedcomDocument:
    """A whole GEDCOM file: the records Kinship maps, the ones it keeps raw, and what went wrong."""

    version: str = "5.5.1"  # GEDC.VERS as read ("5.5.1", "5.5.5", "7.0", "7.0.14"…)
    encoding: str = "utf-8"  # Python codec the file was read with ("gedcom" means ANSEL)
    source_system: str = ""  # HEAD.SOUR: the program that wrote the file
    individuals: list[Individual] = field(default_factory=list)
    families: list[Family] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)  # shared note records
    sources: list[Source] = field(default_factory=list)
    media: list[MediaObject] = field(default_factory=list)
    other_records: list[GedcomNode] = field(default_factory=list)  # REPO, SUBM, _CUSTOM… kept raw
    header_extra: list[GedcomNode] = field(default_factory=list)  # HEAD substructures not regenerated
    created: datetime.datetime | None = None  # HEAD.DATE/TIME to write; None: the moment of writing (UTC)
    issues: list[GedcomIssue] = field(default_factory=list)  # warnings: the data is still usable
