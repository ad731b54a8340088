"""One place that turns domain errors into HTTP responses."""

from __future__ import annotations

from typing import Any

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from cases.errors import ApplicationError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map ApplicationError subclasses to their status; leave the rest to DRF."""
    if isinstance(exc, ApplicationError):
        return Response({"error": exc.code, "detail": exc.message, **exc.extra}, status=exc.status_code)
    return drf_exception_handler(exc, context)
