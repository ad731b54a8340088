"""Map streamed GEDCOM records to the dataclasses of `model`, then check the document as a whole."""

from __future__ import annotations

import gc
import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, Self

from cases.genealogy.dates import parse_genealogical_date
from cases.genealogy.gedcom.errors import GedcomIssue, GedcomStructureError
from cases.genealogy.gedcom.lines import GedcomNode, GedcomParser, open_source
from cases.genealogy.gedcom.media_types import normalize_media_format
from cases.genealogy.gedcom.model import (
    ChildLink,
    Citation,
    Event,
    Family,
    FamilyLink,
    GedcomDocument,
    Individual,
    MediaFile,
    MediaObject,
    Note,
    PersonName,
    Source,
)

Record = Individual | Family | Note | Source | MediaObject | GedcomNode

INDIVIDUAL_EVENTS = frozenset(
    [
        "BIRT",
        "CHR",
        "DEAT",
        "BURI",
        "CREM",
        "ADOP",
        "BAPM",
        "BARM",
        "BASM",
        "BLES",
        "CHRA",
        "CONF",
        "FCOM",
        "ORDN",
        "NATU",
        "EMIG",
        "IMMI",
        "CENS",
        "PROB",
        "WILL",
        "GRAD",
        "RETI",
        "EVEN",
        "CAST",
        "DSCR",
        "EDUC",
        "IDNO",
        "NATI",
        "NCHI",
        "NMR",
        "OCCU",
        "PROP",
        "RELI",
        "RESI",
        "SSN",
        "TITL",
        "FACT",
    ]
)
FAMILY_EVENTS = frozenset(
    ["ANUL", "CENS", "DIV", "DIVF", "ENGA", "MARB", "MARC", "MARR", "MARL", "MARS", "RESI", "EVEN", "NCHI", "FACT"]
)
_PEDIGREE_VALUES = {
    "BIRTH": "birth",
    "ADOPTED": "adopted",
    "FOSTER": "foster",
    "SEALING": "sealing",
    "STEP": "step",
}
# AGE payloads: 5.5.1 "<99y 11m 30d" or CHILD/INFANT/STILLBORN; 7.0 "< 99y 11m 2w 30d" (space after the bound).
_AGE_551 = re.compile(
    r"^(?:[<>]?(?:\d+[yY](?: \d+[mM])?(?: \d+[dD])?|\d+[mM](?: \d+[dD])?|\d+[dD])|CHILD|INFANT|STILLBORN)$",
    re.IGNORECASE,
)
_AGE_70 = re.compile(r"^(?:[<>] )?(?:\d+y(?: \d+m)?(?: \d+w)?(?: \d+d)?|\d+m(?: \d+w)?(?: \d+d)?|\d+w(?: \d+d)?|\d+d)$")
# Embedded 5.5.1 OBJE structures become records under this prefix.
GENERATED_MEDIA_PREFIX = "@KINSHIP_OBJE"


