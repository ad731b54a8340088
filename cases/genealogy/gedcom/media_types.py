"""Translate between 5.5.1 media formats ("jpg") and 7.0 media types ("image/jpeg")."""

from __future__ import annotations

from pathlib import PurePosixPath

_FORMAT_TO_TYPE = {
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "tiff": "image/tiff",
    "bmp": "image/bmp",
    "webp": "image/webp",
    "heic": "image/heic",
    "pdf": "application/pdf",
    "txt": "text/plain",
    "wav": "audio/wav",
    "mp3": "audio/mpeg",
    "mp4": "video/mp4",
    "ole": "application/x-ole",
}
_ALIASES = {"jpg": "jpeg", "tif": "tiff", "text": "txt"}
_TYPE_TO_FORMAT = {media_type: fmt for fmt, media_type in _FORMAT_TO_TYPE.items()}


def normalize_media_format(form: str, path: str) -> tuple[str, str]:
    """Return (format, media type) from a FORM value of either version, else from the file suffix."""
    text = form.strip().lower() or PurePosixPath(path.replace("\\", "/")).suffix.lstrip(".").lower()
    if "/" in text:
        return _TYPE_TO_FORMAT.get(text, text.split("/", 1)[1]), text
    fmt = _ALIASES.get(text, text)
    return fmt, _FORMAT_TO_TYPE.get(fmt, "")


def form_for_version(fmt: str, media_type: str, version: str) -> str:
    """Return the FORM value to write: a format word for 5.5.1, a media type for 7.0."""
    if version.startswith("7"):
        return media_type or _FORMAT_TO_TYPE.get(fmt, "")
    return "jpg" if fmt == "jpeg" else fmt
