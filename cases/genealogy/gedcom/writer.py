"""Write a `GedcomDocument` as GEDCOM 5.5.1 or 7.0 text, valid for the version chosen."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator

from cases.genealogy.dates import (
    GenealogicalDate,
    format_gedcom_date,
    format_gedcom_date_phrase,
)
from cases.genealogy.gedcom.lines import LINE_LIMIT_551, GedcomNode
from cases.genealogy.gedcom.media_types import form_for_version
from cases.genealogy.gedcom.model import (
    Citation,
    Event,
    Family,
    GedcomDocument,
    Individual,
    MediaObject,
    Note,
    PersonName,
    Source,
)

VERSIONS = ("5.5.1", "7.0")
SOURCE_SYSTEM = "KINSHIP"
_GENERATED_SUBMITTER = "@KINSHIP_SUBM@"
_XREF_70 = re.compile(r"@[A-Z0-9_]+@$")
_NOT_XREF_70 = re.compile(r"[^A-Z0-9_]")
_AT_551 = re.compile(r"@#[^@]*@|@")
_NAME_TYPES = frozenset({"AKA", "BIRTH", "IMMIGRANT", "MAIDEN", "MARRIED", "PROFESSIONAL"})


def write_gedcom(document: GedcomDocument, version: str = "5.5.1") -> str:
    """Return the whole file as text with LF line endings (UTF-8 is declared for 5.5.1)."""
    return "".join(line + "\n" for line in iter_gedcom_lines(document, version))


def write_gedcom_bytes(document: GedcomDocument, version: str = "5.5.1") -> bytes:
    """Return the whole file as UTF-8 bytes (no BOM), ready to save as a .ged."""
    return write_gedcom(document, version).encode("utf-8")


def iter_gedcom_lines(document: GedcomDocument, version: str = "5.5.1") -> Iterator[str]:
    """Yield the file's lines one by one, so a large tree can be streamed to a response."""
    if version not in VERSIONS:
        raise ValueError(f"unsupported GEDCOM version {version!r}; use '5.5.1' or '7.0'")
    writer = _Writer(version)
    header, needs_submitter = _header(document, version)
    yield from writer.lines(header)
    for record in _records(document, version):
        yield from writer.lines(record)
    if needs_submitter:
        yield from writer.lines(GedcomNode("SUBM", xref=_GENERATED_SUBMITTER, children=[_leaf("NAME", "Kinship")]))
    yield "0 TRLR"


def _records(document: GedcomDocument, version: str) -> Iterator[GedcomNode]:
    for person in document.individuals:
        yield _individual(person, version)
    for family in document.families:
        yield _family(family, version)
    for note in document.notes:
        yield GedcomNode(
            "SNOTE" if version == "7.0" else "NOTE",
            value=note.text,
            xref=note.xref,
            children=_note_children(note, version),
        )
    for source in document.sources:
        yield _source(source, version)
    for media in document.media:
        yield _media(media, version)
    yield from document.other_records


def _header(document: GedcomDocument, version: str) -> tuple[GedcomNode, bool]:
    children = [_leaf("SOUR", SOURCE_SYSTEM)]
    gedc = GedcomNode("GEDC", children=[_leaf("VERS", version)])
    if version == "5.5.1":
        gedc.children.append(_leaf("FORM", "LINEAGE-LINKED"))
    children.append(gedc)
    if version == "5.5.1":
        children.append(_leaf("CHAR", "UTF-8"))
    children.append(_header_date(document.created, version))
    # Header tags the other version lacks; DATE (and a 5.5.1 FILE name) describe the file being
    # written, so the ones read from an imported file are replaced, never carried over.
    dropped = {"5.5.1": ("SCHMA", "DATE", "FILE"), "7.0": ("FILE", "DATE")}[version]
    kept = [n for n in document.header_extra if n.tag not in dropped]
    needs_submitter = version == "5.5.1" and not any(n.tag == "SUBM" and n.pointer for n in kept)
    if needs_submitter:
        children.append(GedcomNode("SUBM", pointer=_GENERATED_SUBMITTER))
    return GedcomNode("HEAD", children=children + kept), needs_submitter


def _header_date(created: datetime.datetime | None, version: str) -> GedcomNode:
    """Return HEAD.DATE with TIME for the moment the file is written, in UTC (7.0 marks it with Z; 5.5.1 cannot)."""
    moment = (created or datetime.datetime.now(datetime.UTC)).astimezone(datetime.UTC)
    day = f"{moment.day} {_MONTHS[moment.month - 1]} {moment.year}"
    time = moment.strftime("%H:%M:%SZ" if version == "7.0" else "%H:%M:%S")
    return GedcomNode("DATE", value=day, children=[_leaf("TIME", time)])


