"""Open an uploaded GEDCOM (.ged, .zip or .gdz) as a stream of records plus the media it carries."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cases.genealogy.gedcom import (
    GedcomIssue,
    GedcomNode,
    GedcomStream,
    iter_gedcom,
    read_gedcom_archive,
)
from cases.genealogy.gedcom.reader import Record

ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class GedcomInput:
    """Records to map, in file order, with the header facts and warnings gathered while reading."""

    records: Iterable[Record]
    stream: GedcomStream | None  # set for a plain .ged: header facts fill in while iterating
    version: str = "5.5.1"
    header_extra: list[GedcomNode] = field(default_factory=list)
    issues: list[GedcomIssue] = field(default_factory=list)
    media: dict[str, Path] = field(default_factory=dict)  # FILE path → extracted file (archives only)
    missing_media: list[str] = field(default_factory=list)
    is_archive: bool = False

    def header(self) -> tuple[str, list[GedcomNode], list[GedcomIssue]]:
        """Return version, header substructures and warnings (complete once records are consumed)."""
        if self.stream is not None:
            return self.stream.version, self.stream.header_extra, self.stream.issues
        return self.version, self.header_extra, self.issues


def is_archive(path: Path) -> bool:
    """Return whether the file is a zip (a .zip or GEDZIP) rather than a bare .ged."""
    with open(path, "rb") as handle:
        return handle.read(4) == ZIP_MAGIC


@contextlib.contextmanager
def gedcom_open(path: Path) -> Iterator[GedcomInput]:
    """Yield the file's records; archives are checked and their referenced media extracted to a temp dir.

    A bare .ged streams (memory: one record). An archive is read whole by the archive layer,
    which checks paths, sizes and compression ratios before extracting anything.
    """
    if not is_archive(path):
        stream = iter_gedcom(path)
        try:
            yield GedcomInput(records=stream, stream=stream)
        finally:
            stream.close()
        return
    with tempfile.TemporaryDirectory(prefix="kinship-gedcom-") as scratch:
        archive = read_gedcom_archive(path, extract_to=Path(scratch))
        document = archive.document
        records: list[Record] = [*document.individuals, *document.families, *document.notes,
                                 *document.sources, *document.media, *document.other_records]
        yield GedcomInput(records=records, stream=None, version=document.version,
                          header_extra=document.header_extra, issues=list(document.issues),
                          media=archive.media, missing_media=archive.missing, is_archive=True)