class GedcomStream:
    """Read a GEDCOM file record by record as model objects, for batch mapping of huge files.

    `source_system` and `header_extra` are filled by the first record; `issues` grows while
    iterating. Pointers to missing records and ancestry cycles are not checked here (see
    `read_gedcom`). A file it opened is closed when iteration ends or on `close()`; use it as a
    context manager when iteration may stop early.
    """

    def __init__(self, source: str | Path | bytes | BinaryIO) -> None:
        self._stream, self._owned = open_source(source)
        self._parser = GedcomParser(self._stream)
        self.issues = self._parser.issues
        self.encoding = self._parser.encoding
        self.version = self._parser.version or "5.5.1"
        self.source_system = ""
        self.header_extra: list[GedcomNode] = []
        self._embedded = itertools.count(1)
        self.embedded_media: list[MediaObject] = []

    def __iter__(self) -> Iterator[Record]:
        """Yield Individual, Family, Note, Source, MediaObject or raw GedcomNode records."""
        try:
            for node in self._parser.records():
                if node.tag == "HEAD":
                    self._header(node)
                    continue
                yield self._record(node)
                while self.embedded_media:
                    yield self.embedded_media.pop(0)
        finally:
            self.close()

    def close(self) -> None:
        """Close the file if this stream opened it."""
        if self._owned:
            self._stream.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _header(self, node: GedcomNode) -> None:
        self.source_system = node.text("SOUR")
        gedc = node.first("GEDC")
        if gedc is not None and gedc.text("VERS"):
            self.version = gedc.text("VERS")
        self.header_extra = [c for c in node.children if c.tag not in ("SOUR", "GEDC", "CHAR")]

    def _record(self, node: GedcomNode) -> Record:
        if node.tag == "INDI" and node.xref:
            return self._individual(node)
        if node.tag == "FAM" and node.xref:
            return self._family(node)
        if node.tag in ("NOTE", "SNOTE") and node.xref:
            return self._text_note(node, xref=node.xref)
        if node.tag == "SOUR" and node.xref:
            return self._source(node)
        if node.tag == "OBJE" and node.xref:
            return self._media(node, node.xref)
        return node

    def _individual(self, node: GedcomNode) -> Individual:
        person = Individual(xref=node.xref, line=node.line)
        for child in node.children:
            tag = child.tag
            if tag == "NAME":
                person.names.append(self._name(child))
            elif tag == "SEX" and not child.children:
                person.sex = child.value.upper()
            elif tag == "FAMC" and child.pointer:
                person.child_of.append(self._family_link(child))
            elif tag == "FAMS" and child.pointer:
                person.partner_in.append(FamilyLink(family=child.pointer, extra=child.children))
            elif tag in INDIVIDUAL_EVENTS:
                person.events.append(self._event(child))
            elif not self._common(child, person.notes, person.citations, person.media):
                person.extra.append(child)
        return person

    def _family(self, node: GedcomNode) -> Family:
        family = Family(xref=node.xref, line=node.line)
        for child in node.children:
            tag = child.tag
            if tag == "HUSB" and child.pointer and not family.partner1 and not child.children:
                family.partner1 = child.pointer
            elif tag == "WIFE" and child.pointer and not family.partner2 and not child.children:
                family.partner2 = child.pointer
            elif tag == "CHIL" and child.pointer:
                family.children.append(ChildLink(individual=child.pointer, extra=child.children))
            elif tag in FAMILY_EVENTS:
                family.events.append(self._event(child))
            elif not self._common(child, family.notes, family.citations, family.media):
                family.extra.append(child)
        return family

    def _common(self, node: GedcomNode, notes: list[Note], citations: list[Citation], media: list[str]) -> bool:
        """Map NOTE/SNOTE, SOUR and OBJE substructures shared by most records; False if not one."""
        if node.tag in ("NOTE", "SNOTE"):
            notes.append(self._note(node))
        elif node.tag == "SOUR":
            citations.append(self._citation(node))
        elif node.tag == "OBJE" and node.pointer:
            media.append(node.pointer)
        elif node.tag == "OBJE" and node.first("FILE") is not None:
            xref = f"{GENERATED_MEDIA_PREFIX}{next(self._embedded)}@"
            self.embedded_media.append(self._media(node, xref))
            media.append(xref)
        else:
            return False
        return True

    def _name(self, node: GedcomNode) -> PersonName:
        given, surname, suffix = _split_name(node.value)
        name = PersonName(full=node.value, given=given, surname=surname, suffix=suffix)
        mapped = {
            "GIVN": "given",
            "SURN": "surname",
            "NPFX": "prefix",
            "SPFX": "surname_prefix",
            "NSFX": "suffix",
            "NICK": "nickname",
            "TYPE": "type",
        }
        for child in node.children:
            if child.tag in mapped and not child.children:
                setattr(name, mapped[child.tag], child.value)
            elif not self._common(child, name.notes, name.citations, []):
                name.extra.append(child)
        return name

    def _family_link(self, node: GedcomNode) -> FamilyLink:
        link = FamilyLink(family=node.pointer)
        for child in node.children:
            if child.tag == "_PEDI" and child.value.lower() == "step":
                link.pedigree = "step"
                continue
            if child.tag == "PEDI":
                value = child.value.upper()
                phrase = child.text("PHRASE").lower()
                if value == "OTHER" and "step" in phrase:
                    link.pedigree = "step"
                    continue
                if value in _PEDIGREE_VALUES and (not child.children or value != "OTHER"):
                    link.pedigree = _PEDIGREE_VALUES[value]
                    link.extra.extend(child.children)
                    continue
            link.extra.append(child)
        return link

    def _event(self, node: GedcomNode) -> Event:
        event = Event(tag=node.tag, value=node.value, line=node.line)
        for child in node.children:
            tag = child.tag
            if tag == "TYPE" and not child.children:
                event.type = child.value
            elif tag == "DATE":
                event.date = parse_genealogical_date(child.value, phrase=child.text("PHRASE"))
                if any(c.tag != "PHRASE" for c in child.children):  # TIME…: keep the DATE raw too
                    event.extra.append(child)
            elif tag == "PLAC":
                event.place = child.value
                if child.children:  # coordinates, FORM…: keep the whole PLAC raw, the writer skips `place`
                    event.extra.append(child)
            elif not self._common(child, event.notes, event.citations, event.media):
                event.extra.append(child)
            if tag == "AGE":
                self._check_age(child)
            elif tag in ("HUSB", "WIFE"):  # a partner's age at a family event
                for age in child.all("AGE"):
                    self._check_age(age)
        return event

    def _check_age(self, node: GedcomNode) -> None:
        """Warn about an AGE its version's grammar does not allow (it is kept as written)."""
        modern = self.version.startswith("7")
        if not node.value or (_AGE_70 if modern else _AGE_551).match(node.value):
            return
        example = "> 99y 11m" if modern else ">99y 11m or CHILD"
        version = "7.0" if modern else "5.5.1"
        message = f"AGE “{node.value}” is not a GEDCOM {version} age (e.g. {example}); kept as written"
        self.issues.append(GedcomIssue(message, line=node.line))

    def _note(self, node: GedcomNode) -> Note:
        if node.pointer:
            return Note(pointer=node.pointer, line=node.line, extra=node.children)
        return self._text_note(node)

    def _text_note(self, node: GedcomNode, xref: str = "") -> Note:
        note = Note(text=node.value, xref=xref, line=node.line)
        for child in node.children:
            if child.tag == "SOUR":
                note.citations.append(self._citation(child))
            else:
                note.extra.append(child)
        return note

    def _citation(self, node: GedcomNode) -> Citation:
        source = "" if node.pointer == "@VOID@" else node.pointer
        citation = Citation(source=source, text="" if node.pointer else node.value)
        for child in node.children:
            if child.tag == "PAGE" and not child.children:
                citation.page = child.value
            elif child.tag in ("NOTE", "SNOTE"):
                citation.notes.append(self._note(child))
            else:
                citation.extra.append(child)
        return citation

    def _source(self, node: GedcomNode) -> Source:
        source = Source(xref=node.xref, line=node.line)
        mapped = {"TITL": "title", "AUTH": "author", "PUBL": "publication", "TEXT": "text", "ABBR": "abbreviation"}
        for child in node.children:
            if child.tag in mapped and not child.children:
                setattr(source, mapped[child.tag], child.value)
            elif child.tag in ("NOTE", "SNOTE"):
                source.notes.append(self._note(child))
            else:
                source.extra.append(child)
        return source

    def _media(self, node: GedcomNode, xref: str) -> MediaObject:
        media = MediaObject(xref=xref, line=node.line)
        legacy_form = node.text("FORM")  # 5.5 put FORM beside FILE instead of under it
        for child in node.children:
            if child.tag == "FILE":
                media.files.append(self._media_file(child, legacy_form))
            elif child.tag == "TITL" and not child.children:
                media.title = child.value
            elif child.tag in ("NOTE", "SNOTE"):
                media.notes.append(self._note(child))
            elif child.tag != "FORM":
                media.extra.append(child)
        if not media.title and media.files:
            media.title = media.files[0].title
        return media

    def _media_file(self, node: GedcomNode, legacy_form: str) -> MediaFile:
        media_file = MediaFile(path=node.value)
        form_text = legacy_form
        for child in node.children:
            if child.tag == "FORM":
                form_text = child.value
                media_file.extra.extend(child.children)  # TYPE/MEDI, written back under FORM
            elif child.tag == "TITL" and not child.children:
                media_file.title = child.value
            else:
                media_file.extra.append(child)
        media_file.format, media_file.media_type = normalize_media_format(form_text, node.value)
        return media_file


