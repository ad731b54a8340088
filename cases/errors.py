"""Domain errors raised by services and selectors; one API handler and the page views map them."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """An error a user can act on. ``message`` is a sentence for that user."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: str, *, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class InvalidInput(ApplicationError):
    """The request's data is malformed or breaks a rule."""


class NotFound(ApplicationError):
    """The object does not exist, or the user may not know that it exists."""

    status_code = 404
    code = "not_found"


class PermissionDenied(ApplicationError):
    """The user may see the object but not do this to it."""

    status_code = 403
    code = "permission_denied"


class Conflict(ApplicationError):
    """The request clashes with what is stored (a duplicate, a state that forbids it)."""

    status_code = 409
    code = "conflict"


class UnprocessableInput(ApplicationError):
    """The input is well-formed but cannot be used (a photo with no face, say)."""

    status_code = 422
    code = "unprocessable"


class RejectedUpload(UnprocessableInput):
    """An uploaded file was refused; nothing of it was kept."""

    code = "rejected_upload"


class GedcomRejected(UnprocessableInput):
    """A GEDCOM file cannot be imported as it is; the message starts with the line at fault."""

    code = "gedcom_rejected"