_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def _leaf(tag: str, value: str = "", pointer: str = "") -> GedcomNode:
    return GedcomNode(tag, value=value, pointer=pointer)


def _texts(pairs: Iterable[tuple[str, str]]) -> list[GedcomNode]:
    return [_leaf(tag, value) for tag, value in pairs if value]


def _individual(person: Individual, version: str) -> GedcomNode:
    children = [_name(name, version) for name in person.names]
    if person.sex:
        children.append(_leaf("SEX", person.sex))
    children += [_event(event, version) for event in person.events]
    for link in person.child_of:
        famc = GedcomNode("FAMC", pointer=link.family)
        pedigree = _pedigree(link.pedigree, version)
        if pedigree is not None:
            famc.children.append(pedigree)
        famc.children += link.extra
        children.append(famc)
    children += [GedcomNode("FAMS", pointer=link.family, children=list(link.extra)) for link in person.partner_in]
    children += _attachments(person.notes, person.citations, person.media, version)
    return GedcomNode("INDI", xref=person.xref, children=children + person.extra)


def _pedigree(pedigree: str, version: str) -> GedcomNode | None:
    if pedigree == "unknown":
        return None
    if version == "7.0":
        if pedigree == "step":
            return GedcomNode("PEDI", value="OTHER", children=[_leaf("PHRASE", "step")])
        return _leaf("PEDI", pedigree.upper())
    # 5.5.1 has no step pedigree; an extension tag keeps it without making the file invalid.
    return _leaf("_PEDI" if pedigree == "step" else "PEDI", pedigree)


def _name(name: PersonName, version: str) -> GedcomNode:
    parts = _texts(
        (
            ("TYPE", _name_type(name.type, version)),
            ("NPFX", name.prefix),
            ("GIVN", name.given),
            ("NICK", name.nickname),
            ("SPFX", name.surname_prefix),
            ("SURN", name.surname),
            ("NSFX", name.suffix),
        )
    )
    children = parts + _attachments(name.notes, name.citations, [], version)
    return GedcomNode("NAME", value=name.full, children=children + name.extra)


def _name_type(name_type: str, version: str) -> str:
    # The enumerated name types are lower case in 5.5.1 and upper case in 7.0.
    if name_type.upper() in _NAME_TYPES:
        return name_type.upper() if version == "7.0" else name_type.lower()
    return name_type


def _family(family: Family, version: str) -> GedcomNode:
    children = []
    if family.partner1:
        children.append(_leaf("HUSB", pointer=family.partner1))
    if family.partner2:
        children.append(_leaf("WIFE", pointer=family.partner2))
    children += [GedcomNode("CHIL", pointer=c.individual, children=list(c.extra)) for c in family.children]
    children += [_event(event, version) for event in family.events]
    children += _attachments(family.notes, family.citations, family.media, version)
    return GedcomNode("FAM", xref=family.xref, children=children + family.extra)


def _event(event: Event, version: str) -> GedcomNode:
    children = _texts([("TYPE", event.type)])
    date = None if any(n.tag == "DATE" for n in event.extra) else _date(event.date, version)
    if date is not None:
        children.append(date)
    if event.place and not any(n.tag == "PLAC" for n in event.extra):
        children.append(_leaf("PLAC", event.place))
    children += _attachments(event.notes, event.citations, event.media, version)
    return GedcomNode(event.tag, value=event.value, children=children + event.extra)


def _date(date: GenealogicalDate, version: str) -> GedcomNode | None:
    payload = format_gedcom_date(date, version)
    phrase = format_gedcom_date_phrase(date, version)
    if not payload and not phrase:
        return None
    return GedcomNode("DATE", value=payload, children=_texts([("PHRASE", phrase)]))


def _attachments(notes: list[Note], citations: list[Citation], media: list[str], version: str) -> list[GedcomNode]:
    nodes = [_note(note, version) for note in notes]
    nodes += [_citation(citation, version) for citation in citations]
    nodes += [_leaf("OBJE", pointer=xref) for xref in media]
    return nodes


def _note(note: Note, version: str) -> GedcomNode:
    if note.pointer:
        return GedcomNode("SNOTE" if version == "7.0" else "NOTE", pointer=note.pointer, children=list(note.extra))
    return GedcomNode("NOTE", value=note.text, children=_note_children(note, version))


def _note_children(note: Note, version: str) -> list[GedcomNode]:
    return [_citation(citation, version) for citation in note.citations] + note.extra


