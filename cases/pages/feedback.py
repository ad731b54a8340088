"""The page-view pattern: load the tree access (refusing without a capability), run the action, report it.

A page view calls :func:`page_access` (or a page module's own loader built on it) and wraps its one
service call in :func:`action_reported`; the view then redirects (to the form's page with
:func:`redirect_back`), or re-renders when the outcome was not ``ok``. A form page re-renders with
the error on its form (``form=``) or in its own words (``inline=True``, ``outcome.problem``).
Refusals are domain errors (404/403), which the middleware turns into pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

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
    """What :func:`action_reported` saw: ``ok`` once the block ran through; the block may set ``success``.

    ``error`` is the refusal caught (None when ``ok``) and ``problem`` the sentence shown for it.
    """

    success: str = ""
    ok: bool = False
    error: Exception | None = None
    problem: str = ""


@contextmanager
def action_reported(
    request: HttpRequest,
    *,
    success: str = "",
    failure: str = "",
    level: int = messages.SUCCESS,
    errors: tuple[type[Exception], ...] = (ApplicationError,),
    form: BaseForm | None = None,
    inline: bool = False,
) -> Iterator[ActionOutcome]:
    """Run the block; on one of ``errors`` show ``failure`` + its message, otherwise ``success`` (if any).

    The error is swallowed once shown: the view redirects back to the page the form was on, or
    renders the form again when the outcome is not ``ok``. Shown as an error message, unless the
    page shows it itself: ``form`` gets it on the field the error names (``extra["field"]``) or on
    the whole form; with ``inline`` the page renders ``outcome.problem``.
    """
    outcome = ActionOutcome(success=success)
    try:
        yield outcome
    except errors as error:
        outcome.error, outcome.problem = error, failure + str(error)
        if form is not None:
            field = getattr(error, "extra", {}).get("field")
            form.add_error(field if field in form.fields else None, outcome.problem)
        elif not inline:
            messages.error(request, outcome.problem)
    else:
        outcome.ok = True
        if outcome.success:
            messages.add_message(request, level, outcome.success)


def redirect_back(request: HttpRequest, fallback: Any, *, refused: bool = False) -> HttpResponseRedirect:
    """Redirect to the form's ``next`` (POST, else GET) when it is a page of this site, else to ``fallback``.

    ``fallback`` is anything :func:`~django.shortcuts.redirect` takes. Only this site's pages: an
    outside ``next`` would turn the form into an open redirect. When the action was ``refused``,
    ``next``'s fragment is dropped: the page opens at its top, where the message says why (at the
    form's anchor it was out of sight above).
    """
    target = request.POST.get("next") or request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = fallback
    elif refused:
        target = target.split("#", 1)[0]
    return redirect(target)
