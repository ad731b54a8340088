"""Open an uploaded GEDCOM (.ged, .zip or .gdz) as a stream of records plus the media it carries."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cases.genealogy.gedcom import (
    GedcomArchiveReader,
    GedcomIssue,
    GedcomNode,
    GedcomStream,
    iter_gedcom,
)

ZIP_MAGIC = b"PK\x03\x04"


class MediaSource:
    """The media files an upload carries, by FILE path; an archive's are extracted on first use."""

    def __init__(self, archive: GedcomArchiveReader | None = None, scratch: Path | None = None) -> None:
        self._archive = archive
        self._scratch = scratch
        self._extracted: dict[str, Path] = {}

    def __contains__(self, media_path: object) -> bool:
        return (
            isinstance(media_path, str) and self._archive is not None and self._archive.member(media_path) is not None
        )

    def path(self, media_path: str) -> Path:
        """Return the extracted file for a FILE path the upload holds (extracting it once)."""
        if media_path not in self._extracted:
            assert self._archive is not None and self._scratch is not None
            self._extracted[media_path] = self._archive.extract(media_path, self._scratch)
        return self._extracted[media_path]

    def missing_reason(self, media_path: str) -> str:
        """Return why the upload has no file for a FILE path, in words for the user."""
        if self._archive is None:
            if "://" in media_path:
                return "it is a web address, not a file in the upload"
            return "a bare .ged carries no media files (upload a .zip or .gdz with them)"
        return self._archive.missing_reason(media_path)


@dataclass
class GedcomInput:
    """Records to map, in file order; header facts and warnings fill in on `stream` while iterating."""

    stream: GedcomStream
    media: MediaSource
    is_archive: bool = False

    @property
    def records(self) -> GedcomStream:
        return self.stream

    def header(self) -> tuple[str, list[GedcomNode], list[GedcomIssue]]:
        """Return version, header substructures and warnings (complete once records are consumed)."""
        return self.stream.version, self.stream.header_extra, self.stream.issues


def is_archive(path: Path) -> bool:
    """Return whether the file is a zip (a .zip or GEDZIP) rather than a bare .ged."""
    with open(path, "rb") as handle:
        return handle.read(4) == ZIP_MAGIC


@contextlib.contextmanager
def gedcom_open(path: Path) -> Iterator[GedcomInput]:
    """Yield the file's records, streamed; an archive's media are extracted to a temp dir when used.

    Memory is one record either way: the .ged inside an archive is inflated chunk by chunk as it
    is parsed (never read whole), and the archive layer checks paths, entry counts, sizes and
    compression ratios before and while inflating.
    """
    if not is_archive(path):
        stream = iter_gedcom(path)
        try:
            yield GedcomInput(stream=stream, media=MediaSource())
        finally:
            stream.close()
        return
    with (
        tempfile.TemporaryDirectory(prefix="kinship-gedcom-") as scratch,
        GedcomArchiveReader(path) as archive,
        archive.open_dataset() as dataset,
    ):
        yield GedcomInput(stream=iter_gedcom(dataset), media=MediaSource(archive, Path(scratch)), is_archive=True)