def _citation(citation: Citation, version: str) -> GedcomNode:
    children = _texts([("PAGE", citation.page)]) + [_note(note, version) for note in citation.notes]
    if citation.source:
        return GedcomNode("SOUR", pointer=citation.source, children=children + citation.extra)
    if version == "7.0":
        # 7.0 has no inline sources: point at the void and keep the description as a note.
        children += _texts([("NOTE", citation.text)])
        return GedcomNode("SOUR", pointer="@VOID@", children=children + citation.extra)
    return GedcomNode("SOUR", value=citation.text, children=children + citation.extra)


def _source(source: Source, version: str) -> GedcomNode:
    children = _texts(
        (
            ("TITL", source.title),
            ("AUTH", source.author),
            ("PUBL", source.publication),
            ("ABBR", source.abbreviation),
            ("TEXT", source.text),
        )
    )
    children += [_note(note, version) for note in source.notes]
    return GedcomNode("SOUR", xref=source.xref, children=children + source.extra)


def _media(media: MediaObject, version: str) -> GedcomNode:
    children = []
    for index, media_file in enumerate(media.files):
        form = form_for_version(media_file.format, media_file.media_type, version)
        if not form and version == "7.0":
            form = "application/octet-stream"
        file_children = []
        if form:
            medium = [_medium(n, version) for n in media_file.extra if n.tag in ("TYPE", "MEDI")]
            file_children.append(GedcomNode("FORM", value=form, children=medium))
        title = media_file.title or (media.title if index == 0 else "")
        file_children += _texts([("TITL", title)])
        file_children += [n for n in media_file.extra if n.tag not in ("TYPE", "MEDI")]
        children.append(GedcomNode("FILE", value=media_file.path, children=file_children))
    children += [_note(note, version) for note in media.notes]
    return GedcomNode("OBJE", xref=media.xref, children=children + media.extra)


def _medium(node: GedcomNode, version: str) -> GedcomNode:
    """Return the kind of medium (photo, book…) as FORM.TYPE in lower case (5.5.1) or FORM.MEDI (7.0)."""
    if version == "7.0":
        return GedcomNode("MEDI", value=node.value.upper(), children=node.children)
    return GedcomNode("TYPE", value=node.value.lower(), children=node.children)


class _Writer:
    """Serialize nodes for one version: escapes, CONT/CONC, line limits and xref spelling."""

    def __init__(self, version: str) -> None:
        self.version = version
        self.modern = version == "7.0"

    def lines(self, node: GedcomNode, level: int = 0) -> Iterator[str]:
        tag = node.tag
        if self.modern and tag == "NOTE" and node.pointer:
            tag = "SNOTE"
        elif not self.modern and tag == "SNOTE":
            tag = "NOTE"
        head = f"{level} {self._xref(node.xref)} {tag}" if node.xref else f"{level} {tag}"
        if node.pointer:
            yield f"{head} {self._xref(node.pointer)}"
        else:
            yield from self._text_lines(head, level, node.value)
        for child in node.children:
            yield from self.lines(child, level + 1)

    def _xref(self, xref: str) -> str:
        if not self.modern:
            return xref.replace(" ", "_")  # a space (read with a warning) is not allowed in either version
        if xref == "@VOID@" or _XREF_70.match(xref):
            return xref
        return "@" + _NOT_XREF_70.sub("_", xref[1:-1].upper()) + "@"

    def _escape(self, text: str) -> str:
        if self.modern:
            return "@" + text if text.startswith("@") else text
        # "@#DJULIAN@"-style escapes are the one use of a single "@" in 5.5.1 text.
        return _AT_551.sub(lambda match: match.group(0) if len(match.group(0)) > 1 else "@@", text)

    def _text_lines(self, head: str, level: int, value: str) -> Iterator[str]:
        for index, part in enumerate(value.split("\n")):
            line_head = head if index == 0 else f"{level + 1} CONT"
            text = self._escape(part)
            if self.modern:
                yield f"{line_head} {text}" if text else line_head
                continue
            room = LINE_LIMIT_551 - len(line_head) - 1
            first, rest = _cut(text, room)
            yield f"{line_head} {first}" if first else line_head
            conc_room = LINE_LIMIT_551 - len(f"{level + 1} CONC ")
            while rest:
                piece, rest = _cut(rest, conc_room)
                yield f"{level + 1} CONC {piece}"


def _cut(text: str, room: int) -> tuple[str, str]:
    """Split `text` at most `room` characters in, never beside a space or inside an "@@" pair."""
    if len(text) <= room:
        return text, ""
    cut = room
    while cut > room // 2 and (text[cut - 1] in " @" or text[cut] == " "):
        cut -= 1
    return text[:cut], text[cut:]
