"""The permission-matrix harness: who calls, what each identity should be told, and the call itself.

A matrix is a list of :class:`Endpoint` rows crossed with a list of identities by :func:`matrix`;
one test function per matrix calls :func:`check_cell`. An identity is a tree role, ``"outsider"``
(a user with no membership), ``"anonymous"`` (no login), or for case work ``"assigned"`` /
``"unassigned"`` (a caseworker on the case, and another caseworker of the tree).

The expected status follows from the endpoint's :class:`Rule`: an allowed identity gets the
endpoint's success status; anonymous API calls get 401 and anonymous page visits a redirect to the
login page; refused identities get 404 where the rule hides the object from them, 403 otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from cases.access import ROLE_CAPABILITIES, Capability
from cases.models import Role

ROLES = [Role.OWNER, Role.EDITOR, Role.VIEWER, Role.CASEWORKER, Role.AUDITOR]
OUTSIDER = "outsider"
ANONYMOUS = "anonymous"
EVERYONE = [*ROLES, OUTSIDER, ANONYMOUS]

ASSIGNED = "assigned"
UNASSIGNED = "unassigned"
CASE_IDENTITIES = [Role.OWNER, Role.EDITOR, Role.VIEWER, ASSIGNED, UNASSIGNED, Role.AUDITOR, OUTSIDER, ANONYMOUS]


def holders(capability: Capability) -> frozenset[str]:
    """Return the roles that hold ``capability``."""
    return frozenset(role for role, capabilities in ROLE_CAPABILITIES.items() if capability in capabilities)


@dataclass(frozen=True)
class Rule:
    """Who may call an endpoint, and which of the refused are told it does not exist (404, not 403)."""

    allowed: frozenset[str]
    hidden_from: frozenset[str] = frozenset({OUTSIDER})


def may(capability: Capability) -> Rule:
    """Return the rule of a tree endpoint: members holding ``capability``; outsiders see no tree."""
    return Rule(holders(capability))


# Genealogist roles and caseworkers not on a case are told a case does not exist; auditors read
# cases but change nothing (403); only the assigned caseworker works on a case.
_CASE_HIDDEN = frozenset({Role.OWNER, Role.EDITOR, Role.VIEWER, UNASSIGNED, OUTSIDER})
CASE_READ = Rule(frozenset({ASSIGNED, Role.AUDITOR}), _CASE_HIDDEN)
CASE_WORK = Rule(frozenset({ASSIGNED}), _CASE_HIDDEN)
# Every caseworker may list cases (seeing only their own) and open one.
CASE_LIST = Rule(frozenset({ASSIGNED, UNASSIGNED, Role.AUDITOR}), _CASE_HIDDEN - {UNASSIGNED})
CASE_OPEN = Rule(frozenset({ASSIGNED, UNASSIGNED}), _CASE_HIDDEN - {UNASSIGNED})


@dataclass(frozen=True)
class Endpoint:
    """One row of a matrix: a request built from the test context, and who may make it.

    ``check(ctx, response, allowed)``, when given, asserts the effect (or its absence) after the call.
    """

    name: str
    method: str
    url: Callable[[Any], str]
    rule: Rule
    ok: int
    data: Callable[[Any], Any] | None = None
    fmt: str = "json"
    check: Callable[[Any, Any, bool], None] | None = None


def stored(model: Any, **filters: Any) -> Callable[[Any, Any, bool], None]:
    """Return an :attr:`Endpoint.check`: a row matching ``filters`` exists after allowed calls only."""

    def check(ctx: Any, response: Any, allowed: bool) -> None:
        assert model.objects.filter(**filters).exists() == allowed, f"{model.__name__} {filters}"

    return check


def deleted(attribute: str, model: Any) -> Callable[[Any, Any, bool], None]:
    """Return an :attr:`Endpoint.check`: the row ``ctx.<attribute>`` is gone after allowed calls only."""

    def check(ctx: Any, response: Any, allowed: bool) -> None:
        assert model.objects.filter(pk=getattr(ctx, attribute).pk).exists() != allowed, attribute

    return check


def expected_status(endpoint: Endpoint, who: str, *, api: bool) -> int:
    """Return the status ``who`` should get from ``endpoint``."""
    if who == ANONYMOUS:
        return 401 if api else 302
    if who in endpoint.rule.allowed:
        return endpoint.ok
    return 404 if who in endpoint.rule.hidden_from else 403


def matrix(endpoints: list[Endpoint], identities: list[str]) -> list[Any]:
    """Return pytest parameters ``(endpoint, who)`` for every row × identity, with readable ids."""
    return [pytest.param(endpoint, who, id=f"{endpoint.name}-{who}") for endpoint in endpoints for who in identities]


def client_for(who: str, users: dict, *, api: bool) -> APIClient | Client:
    """Return an API or browser client logged in as ``who`` (anonymous: not logged in)."""
    client = APIClient() if api else Client()
    if who != ANONYMOUS:
        if api:
            client.force_authenticate(users[who])
        else:
            client.force_login(users[who])
    return client


def call(client: APIClient | Client, endpoint: Endpoint, ctx: Any) -> Any:
    """Make the endpoint's request; API calls send JSON or multipart, pages a form post."""
    data = endpoint.data(ctx) if endpoint.data else None
    method = getattr(client, endpoint.method)
    if isinstance(client, APIClient):
        return method(endpoint.url(ctx), data=data, format=endpoint.fmt)
    return method(endpoint.url(ctx), data=data)


def check_cell(endpoint: Endpoint, who: str, ctx: Any, *, api: bool) -> Any:
    """Call ``endpoint`` as ``who`` and assert the expected status and effect; return the response."""
    response = call(client_for(who, ctx.users, api=api), endpoint, ctx)
    expected = expected_status(endpoint, who, api=api)
    assert response.status_code == expected, response.content[:300]
    if who == ANONYMOUS and not api:
        assert response["Location"].startswith(reverse("login"))
    if endpoint.check:
        endpoint.check(ctx, response, expected == endpoint.ok and who != ANONYMOUS)
    return response
