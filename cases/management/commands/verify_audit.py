"""``manage.py verify_audit``: recompute the audit hash chain and report any tampering."""

from django.core.management.base import BaseCommand, CommandError

from cases.services.audit import audit_verify


class Command(BaseCommand):
    help = "Verify the append-only audit trail (exit status 1 when it was tampered with)."

    def handle(self, *args, **options) -> None:
        result = audit_verify()
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"The audit trail is NOT intact ({len(result.problems)} problems in {result.checked} events)."
            )
        self.stdout.write(self.style.SUCCESS(f"The audit trail is intact: {result.checked} events verified."))
