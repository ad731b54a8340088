"""Decode GEDCOM bytes and stream level-0 records as trees of `GedcomNode`, with line numbers.

This is the lowest layer: encodings (BOM, `CHAR`), line endings, CONT/CONC, `@@` escapes and
level/line validation. It holds one record in memory at a time, so a caller can map records to
rows in batches however large the file is.
"""

from __future__ import annotations

import codecs
import io
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, NoReturn

import ansel

from cases.genealogy.gedcom.errors import (
    GedcomEncodingError,
    GedcomIssue,
    GedcomSyntaxError,
)

ansel.register()  # adds the "ansel" and "gedcom" (ANSEL plus GEDCOM's extra characters) codecs

CHUNK_BYTES = 1 << 18
PEEK_BYTES = 1 << 16
MAX_LINE_CHARS = 32_768  # far past any real line (5.5.1 allows 255); longer is garbage or an attack
MAX_LEVEL = 99
LINE_LIMIT_551 = 255

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# CHAR values seen in the wild → Python codec. ANSI/IBMPC are not GEDCOM but common.
_CHAR_CODECS = {
    "UTF-8": "utf-8",
    "UTF8": "utf-8",
    "ANSEL": "gedcom",
    "ASCII": "ascii",
    "UNICODE": "utf-16-le",
    "ANSI": "cp1252",
    "WINDOWS-1252": "cp1252",
    "CP1252": "cp1252",
    "IBMPC": "cp437",
    "ISO-8859-1": "latin-1",
    "LATIN1": "latin-1",
}
_NONSTANDARD_CHARS = frozenset({"ANSI", "WINDOWS-1252", "CP1252", "IBMPC", "ISO-8859-1", "LATIN1"})
_CHAR_RE = re.compile(r"^\s*1\s+CHAR\s+(\S+)", re.MULTILINE)
_VERS_RE = re.compile(r"^\s*1\s+GEDC\s*$\s*^\s*2\s+VERS\s+(\S+)", re.MULTILINE)
_EOL_RE = re.compile(r"\r\n|\r|\n")
# The payload class excludes control characters, so binary garbage never matches.
_LINE_RE = re.compile(r" *(0|[1-9]\d?) +(?:(@[^@\s][^@]*@) +)?([A-Za-z0-9_]+)(?: ([^\x00-\x08\x0a-\x1f\x7f]*))?$")
_POINTER_RE = re.compile(r"@[^@#\s][^@]*@$")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(slots=True)
class GedcomNode:
    """One GEDCOM structure: tag, optional xref and pointer, text with CONT/CONC joined, children."""

    tag: str
    value: str = ""  # text payload, unescaped; "" when the payload is a pointer
    xref: str = ""  # "@I1@" on records that have one
    pointer: str = ""  # "@S1@" when the payload points at a record
    line: int = 0  # line number of the structure in the file (1-based), 0 when built in memory
    children: list[GedcomNode] = field(default_factory=list)

    def first(self, tag: str) -> GedcomNode | None:
        """Return the first child with `tag`, or None."""
        for child in self.children:
            if child.tag == tag:
                return child
        return None

    def all(self, tag: str) -> list[GedcomNode]:
        """Return every child with `tag`, in file order."""
        return [child for child in self.children if child.tag == tag]

    def text(self, tag: str) -> str:
        """Return the text of the first child with `tag`, or ""."""
        child = self.first(tag)
        return child.value if child is not None else ""

    def to_json(self) -> dict[str, Any]:
        """Return the subtree as JSON-ready dicts (empty fields and line numbers left out)."""
        data: dict[str, Any] = {"tag": self.tag}
        for name in ("value", "xref", "pointer"):
            if getattr(self, name):
                data[name] = getattr(self, name)
        if self.children:
            data["children"] = [child.to_json() for child in self.children]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> GedcomNode:
        """Rebuild a subtree stored with `to_json` (e.g. from a JSONField) for export."""
        return cls(
            tag=data["tag"],
            value=data.get("value", ""),
            xref=data.get("xref", ""),
            pointer=data.get("pointer", ""),
            children=[cls.from_json(c) for c in data.get("children", ())],
        )


