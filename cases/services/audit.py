"""Appending to and verifying the hash-chained audit trail."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from cases.models import AccessLog, AuditChainHead, AuditEvent

GENESIS = "0" * 64


def audit_record(
    *,
    action: str,
    actor: AbstractBaseUser | None = None,
    tree_id: int | None = None,
    object_type: str = "",
    object_id: int | None = None,
    payload: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event, chained to the previous one; runs in (or joins) a transaction."""
    payload = json.loads(json.dumps(payload or {}, cls=DjangoJSONEncoder, sort_keys=True))
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1, defaults={"last_hash": GENESIS})
        event = AuditEvent(
            created_at=timezone.now(),
            actor=actor if actor and actor.is_authenticated else None,
            actor_username=actor.get_username() if actor and actor.is_authenticated else "",
            tree_id=tree_id,
            action=action,
            object_type=object_type,
            object_id=object_id,
            payload=payload,
            prev_hash=head.last_hash,
        )
        event.hash = audit_hash(event)
        event.save()
        head.last_hash = event.hash
        head.save(update_fields=["last_hash"])
    return event


def audit_hash(event: AuditEvent) -> str:
    """Return the hash of an event's content and its predecessor's hash."""
    content = {
        "created_at": event.created_at.isoformat(),
        "actor_id": event.actor_id,
        "actor": event.actor_username,
        "tree_id": event.tree_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "payload": event.payload,
        "prev_hash": event.prev_hash,
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True, cls=DjangoJSONEncoder).encode()).hexdigest()


@dataclass(frozen=True)
class AuditVerification:
    ok: bool
    checked: int
    problems: list[str]


def audit_verify() -> AuditVerification:
    """Recompute the chain; report every row whose content, link or position was tampered with."""
    problems: list[str] = []
    previous = GENESIS
    checked = 0
    for event in AuditEvent.objects.order_by("pk").iterator(chunk_size=2000):
        checked += 1
        if event.prev_hash != previous:
            problems.append(
                f"event #{event.pk}: links to {event.prev_hash[:12]}…, expected {previous[:12]}… "
                "(a row before it was removed or reordered)"
            )
        if audit_hash(event) != event.hash:
            problems.append(f"event #{event.pk}: content does not match its hash (the row was changed)")
        previous = event.hash
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != previous:
        problems.append("the chain ends before its recorded head (rows were removed from the end)")
    if head is None and checked:
        problems.append("the chain head is missing")
    return AuditVerification(ok=not problems, checked=checked, problems=problems)


def access_log_record(*, actor: AbstractBaseUser, tree_id: int, object_type: str, object_id: int) -> AccessLog:
    """Append one routine view to the access log (not the hash-chained trail)."""
    return AccessLog.objects.create(
        created_at=timezone.now(),
        actor=actor if actor.is_authenticated else None,
        actor_username=actor.get_username(),
        tree_id=tree_id,
        object_type=object_type,
        object_id=object_id,
    )
