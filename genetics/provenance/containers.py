"""Splice an XMP packet into PNG and JPEG files without re-encoding their pixels.

PNG carries XMP in an uncompressed iTXt chunk keyed ``XML:com.adobe.xmp``; JPEG in an APP1 segment
that starts with the XMP namespace (XMP specification part 3). Every other chunk or segment, and the
compressed image data, is copied byte for byte.
"""

from __future__ import annotations

import struct
import zlib

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_XMP_KEYWORD = b"XML:com.adobe.xmp"
JPEG_XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
JPEG_EXTENDED_XMP_HEADER = b"http://ns.adobe.com/xmp/extension/\x00"


class MalformedContainer(ValueError):
    """The PNG or JPEG structure is broken or truncated."""


def png_set_xmp(data: bytes, packet: bytes) -> bytes:
    """Return the PNG with ``packet`` as its only XMP chunk, placed right after IHDR."""
    chunks = [
        (kind, body)
        for kind, body in _png_chunks(data)
        if not (kind == b"iTXt" and body.startswith(PNG_XMP_KEYWORD + b"\x00"))
    ]
    # iTXt: keyword, NUL, compression flag 0, method 0, empty language tag and translated keyword.
    chunks.insert(1, (b"iTXt", PNG_XMP_KEYWORD + b"\x00\x00\x00\x00\x00" + packet))
    return PNG_SIGNATURE + b"".join(
        struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body)) for kind, body in chunks
    )


def _png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    if not data.startswith(PNG_SIGNATURE):
        raise MalformedContainer("The PNG signature is missing.")
    chunks, offset = [], len(PNG_SIGNATURE)
    while offset < len(data):
        if offset + 12 > len(data):
            raise MalformedContainer("The PNG file is truncated.")
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind, body = data[offset + 4 : offset + 8], data[offset + 8 : offset + 8 + length]
        if len(body) != length or offset + 12 + length > len(data):
            raise MalformedContainer("The PNG file is truncated.")
        chunks.append((kind, body))
        offset += 12 + length
        if kind == b"IEND":
            break
    if not chunks or chunks[0][0] != b"IHDR" or chunks[-1][0] != b"IEND":
        raise MalformedContainer("The PNG file is malformed (no IHDR first or no IEND last).")
    return chunks


def jpeg_set_xmp(data: bytes, packet: bytes) -> bytes:
    """Return the JPEG with ``packet`` as its only XMP segment, after the JFIF and Exif segments."""
    if len(packet) + len(JPEG_XMP_HEADER) + 2 > 0xFFFF:
        raise MalformedContainer("The XMP packet is too large for one JPEG segment; shorten the parameters.")
    segments, rest = _jpeg_header_segments(data)
    xmp_headers = (JPEG_XMP_HEADER, JPEG_EXTENDED_XMP_HEADER)
    kept = [(marker, body) for marker, body in segments if not (marker == 0xE1 and body.startswith(xmp_headers))]
    # XMP goes after JFIF (APP0) and Exif (APP1), which readers expect first.
    position = 0
    while position < len(kept) and kept[position][0] in (0xE0, 0xE1):
        position += 1
    kept.insert(position, (0xE1, JPEG_XMP_HEADER + packet))
    head = b"".join(bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body for marker, body in kept)
    return b"\xff\xd8" + head + rest


def _jpeg_header_segments(data: bytes) -> tuple[list[tuple[int, bytes]], bytes]:
    """Split a JPEG into the marker segments before the first scan and the bytes from there on."""
    if not data.startswith(b"\xff\xd8"):
        raise MalformedContainer("The JPEG start marker is missing.")
    segments, offset = [], 2
    while True:
        while data[offset : offset + 2] == b"\xff\xff":
            offset += 1  # fill bytes before a marker
        if offset + 4 > len(data) or data[offset] != 0xFF:
            raise MalformedContainer("The JPEG file is malformed or truncated before its image data.")
        marker = data[offset + 1]
        if marker in (0xDA, 0xD9):  # start of scan or end of image: everything after is kept verbatim
            return segments, data[offset:]
        (length,) = struct.unpack(">H", data[offset + 2 : offset + 4])
        if length < 2 or offset + 2 + length > len(data):
            raise MalformedContainer("The JPEG file is malformed or truncated before its image data.")
        segments.append((marker, data[offset + 4 : offset + 2 + length]))
        offset += 2 + length
