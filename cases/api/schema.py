"""What the generated OpenAPI schema cannot see in the views: pagination, error responses, download types.

``drf-spectacular`` reads serializers, but the API's views are plain ``APIView``s: it does not know
which lists :meth:`cases.api.base.TreeAPIView.paginate` wraps in a page, which errors the one
exception handler (:mod:`cases.api.errors`) can answer with, or what a CSV or GEDCOM download is.
This post-processing hook (``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``) writes them in.
"""

from __future__ import annotations

from typing import Any

PAGINATED: frozenset[str] = frozenset(
    {
        "/api/trees/{tree_id}/persons/",
        "/api/trees/{tree_id}/families/",
        "/api/trees/{tree_id}/jobs/",
        "/api/trees/{tree_id}/audit/",
        "/api/trees/{tree_id}/history/",
        "/api/trees/{tree_id}/sources/",
        "/api/trees/{tree_id}/repositories/",
    }
)
"""List endpoints answered through ``TreeAPIView.paginate`` (a DRF PageNumberPagination page)."""

DOWNLOADS: dict[tuple[str, str], tuple[str, ...]] = {
    ("/api/trees/{tree_id}/audit/", "get"): ("text/csv",),
    ("/api/trees/{tree_id}/gedcom/export/", "get"): ("text/vnd.familysearch.gedcom", "application/zip"),
}
"""Extra media types a 200 answer may have: the audit list with ``export=csv``, the GEDCOM export
(a ``.ged`` file, or a zip with the photos)."""

MAX_ID = 2**63 - 1
"""Largest primary key; path ids are ``<int:...>`` (digits only), so ids are documented as 0..MAX_ID."""

ERROR_STATUSES: dict[str, str] = {
    "400": "The request's data is malformed or breaks a rule (field errors, or ``error`` and ``detail``).",
    "401": "No valid token or session.",
    "403": "The user's role does not allow this.",
    "404": "No such object, or the user may not know that it exists; also a page past the end.",
    "406": "The Accept header asks for a media type this operation cannot give.",
    "409": "The request clashes with what is stored.",
    "413": "The upload is larger than the server accepts.",
    "415": "The request body's Content-Type is not one this operation reads.",
    "422": "The input is well-formed but cannot be used; ``detail`` says why.",
    "429": "Too many requests or jobs waiting; try again later.",
}
"""Answers any operation may give: from the exception handler, authentication, throttling and paging."""

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"error": {"type": "string"}, "detail": {"type": "string"}},
    "additionalProperties": True,
}


def schema_complete(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """Document pagination, error responses and download media types on every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["ApiError"] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "path" and parameter.get("schema", {}).get("type") == "integer":
                    parameter["schema"].update(minimum=0, maximum=MAX_ID)
            if path in PAGINATED and method == "get":
                _paginate(responses.get("200", {}))
            for media_type in DOWNLOADS.get((path, method), ()):
                responses.setdefault("200", {"description": ""}).setdefault("content", {})[media_type] = {
                    "schema": {"type": "string", "format": "binary"}
                }
            if (path, method) in DOWNLOADS and method == "get":
                responses["200"]["content"].pop("application/octet-stream", None)
            for status, description in ERROR_STATUSES.items():
                schema = {} if status == "400" else {"$ref": "#/components/schemas/ApiError"}
                responses.setdefault(
                    status, {"description": description, "content": {"application/json": {"schema": schema}}}
                )
    return result


def _paginate(response: dict[str, Any]) -> None:
    for content in response.get("content", {}).values():
        items = content.get("schema", {})
        if items.get("type") != "array":
            continue
        content["schema"] = {
            "type": "object",
            "required": ["count", "results"],
            "properties": {
                "count": {"type": "integer"},
                "next": {"type": "string", "format": "uri", "nullable": True},
                "previous": {"type": "string", "format": "uri", "nullable": True},
                "results": items,
            },
        }
