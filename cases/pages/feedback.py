"""The page-view pattern for a form action: run it, then tell the user what happened."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib import messages
from django.http import HttpRequest

from cases.errors import ApplicationError


@contextmanager
def action_reported(request: HttpRequest, *, success: str = "", failure: str = "", level: int = messages.SUCCESS,
                    errors: tuple[type[Exception], ...] = (ApplicationError,)) -> Iterator[None]:
    """Run the block; on one of ``errors`` show ``failure`` + its message, otherwise ``success`` (if any).

    The error is swallowed once shown: the view redirects back to the page the form was on.
    """
    try:
        yield
    except errors as error:
        messages.error(request, failure + str(error))
    else:
        if success:
            messages.add_message(request, level, success)
