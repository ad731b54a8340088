"""One place that turns domain errors into HTTP responses."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import page_not_found
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from cases.errors import ApplicationError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map ApplicationError subclasses to their status; leave the rest to DRF."""
    if isinstance(exc, ApplicationError):
        return Response({"error": exc.code, "detail": exc.message, **exc.extra}, status=exc.status_code)
    return drf_exception_handler(exc, context)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Answer 404 in JSON under /api/ (an unmatched URL, such as a non-numeric id), the HTML page elsewhere.

    Installed as ``handler404``; Django still redirects a URL missing its trailing slash first.
    """
    if request.path.startswith("/api/"):
        return JsonResponse({"error": "not_found", "detail": "No such API endpoint or object."}, status=404)
    return page_not_found(request, exception)
