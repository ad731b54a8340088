"""Read and write a .zip (one .ged plus media) or a GEDCOM 7 GEDZIP (.gdz, gedcom.ged at the root).

Reading never trusts the archive: names with `..` or absolute paths, symlinks and encrypted
members are refused, and the members, total bytes and compression ratio are capped both as
declared and as actually inflated, so a zip bomb stops at the cap instead of filling the disk.
"""

from __future__ import annotations

import io
import posixpath
import stat
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO, Self

from cases.genealogy.gedcom.errors import GedcomArchiveError, GedcomIssue
from cases.genealogy.gedcom.model import GedcomDocument
from cases.genealogy.gedcom.reader import read_gedcom
from cases.genealogy.gedcom.writer import write_gedcom_bytes

GEDZIP_DATASET = "gedcom.ged"
_COPY_CHUNK = 1 << 16


@dataclass(frozen=True)
class ArchiveLimits:
    """Caps applied to an uploaded archive; the defaults fit a large family archive with photos."""

    max_members: int = 20_000
    max_total_bytes: int = 4 << 30  # 4 GiB inflated in all
    max_ratio: int = 200  # inflated / compressed bytes per member; text compresses ~10×, bombs ~1000×
    max_gedcom_bytes: int = 1 << 30


@dataclass
class GedcomArchive:
    """An archive's document and the media it holds, extracted to disk by FILE path."""

    document: GedcomDocument
    media: dict[str, Path] = field(default_factory=dict)  # FILE path as written → extracted file
    missing: list[str] = field(default_factory=list)  # FILE paths the archive does not hold


class GedcomArchiveReader:
    """An opened, checked .zip/.gdz: stream its .ged, extract the media its FILE lines name on demand.

    The .ged is never read whole: `open_dataset()` returns a stream that inflates it chunk by
    chunk while counting bytes against the limits, so a 20 MB .ged costs one read buffer.
    """

    def __init__(self, path: str | Path | BinaryIO, *, limits: ArchiveLimits = ArchiveLimits()) -> None:
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as error:
            raise GedcomArchiveError(f"not a readable zip archive: {error}") from None
        try:
            self.members = _checked_members(self._zip, limits)
            self.dataset = _dataset_name(self.members, is_gdz=str(getattr(path, "name", path)).lower().endswith(".gdz"))
        except BaseException:
            self._zip.close()
            raise
        self.base = posixpath.dirname(self.dataset)
        self.limits = limits
        self._budget = _Budget(limits)

    def open_dataset(self) -> BinaryIO:
        """Return the .ged as a binary stream, inflated as it is read and capped by the limits."""
        info = self.members[self.dataset]
        return _CappedReader(self._zip.open(info), self._budget, info, self.limits.max_gedcom_bytes)

    def member(self, media_path: str) -> str | None:
        """Return the archive member a FILE path names, or None when the archive does not hold it."""
        if "://" in media_path:
            return None
        name = _member_name(media_path, self.base)
        return name if name is not None and name in self.members and name != self.dataset else None

    def missing_reason(self, media_path: str) -> str:
        """Return why a FILE path has no file in the archive, in words for the user."""
        if "://" in media_path:
            return "it is a web address, not a file in the archive"
        if _member_name(media_path, self.base) is None:
            return "its path points outside the archive"
        return "the archive does not contain this file"

    def extract(self, media_path: str, extract_to: Path) -> Path:
        """Copy the member a FILE path names into `extract_to` (counted against the limits); return it."""
        name = self.member(media_path)
        if name is None:
            raise GedcomArchiveError(f"media file {media_path!r}: {self.missing_reason(media_path)}")
        target = extract_to / name
        if target.exists():
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with self._zip.open(self.members[name]) as source, target.open("wb") as sink:
                self._budget.copy(source, sink, self.members[name])
        except (zipfile.BadZipFile, EOFError) as error:
            raise GedcomArchiveError(f"corrupt archive: {error}") from None
        return target

    def close(self) -> None:
        """Close the zip file."""
        self._zip.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def read_gedcom_archive(
    path: str | Path | BinaryIO, *, extract_to: Path, limits: ArchiveLimits = ArchiveLimits()
) -> GedcomArchive:
    """Read a .zip/.gdz, extract the media its FILE lines name into `extract_to`, report the missing."""
    with GedcomArchiveReader(path, limits=limits) as archive:
        with archive.open_dataset() as dataset:
            document = read_gedcom(dataset)
        result = GedcomArchive(document=document)
        for media_path in _referenced_files(document):
            if archive.member(media_path) is None:
                result.missing.append(media_path)
                document.issues.append(
                    GedcomIssue(f"media file {media_path!r} was not imported: {archive.missing_reason(media_path)}")
                )
                continue
            result.media[media_path] = archive.extract(media_path, extract_to)
        return result