def _split_name(full: str) -> tuple[str, str, str]:
    """Return (given, surname, suffix) from "Given /Surname/ Suffix"."""
    if full.count("/") < 2:
        return full.strip(), "", ""
    before, surname, after = full.split("/", 2)
    return before.strip(), surname.strip(), after.replace("/", "").strip()


def iter_gedcom(source: str | Path | bytes | BinaryIO) -> GedcomStream:
    """Return a `GedcomStream` over a path, bytes or binary stream (records one at a time)."""
    return GedcomStream(source)


def iter_gedcom_batches(source: str | Path | bytes | BinaryIO, size: int = 1000) -> Iterator[list[Record]]:
    """Yield mapped records in lists of at most `size`, for bulk inserts."""
    with GedcomStream(source) as stream:
        batch: list[Record] = []
        for record in stream:
            batch.append(record)
            if len(batch) >= size:
                yield batch
                batch = []
        if batch:
            yield batch


def iter_gedcom_records(source: str | Path | bytes | BinaryIO) -> Iterator[GedcomNode]:
    """Yield raw level-0 records (HEAD included) without mapping them."""
    stream, owned = open_source(source)
    try:
        yield from GedcomParser(stream).records()
    finally:
        if owned:
            stream.close()


def read_gedcom(source: str | Path | bytes | BinaryIO) -> GedcomDocument:
    """Read a whole GEDCOM file into a `GedcomDocument`, checking xrefs, links and ancestry.

    Raises `GedcomError` subclasses (with line numbers) for input that cannot be trusted; puts
    problems that leave the data usable (dangling pointers, one-sided links) in `issues`.
    """
    collecting = gc.isenabled()
    gc.disable()  # building ~10^6 acyclic objects otherwise triggers full collections over and over
    try:
        return _read_document(GedcomStream(source))
    finally:
        if collecting:
            gc.enable()


