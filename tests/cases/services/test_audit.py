"""The audit trail is hash-chained, append-only in the database, and tampering is detected."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from cases.models import AuditEvent
from cases.services.audit import GENESIS, audit_record, audit_verify


def _three_events(user):
    return [
        audit_record(
            action="generation.requested",
            actor=user,
            tree_id=1,
            object_type="generation_job",
            object_id=i,
            payload={"seed": i},
        )
        for i in range(3)
    ]


def test_events_are_chained(db, django_user_model):
    user = django_user_model.objects.create(username="a")
    events = _three_events(user)
    assert events[0].prev_hash == GENESIS
    assert events[1].prev_hash == events[0].hash and events[2].prev_hash == events[1].hash
    assert audit_verify().ok and audit_verify().checked == 3
    call_command("verify_audit")


@pytest.mark.parametrize("operation", ["update", "delete"])
def test_database_refuses_changes(operation, db, django_user_model):
    event = _three_events(django_user_model.objects.create(username="b"))[1]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        if operation == "update":
            AuditEvent.objects.filter(pk=event.pk).update(payload={"seed": 99})
        else:
            AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.count() == 3


def _bypass_triggers(sql: str, params: list) -> None:
    """Tamper as a database superuser would: with the protective triggers out of the way."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE cases_auditevent DISABLE TRIGGER USER")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE cases_auditevent ENABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER cases_auditevent_no_update")
            cursor.execute("DROP TRIGGER cases_auditevent_no_delete")
            cursor.execute(sql, params)


def test_verify_detects_a_changed_row(db, django_user_model):
    event = _three_events(django_user_model.objects.create(username="c"))[1]
    _bypass_triggers("UPDATE cases_auditevent SET payload = %s WHERE id = %s", ['{"seed": 42}', event.pk])
    result = audit_verify()
    assert not result.ok and any(f"#{event.pk}" in p and "changed" in p for p in result.problems)
    with pytest.raises(CommandError, match="NOT intact"):
        call_command("verify_audit")


def test_verify_detects_a_removed_row(db, django_user_model):
    events = _three_events(django_user_model.objects.create(username="d"))
    _bypass_triggers("DELETE FROM cases_auditevent WHERE id = %s", [events[1].pk])
    result = audit_verify()
    assert not result.ok and any(f"#{events[2].pk}" in p and "removed" in p for p in result.problems)


def test_verify_detects_a_truncated_tail(db, django_user_model):
    events = _three_events(django_user_model.objects.create(username="e"))
    _bypass_triggers("DELETE FROM cases_auditevent WHERE id = %s", [events[2].pk])
    assert any("end" in p for p in audit_verify().problems)