def write_gedcom_archive(
    document: GedcomDocument,
    target: str | Path | BinaryIO,
    *,
    version: str = "7.0",
    media: Mapping[str, Path | bytes] | None = None,
) -> None:
    """Write gedcom.ged plus each media file stored under its FILE path (a valid .zip and GEDZIP)."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(GEDZIP_DATASET, write_gedcom_bytes(document, version))
        for media_path, content in (media or {}).items():
            name = _member_name(media_path, "")
            if name is None:
                raise GedcomArchiveError(f"media path {media_path!r} cannot be stored in an archive")
            if isinstance(content, bytes):
                archive.writestr(name, content, compress_type=zipfile.ZIP_STORED)
            else:
                archive.write(content, name, compress_type=zipfile.ZIP_STORED)


def _checked_members(archive: zipfile.ZipFile, limits: ArchiveLimits) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > limits.max_members:
        raise GedcomArchiveError(f"the archive has {len(infos)} entries; at most {limits.max_members} allowed")
    declared = 0
    members: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        name = info.filename.replace("\\", "/")
        if name.startswith("/") or (len(name) > 1 and name[1] == ":") or ".." in name.split("/"):
            raise GedcomArchiveError(f"unsafe path in archive: {info.filename!r}")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise GedcomArchiveError(f"symbolic link in archive: {info.filename!r}")
        if info.flag_bits & 0x1:
            raise GedcomArchiveError(f"encrypted entry in archive: {info.filename!r}")
        if info.is_dir():
            continue
        declared += info.file_size
        if info.file_size > limits.max_ratio * max(info.compress_size, 1) and info.file_size > 1 << 20:
            raise GedcomArchiveError(f"{info.filename!r} inflates over {limits.max_ratio}×: a zip bomb?")
        members[posixpath.normpath(name)] = info
    if declared > limits.max_total_bytes:
        raise GedcomArchiveError(f"the archive inflates to {declared} bytes; at most {limits.max_total_bytes}")
    return members


def _dataset_name(members: Mapping[str, zipfile.ZipInfo], *, is_gdz: bool) -> str:
    if GEDZIP_DATASET in members:
        return GEDZIP_DATASET
    if is_gdz:
        raise GedcomArchiveError("a GEDZIP archive must hold gedcom.ged at its root")
    candidates = [name for name in members if name.lower().endswith(".ged")]
    if len(candidates) != 1:
        raise GedcomArchiveError(f"the archive must hold exactly one .ged file; it holds {len(candidates)}")
    return candidates[0]


def _referenced_files(document: GedcomDocument) -> list[str]:
    paths = [f.path for media in document.media for f in media.files]
    return [p for p in dict.fromkeys(paths) if p and "://" not in p]  # web addresses are links, not files


def _member_name(media_path: str, base: str) -> str | None:
    """Return the archive member a relative FILE path names, or None if it leaves the archive."""
    path = media_path.replace("\\", "/")
    if path.startswith("file:"):
        return None
    if path.startswith("/") or (len(path) > 1 and path[1] == ":"):
        return None
    joined = posixpath.normpath(posixpath.join(base, path))
    if joined.startswith("../") or joined == "..":
        return None
    return joined


class _Budget:
    """Count inflated bytes across members so that lying headers cannot exceed the caps."""

    def __init__(self, limits: ArchiveLimits) -> None:
        self.limits = limits
        self.used = 0

    def copy(self, source: IO[bytes], sink: IO[bytes], info: zipfile.ZipInfo) -> None:
        size = 0
        while chunk := source.read(_COPY_CHUNK):
            size += len(chunk)
            self.spend(len(chunk), size, info, self.limits.max_total_bytes)
            sink.write(chunk)

    def spend(self, amount: int, member_size: int, info: zipfile.ZipInfo, cap: int) -> None:
        self.used += amount
        if self.used > self.limits.max_total_bytes or member_size > cap:
            raise GedcomArchiveError(f"{info.filename!r} inflates past the size limit: a zip bomb?")
        if member_size > 1 << 20 and member_size > self.limits.max_ratio * max(info.compress_size, 1):
            raise GedcomArchiveError(f"{info.filename!r} inflates over {self.limits.max_ratio}×: a zip bomb?")


class _CappedReader(io.RawIOBase):
    """A member's inflated bytes, read in chunks and counted against the archive's limits."""

    def __init__(self, source: IO[bytes], budget: _Budget, info: zipfile.ZipInfo, cap: int) -> None:
        super().__init__()
        self._source, self._budget, self._info, self._cap = source, budget, info, cap
        self._size = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        try:
            chunk = self._source.read(size if size is not None and size >= 0 else _COPY_CHUNK)
        except (zipfile.BadZipFile, EOFError) as error:
            raise GedcomArchiveError(f"corrupt archive: {error}") from None
        self._size += len(chunk)
        self._budget.spend(len(chunk), self._size, self._info, self._cap)
        return chunk

    def readinto(self, buffer: Any) -> int:
        chunk = self.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def close(self) -> None:
        self._source.close()
        super().close()