def _read_document(stream: GedcomStream) -> GedcomDocument:
    document = GedcomDocument()
    buckets: dict[type, list[Any]] = {
        Individual: document.individuals,
        Family: document.families,
        Note: document.notes,
        Source: document.sources,
        MediaObject: document.media,
        GedcomNode: document.other_records,
    }
    seen: dict[str, int] = {}
    for record in stream:
        xref = record.xref
        if xref:
            if xref in seen:
                raise GedcomStructureError(
                    f"duplicate xref {xref} (first defined on line {seen[xref]})", line=record.line
                )
            seen[xref] = record.line
        buckets[type(record)].append(record)
    document.version = stream.version
    document.encoding = stream.encoding
    document.source_system = stream.source_system
    document.header_extra = stream.header_extra
    document.issues = stream.issues
    _link_families(document, seen)
    _drop_dangling(document, seen)
    check_no_own_ancestor(document)
    return document


def _link_families(document: GedcomDocument, defined: dict[str, int]) -> None:
    """Make FAMC/CHIL and FAMS/HUSB/WIFE agree; copy each child's PEDI onto the family's child link."""
    families = {family.xref: family for family in document.families}
    for person in document.individuals:
        for link in person.child_of:
            family = families.get(link.family)
            if family is None:
                continue
            child = next((c for c in family.children if c.individual == person.xref), None)
            if child is None:
                document.issues.append(
                    GedcomIssue(
                        f"{person.xref} names {link.family} as parents' family but is not its CHIL; linked",
                        line=person.line,
                    )
                )
                child = ChildLink(individual=person.xref)
                family.children.append(child)
            child.pedigree = link.pedigree


def _drop_dangling(document: GedcomDocument, defined: dict[str, int]) -> None:
    """Remove links to records that do not exist, each reported as an issue."""

    def keep(pointer: str, owner: Individual | Family) -> bool:
        if not pointer or pointer in defined:
            return True
        if pointer == "@VOID@":  # 7.0's explicit "no record": nothing to link, nothing to report
            return False
        document.issues.append(
            GedcomIssue(f"{owner.xref} points at {pointer}, which does not exist; link dropped", line=owner.line)
        )
        return False

    for person in document.individuals:
        person.child_of = [link for link in person.child_of if keep(link.family, person)]
        person.partner_in = [link for link in person.partner_in if keep(link.family, person)]
        person.media = [xref for xref in person.media if keep(xref, person)]
        person.citations = [c for c in person.citations if keep(c.source, person)]
    for family in document.families:
        family.partner1 = family.partner1 if keep(family.partner1, family) else ""
        family.partner2 = family.partner2 if keep(family.partner2, family) else ""
        family.children = [c for c in family.children if keep(c.individual, family)]
        family.media = [xref for xref in family.media if keep(xref, family)]
        family.citations = [c for c in family.citations if keep(c.source, family)]


def check_no_own_ancestor(document: GedcomDocument) -> None:
    """Raise `GedcomStructureError` if a person is their own ancestor (a cycle in parent links)."""
    parents_of: dict[str, list[str]] = {}
    for family in document.families:
        parents = [p for p in (family.partner1, family.partner2) if p]
        for child in family.children:
            parents_of.setdefault(child.individual, []).extend(parents)
    lines = {person.xref: person.line for person in document.individuals}
    state: dict[str, int] = {}  # 1: on the current path, 2: fully explored
    for start in parents_of:
        if state.get(start):
            continue
        path = [start]
        stack = [iter(parents_of.get(start, ()))]
        state[start] = 1
        while stack:
            parent = next(stack[-1], None)
            if parent is None:
                state[path.pop()] = 2
                stack.pop()
                continue
            if state.get(parent) == 1:
                cycle = [*path[path.index(parent) :], parent]
                raise GedcomStructureError(
                    f"{parent} is their own ancestor: " + " → ".join(reversed(cycle)), line=lines.get(parent)
                )
            if not state.get(parent):
                state[parent] = 1
                path.append(parent)
                stack.append(iter(parents_of.get(parent, ())))
