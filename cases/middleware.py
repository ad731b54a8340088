"""Render domain errors raised under page views as an error page with the right status."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cases.errors import ApplicationError
from cases.history import request_actor
from cases.models.trees import trees_in_use


class ApplicationErrorMiddleware:
    """Turn an uncaught ApplicationError in a page view into a friendly page (the API has its own handler)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ApplicationError):
            return None
        return render(request, "error.html", {"message": exception.message}, status=exception.status_code)


class ChangeHistoryMiddleware:
    """Attribute the record changes a request makes to its user (pages and API alike)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with request_actor(request):
            return self.get_response(request)


class TreesInUseMiddleware:
    """Let persons read their tree's name format from the tree the request loaded (no query per person)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with trees_in_use():
            return self.get_response(request)
