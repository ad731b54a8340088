"""Make the audit trail append-only in the database itself: UPDATE and DELETE of a row raise.

TRUNCATE is left to database administrators (Django's test flush uses it); a truncated or
shortened trail no longer matches the chain head, which ``verify_audit`` reports.
"""

from django.db import migrations

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION kinship_audit_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER cases_auditevent_append_only BEFORE UPDATE OR DELETE ON cases_auditevent
    FOR EACH ROW EXECUTE FUNCTION kinship_audit_refuse_change();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS cases_auditevent_append_only ON cases_auditevent;
DROP FUNCTION IF EXISTS kinship_audit_refuse_change();
"""
SQLITE_UP = [
    "CREATE TRIGGER cases_auditevent_no_update BEFORE UPDATE ON cases_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: UPDATE refused'); END;",
    "CREATE TRIGGER cases_auditevent_no_delete BEFORE DELETE ON cases_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: DELETE refused'); END;",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS cases_auditevent_no_update;", "DROP TRIGGER IF EXISTS cases_auditevent_no_delete;"]


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP, params=None)  # no placeholders: "%" belongs to plpgsql
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_UP:
            schema_editor.execute(statement)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_generation_audit_consent")]
    operations = [migrations.RunPython(install, remove)]
