"""What every API module builds on: the tree-scoped base view and input validation."""

from __future__ import annotations

from typing import Any

from rest_framework.response import Response
from rest_framework.views import APIView

from cases import selectors
from cases.access import TreeAccess, tree_access_get
from cases.errors import InvalidInput, NotFound
from cases.models import Family, Person


class TreeAPIView(APIView):
    """Base for views under ``/api/trees/<tree_id>/``: resolves the user's access once."""

    def access(self) -> TreeAccess:
        if not hasattr(self, "_access"):
            self._access = tree_access_get(user=self.request.user, tree_id=self.kwargs["tree_id"])
        return self._access

    def context(self) -> dict[str, Any]:
        return {"access": self.access(), "request": self.request}

    def paginate(self, queryset, serializer_class) -> Response:
        from rest_framework.pagination import PageNumberPagination

        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(queryset, self.request, view=self)
        return paginator.get_paginated_response(serializer_class(page, many=True, context=self.context()).data)

    def person(self, person_id: int) -> Person:
        return selectors.person_get(access=self.access(), person_id=person_id)

    def family(self, family_id: int) -> Family:
        family = Family.objects.filter(tree=self.access().tree, pk=family_id).first()
        if family is None:
            raise NotFound("No such family in this tree.")
        self.access().check_family(family)
        return family


def validated_input(serializer_class, data, *, partial: bool = False) -> dict[str, Any]:
    """Return the request data validated by the serializer class (DRF answers 400 when invalid)."""
    serializer = serializer_class(data=data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


MAX_ID = 2**63 - 1
"""Largest primary key any database here stores; a longer number is no id at all."""


def query_id(request, name: str) -> int | None:
    """Return the query parameter ``name`` as a row id, None when absent; InvalidInput (400) when not an id."""
    value = request.query_params.get(name, "")
    if value == "":
        return None
    if not value.isascii() or not value.isdigit() or int(value) > MAX_ID:
        raise InvalidInput(f"“{name}” must be a whole number (an id), not “{value[:40]}”.")
    return int(value)
