"""The audit trail as a CSV download, shared by the API and the audit page."""

from __future__ import annotations

import csv
import json

from django.db.models import QuerySet
from django.http import HttpResponse

from cases.models import AuditEvent

FIELDS = ["id", "created_at", "actor_username", "tree_id", "action", "object_type", "object_id", "payload",
          "prev_hash", "hash"]


def audit_csv_response(events: QuerySet[AuditEvent]) -> HttpResponse:
    """Return the events as an attached CSV file, one row per event, hashes included for verification."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kinship-audit.csv"'
    writer = csv.writer(response)
    writer.writerow(FIELDS)
    for event in events.iterator():
        writer.writerow([_cell(value) for value in (
            event.pk, event.created_at.isoformat(), event.actor_username, event.tree_id, event.action,
            event.object_type, event.object_id, json.dumps(event.payload, sort_keys=True), event.prev_hash,
            event.hash)])
    return response


def _cell(value: object) -> str:
    # Spreadsheets run cells that start with these as formulas; the trail is evidence, not code.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
