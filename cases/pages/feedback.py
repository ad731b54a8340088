"""The page-view pattern: load the tree access (refusing without a capability), run the action, report it.

A page view calls :func:`page_access` (or a page module's own loader built on it) and wraps its one
service call in :func:`action_reported`; the view then redirects, or re-renders when the outcome
was not ``ok``. Refusals are domain errors (404/403), which the middleware turns into pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest

from cases.access import Capability, TreeAccess, tree_access_get
from cases.errors import ApplicationError


def page_access(request: HttpRequest, tree_id: int, *, require: Capability | None = None) -> TreeAccess:
    """Return the signed-in user's access to the tree; refuse unless it grants ``require`` (when given)."""
    access = tree_access_get(user=request.user, tree_id=tree_id)
    if require is not None:
        access.require(require)
    return access


@dataclass
class ActionOutcome:
    """What :func:`action_reported` saw: ``ok`` once the block ran through; the block may set ``success``."""

    success: str = ""
    ok: bool = False


@contextmanager
def action_reported(request: HttpRequest, *, success: str = "", failure: str = "", level: int = messages.SUCCESS,
                    errors: tuple[type[Exception], ...] = (ApplicationError,)) -> Iterator[ActionOutcome]:
    """Run the block; on one of ``errors`` show ``failure`` + its message, otherwise ``success`` (if any).

    The error is swallowed once shown: the view redirects back to the page the form was on, or
    renders the form again when the outcome is not ``ok``.
    """
    outcome = ActionOutcome(success=success)
    try:
        yield outcome
    except errors as error:
        messages.error(request, failure + str(error))
    else:
        outcome.ok = True
        if outcome.success:
            messages.add_message(request, level, outcome.success)
