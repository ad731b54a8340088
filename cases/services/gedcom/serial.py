"""JSON forms of the GEDCOM dataclasses that the models keep in ``gedcom_data`` for a faithful export.

Only non-empty fields are written, so an ordinary record stores ``{}`` and import stays fast.
"""

from __future__ import annotations

from typing import Any

from cases.genealogy.dates import GenealogicalDate, parse_genealogical_date
from cases.genealogy.gedcom import (
    Citation,
    GedcomNode,
    MediaFile,
    MediaObject,
    Note,
    PersonName,
)

Json = dict[str, Any]


def nodes_json(nodes: list[GedcomNode]) -> list[Json]:
    """Return raw subtrees as JSON."""
    return [node.to_json() for node in nodes]


def nodes_from(data: list[Json] | None) -> list[GedcomNode]:
    """Rebuild raw subtrees stored with :func:`nodes_json`."""
    return [GedcomNode.from_json(item) for item in data or ()]


def note_json(note: Note) -> Json:
    """Return a note (inline text or a pointer to a shared note) as JSON."""
    data: Json = {}
    if note.text:
        data["text"] = note.text
    if note.pointer:
        data["pointer"] = note.pointer
    if note.citations:
        data["citations"] = [citation_json(c) for c in note.citations]
    if note.extra:
        data["extra"] = nodes_json(note.extra)
    return data


def note_from(data: Json) -> Note:
    """Rebuild a note stored with :func:`note_json`."""
    return Note(
        text=data.get("text", ""),
        pointer=data.get("pointer", ""),
        citations=[citation_from(c) for c in data.get("citations", ())],
        extra=nodes_from(data.get("extra")),
    )


def citation_json(citation: Citation) -> Json:
    """Return a citation as JSON."""
    data: Json = {}
    for name in ("source", "page", "text"):
        if getattr(citation, name):
            data[name] = getattr(citation, name)
    if citation.notes:
        data["notes"] = [note_json(n) for n in citation.notes]
    if citation.extra:
        data["extra"] = nodes_json(citation.extra)
    return data


def citation_from(data: Json) -> Citation:
    """Rebuild a citation stored with :func:`citation_json`."""
    return Citation(
        source=data.get("source", ""),
        page=data.get("page", ""),
        text=data.get("text", ""),
        notes=[note_from(n) for n in data.get("notes", ())],
        extra=nodes_from(data.get("extra")),
    )


NAME_PARTS = ("full", "given", "surname", "prefix", "surname_prefix", "suffix", "nickname", "type")


def name_json(name: PersonName) -> Json:
    """Return a name with every part as JSON."""
    data: Json = {part: getattr(name, part) for part in NAME_PARTS if getattr(name, part)}
    if name.citations:
        data["citations"] = [citation_json(c) for c in name.citations]
    if name.notes:
        data["notes"] = [note_json(n) for n in name.notes]
    if name.extra:
        data["extra"] = nodes_json(name.extra)
    return data


def name_from(data: Json) -> PersonName:
    """Rebuild a name stored with :func:`name_json`."""
    return PersonName(
        **{part: data.get(part, "") for part in NAME_PARTS},
        citations=[citation_from(c) for c in data.get("citations", ())],
        notes=[note_from(n) for n in data.get("notes", ())],
        extra=nodes_from(data.get("extra")),
    )


def attachments_json(
    *, notes: list[Note], citations: list[Citation], media: list[str], extra: list[GedcomNode]
) -> Json:
    """Return an event's (or a link's) notes, citations, media pointers and raw substructures."""
    data: Json = {}
    if notes:
        data["notes"] = [note_json(n) for n in notes]
    if citations:
        data["citations"] = [citation_json(c) for c in citations]
    if media:
        data["media"] = list(media)
    if extra:
        data["extra"] = nodes_json(extra)
    return data


def date_json(date: GenealogicalDate) -> Json:
    """Return what rebuilding a date needs beyond its stored text: the 7.0 PHRASE."""
    return {"phrase": date.phrase} if date.phrase and date.phrase not in date.original else {}


def date_from(text: str, data: Json) -> GenealogicalDate:
    """Rebuild a date from its stored text and :func:`date_json` data."""
    return parse_genealogical_date(text, phrase=data.get("phrase", ""))


def media_json(media: MediaObject) -> Json:
    """Return a multimedia object (files, title, notes, raw substructures) as JSON."""
    data: Json = {
        "files": [
            {
                "path": f.path,
                "format": f.format,
                "media_type": f.media_type,
                "title": f.title,
                "extra": nodes_json(f.extra),
            }
            for f in media.files
        ]
    }
    if media.title:
        data["title"] = media.title
    if media.notes:
        data["notes"] = [note_json(n) for n in media.notes]
    if media.extra:
        data["extra"] = nodes_json(media.extra)
    return data


def media_from(xref: str, data: Json) -> MediaObject:
    """Rebuild a multimedia object stored with :func:`media_json`."""
    files = [
        MediaFile(
            path=f["path"],
            format=f.get("format", ""),
            media_type=f.get("media_type", ""),
            title=f.get("title", ""),
            extra=nodes_from(f.get("extra")),
        )
        for f in data.get("files", ())
    ]
    return MediaObject(
        xref=xref,
        files=files,
        title=data.get("title", ""),
        notes=[note_from(n) for n in data.get("notes", ())],
        extra=nodes_from(data.get("extra")),
    )
