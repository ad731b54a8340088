"""``manage.py export_gedcom TREE --version 5.5.1|7.0 [--zip] [--output PATH]`` (stdout without a path)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases.access import ROLE_CAPABILITIES, Capability, TreeAccess
from cases.errors import ApplicationError
from cases.models import Role, Tree
from cases.services.gedcom import gedcom_export


class Command(BaseCommand):
    help = "Export a whole tree as GEDCOM (run by an administrator: living persons are included in full)."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs):
        # Our --version is the GEDCOM version; it replaces Django's "show version" flag.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser) -> None:
        parser.add_argument("tree", help="Tree name (or numeric id).")
        parser.add_argument("--version", dest="gedcom_version", choices=["5.5.1", "7.0"], default="5.5.1")
        parser.add_argument("--zip", action="store_true", help="Bundle the photos (.zip; a GEDZIP for 7.0).")
        parser.add_argument("--output", type=Path, help="File to write; standard output when left out.")

    def handle(self, *args, tree: str, gedcom_version: str, zip: bool, output: Path | None, **options) -> None:
        named = list(Tree.objects.filter(name=tree)[:2])
        if len(named) > 1:
            # Tree names are unique per owner only (issue 13): never pick one of several at random.
            raise CommandError(f"Several trees are called {tree!r}; give the tree's id instead.")
        found = named[0] if named else None
        if found is None and tree.isdigit():
            found = Tree.objects.filter(pk=int(tree)).first()
        if found is None:
            raise CommandError(f"No tree called {tree!r}.")
        if zip and output is None:
            raise CommandError("A --zip export is binary: give --output PATH.")
        # The command line is the operator's own tool: it exports as the tree's owner would see it.
        access = TreeAccess(
            tree=found,
            user=found.created_by,
            role=Role.OWNER,
            capabilities=ROLE_CAPABILITIES[Role.OWNER] | {Capability.VIEW},
            can_see_living=True,
        )
        try:
            result = gedcom_export(access=access, version=gedcom_version, as_zip=zip)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        if output is None:
            self.stdout.write(result.content.decode("utf-8"), ending="")
            return
        output.write_bytes(result.content)
        self.stderr.write(f"Wrote {output} ({len(result.content):,} bytes, GEDCOM {gedcom_version}).")