class GedcomParser:
    """Stream the records of one GEDCOM file; `encoding`, `version` and `issues` fill in as it reads."""

    def __init__(self, stream: BinaryIO, *, max_line_chars: int = MAX_LINE_CHARS) -> None:
        self._stream = stream
        self._max_line_chars = max_line_chars
        self.issues: list[GedcomIssue] = []
        head = stream.read(PEEK_BYTES)
        self._head = head
        self.encoding, self.version = self._sniff(head)

    def records(self) -> Iterator[GedcomNode]:
        """Yield HEAD and every record up to TRLR; raise `GedcomError` subclasses on bad input."""
        stack: list[GedcomNode] = []
        record: GedcomNode | None = None
        escape_all = not self.version.startswith("7")
        long_line = LINE_LIMIT_551 if escape_all else self._max_line_chars
        match_line = _LINE_RE.match
        match_pointer = _POINTER_RE.match
        number = 0
        saw_trailer = False
        # CONT/CONC pieces per node, joined once when the record is complete: `value += piece` copies
        # the whole text each time, which made 200,000 CONT lines take minutes (quadratic).
        continued: dict[int, tuple[GedcomNode, list[str]]] = {}
        # One tight loop: this runs once per line of files with millions of lines.
        for number, raw in self._numbered_lines():
            match = match_line(raw)
            if match is None:
                if not raw.strip():
                    continue
                if record is None:
                    raise GedcomSyntaxError("not a GEDCOM file: it must start with 0 HEAD", line=number)
                self._reject(raw, number)
            if saw_trailer:
                self.issues.append(GedcomIssue("data after TRLR ignored", line=number))
                break
            level_text, xref, tag, payload = match.groups()
            level = int(level_text)
            if xref and " " in xref:
                # Seen in 5.5.1 files (the xref-case test file); a pointer may be spelled the same, so keep it.
                self.issues.append(
                    GedcomIssue(
                        f"cross-reference {xref} contains a space, which GEDCOM does not allow; kept", line=number
                    )
                )
            if record is None and (level != 0 or tag != "HEAD"):
                raise GedcomSyntaxError("not a GEDCOM file: it must start with 0 HEAD", line=number)
            if level > len(stack):
                raise GedcomSyntaxError(
                    f"level {level} follows level {len(stack) - 1}; a line may go only one level deeper",
                    line=number,
                )
            if len(raw) > long_line:
                self.issues.append(GedcomIssue(f"line longer than {LINE_LIMIT_551} characters", line=number))
            if not tag.isupper() and tag[0] != "_":
                tag = tag.upper()
            if level and (tag == "CONT" or tag == "CONC"):
                del stack[level:]
                self._continue(stack[-1], tag, payload or "", number, escape_all, continued)
                continue
            node = GedcomNode(tag, "", xref or "", "", number, [])
            if payload:
                if payload[0] == "@" and match_pointer(payload):
                    node.pointer = payload
                elif "@" in payload:
                    node.value = _unescape(payload, escape_all)
                else:
                    node.value = payload
            if level == 0:
                if continued:
                    _join_continued(continued)
                if record is not None:
                    yield record
                if tag == "TRLR":
                    saw_trailer = True
                    record = None
                    stack = []
                    continue
                record = node
                stack = [node]
            else:
                del stack[level:]
                stack[-1].children.append(node)
                stack.append(node)
        if not saw_trailer:
            raise GedcomSyntaxError("the file ends without 0 TRLR: it is probably truncated", line=max(number, 1))

    def _reject(self, raw: str, number: int) -> NoReturn:
        """Raise the most helpful error for a line the grammar refused."""
        if _CONTROL_RE.search(raw):
            raise GedcomSyntaxError("binary data or control characters in the line", line=number)
        level = re.match(r" *(\d+) ", raw)
        if level is not None:
            raise GedcomSyntaxError(f"invalid level {level.group(1)} (0 to {MAX_LEVEL}, no leading zeros)", line=number)
        shown = raw if len(raw) <= 40 else raw[:40] + "…"
        raise GedcomSyntaxError(f"not a GEDCOM line: {shown!r}", line=number)

    def _sniff(self, head: bytes) -> tuple[str, str]:
        """Return (codec, GEDCOM version) from the BOM, the byte pattern and the header."""
        for bom, codec in _BOMS:
            if head.startswith(bom):
                self._head = head[len(bom) :]
                return codec, self._version(head[len(bom) :].decode(codec, errors="replace"))
        if head[:2] == b"0\x00":
            return "utf-16-le", self._version(head.decode("utf-16-le", errors="replace"))
        if head[:2] == b"\x000":
            return "utf-16-be", self._version(head.decode("utf-16-be", errors="replace"))
        preview = head.decode("latin-1")
        version = self._version(preview)
        match = _CHAR_RE.search(preview)
        if match is None:
            if not version.startswith("7"):
                self.issues.append(GedcomIssue("no CHAR in the header; reading as UTF-8"))
            return "utf-8", version
        declared = match.group(1).upper()
        declared_codec = _CHAR_CODECS.get(declared)
        if declared_codec is None:
            raise GedcomEncodingError(f"unknown character set CHAR {match.group(1)}")
        if declared in _NONSTANDARD_CHARS:
            self.issues.append(GedcomIssue(f"CHAR {match.group(1)} is not a GEDCOM character set"))
        if declared == "UNICODE":  # UTF-16 would have been recognized above; some programs mean UTF-8
            self.issues.append(GedcomIssue("CHAR UNICODE declared but the file is not UTF-16; reading as UTF-8"))
            return "utf-8", version
        return declared_codec, version

    @staticmethod
    def _version(preview: str) -> str:
        match = _VERS_RE.search(preview)
        return match.group(1) if match else ""

    def _chunks(self) -> Iterable[bytes]:
        yield self._head
        while chunk := self._stream.read(CHUNK_BYTES):
            yield chunk

    def _numbered_lines(self) -> Iterator[tuple[int, str]]:
        decoder = codecs.getincrementaldecoder(self.encoding)(errors="strict")
        normalize = self.encoding == "gedcom"
        pending = ""
        number = 0
        for chunk in itertools.chain(self._chunks(), (b"",)):
            final = not chunk
            try:
                text = decoder.decode(chunk, final)
            except UnicodeDecodeError as error:
                line = number + 1 + chunk[: error.start].count(b"\n")
                raise GedcomEncodingError(f"bytes that are not {self.encoding}: {error.reason}", line=line) from None
            text = pending + text
            if not final and text.endswith("\r"):
                text, pending = text[:-1], "\r"  # a CR LF pair may straddle two chunks
            else:
                pending = ""
            parts = _EOL_RE.split(text)
            if final and parts[-1] == "":
                parts.pop()  # the newline ending the last line does not start another
            if not final:
                pending = parts.pop() + pending
                if len(pending) > self._max_line_chars:
                    raise GedcomSyntaxError(
                        f"line longer than {self._max_line_chars} characters", line=number + len(parts) + 1
                    )
            for part in parts:
                number += 1
                if len(part) > self._max_line_chars:
                    raise GedcomSyntaxError(f"line longer than {self._max_line_chars} characters", line=number)
                yield number, unicodedata.normalize("NFC", part) if normalize else part

    def _continue(
        self,
        node: GedcomNode,
        tag: str,
        payload: str,
        number: int,
        escape_all: bool,
        continued: dict[int, tuple[GedcomNode, list[str]]],
    ) -> None:
        if node.pointer:
            raise GedcomSyntaxError(f"{tag} continues a pointer", line=number)
        if tag == "CONC" and not escape_all:
            self.issues.append(GedcomIssue("CONC is not GEDCOM 7; joined anyway", line=number))
        entry = continued.get(id(node))
        if entry is None:
            entry = continued[id(node)] = (node, [node.value])
        if tag == "CONT":
            entry[1].append("\n")
        entry[1].append(_unescape(payload, escape_all))


def _join_continued(continued: dict[int, tuple[GedcomNode, list[str]]]) -> None:
    """Set each continued node's text from its pieces, once per node (linear in the text's length)."""
    for node, pieces in continued.values():
        node.value = "".join(pieces)
    continued.clear()


def _unescape(payload: str, escape_all: bool) -> str:
    # 5.5.1 doubles every "@" in text; 7.0 doubles only a leading one.
    if escape_all:
        return payload.replace("@@", "@") if "@@" in payload else payload
    return payload[1:] if payload.startswith("@@") else payload


def open_source(source: str | Path | bytes | BinaryIO) -> tuple[BinaryIO, bool]:
    """Return a binary stream for a path, bytes or open binary stream, and whether we opened it."""
    if isinstance(source, bytes):
        return io.BytesIO(source), True
    if isinstance(source, (str, Path)):
        return Path(source).open("rb"), True
    return source, False
