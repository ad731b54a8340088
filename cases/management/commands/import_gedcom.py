"""``manage.py import_gedcom PATH --tree NAME``: preview, then import a .ged/.zip/.gdz in one transaction."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cases.access import tree_access_get
from cases.errors import ApplicationError
from cases.models import ImportState, Tree
from cases.services.gedcom import gedcom_import_run, gedcom_upload
from cases.services.trees import tree_create


class Command(BaseCommand):
    help = "Import a GEDCOM 5.5.1/7.0 file (.ged, .zip with media, or .gdz) into a tree (created if missing)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--tree", required=True, help="Name of the tree; created when it does not exist.")
        parser.add_argument(
            "--owner",
            help="Username that owns a new tree and is recorded as the importer "
            "(default: the tree's first owner, or the first superuser).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Import a file that was already imported into ANOTHER tree (never the same tree).",
        )

    def handle(self, *args, path: Path, tree: str, owner: str | None, force: bool, **options) -> None:
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        if Tree.objects.filter(name=tree).count() > 1:
            # Tree names are unique per owner only (issue 13): never pick one of several at random.
            raise CommandError(f"Several trees are called {tree!r}; import through the app or rename one.")
        user = self._user(owner, tree)
        stored: list[str] = []
        try:
            with transaction.atomic():
                target = Tree.objects.filter(name=tree).first() or tree_create(name=tree, owner=user)
                access = tree_access_get(user=user, tree_id=target.pk)
                with path.open("rb") as handle:
                    job = gedcom_upload(
                        access=access, upload=handle, original_name=path.name, force=force, preview_now=True
                    )
                stored.append(job.file.name)
                if job.state == ImportState.FAILED:
                    raise CommandError(f"{path.name}: {job.error}")
                self._report_duplicates(job.preview)
                job.state = ImportState.IMPORTING
                job.save(update_fields=["state"])
                job = gedcom_import_run(import_id=job.pk, access=access)
                if job.state != ImportState.DONE:
                    raise CommandError(f"{path.name}: {job.error}")
        except ApplicationError as error:
            self._delete(stored)
            raise CommandError(f"{path.name}: {error.message}") from error
        except BaseException:
            self._delete(stored)
            raise
        self._report_warnings(job.result)
        counts = ", ".join(f"{n} {k}" for k, n in job.result["counts"].items() if n)
        self.stdout.write(self.style.SUCCESS(f"Imported into “{target.name}”: {counts}."))

    def _delete(self, names: list[str]) -> None:
        # The rows rolled back with the transaction; the uploaded copy must go too.
        from django.core.files.storage import default_storage

        for name in names:
            default_storage.delete(name)

    def _user(self, username: str | None, tree: str):
        users = get_user_model().objects
        if username:
            user = users.filter(username=username).first()
            if user is None:
                raise CommandError(f"No user called {username!r}.")
            return user
        existing = Tree.objects.filter(name=tree).first()
        if existing is not None:
            membership = existing.memberships.filter(role="owner").select_related("user").first()
            if membership is not None:
                return membership.user
        user = users.filter(is_superuser=True).order_by("pk").first()
        if user is None:
            raise CommandError("Say who owns the tree with --owner USERNAME (there is no superuser).")
        return user

    def _report_warnings(self, result: dict) -> None:
        for warning in result.get("warnings", []):
            where = f"line {warning['line']}: " if warning.get("line") else ""
            self.stderr.write(f"warning: {where}{warning['message']}")
        more = result.get("warning_count", 0) - len(result.get("warnings", []))
        if more > 0:
            self.stderr.write(f"warning: … and {more} more")

    def _report_duplicates(self, preview: dict) -> None:
        duplicates = preview.get("duplicates", [])
        if duplicates:
            self.stderr.write(
                f"note: {len(duplicates)} person(s) look like persons already in the tree "
                f"(e.g. {duplicates[0]['name']}); they are imported as new persons."
            )
