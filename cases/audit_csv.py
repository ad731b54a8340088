"""The audit trail as a CSV download, shared by the API and the audit page."""

from __future__ import annotations

import csv
import json

from django.db.models import QuerySet
from django.http import HttpResponse

from cases.access import TreeAccess
from cases.models import AuditEvent
from cases.selectors.audit import audit_events_redacted

FIELDS = [
    "id",
    "created_at",
    "actor_username",
    "tree_id",
    "action",
    "object_type",
    "object_id",
    "payload",
    "prev_hash",
    "hash",
    "payload_redacted",
]
CHUNK = 2000


def audit_csv_response(events: QuerySet[AuditEvent], *, access: TreeAccess) -> HttpResponse:
    """Return the events as an attached CSV file, one row per event, hashes included for verification.

    Payloads are as this reader may see them; ``payload_redacted`` marks the rows whose payload had names
    withheld (those no longer match their hash).
    """
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kinship-audit.csv"'
    writer = csv.writer(response)
    writer.writerow(FIELDS)
    chunk: list[AuditEvent] = []
    for event in events.iterator(chunk_size=CHUNK):
        chunk.append(event)
        if len(chunk) == CHUNK:
            _write(writer, access, chunk)
            chunk = []
    _write(writer, access, chunk)
    return response


def _write(writer, access: TreeAccess, events: list[AuditEvent]) -> None:
    for event in audit_events_redacted(access=access, events=events):
        writer.writerow(
            [
                _cell(value)
                for value in (
                    event.pk,
                    event.created_at.isoformat(),
                    event.actor_username,
                    event.tree_id,
                    event.action,
                    event.object_type,
                    event.object_id,
                    json.dumps(event.shown_payload, sort_keys=True),
                    event.prev_hash,
                    event.hash,
                    "yes" if event.payload_redacted else "",
                )
            ]
        )


def _cell(value: object) -> str:
    # Spreadsheets run cells that start with these as formulas; the trail is evidence, not code.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
