"""``import_gedcom`` and ``export_gedcom`` management commands."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command

from cases.models import GedcomImport, Person, Tree
from tests.factories import UserFactory
from tests.gedcom_files import BROKEN, FILE_70, FILE_551, zipped


@pytest.fixture
def owner(db):
    return UserFactory(username="cli-owner")


def test_import_creates_the_tree_and_export_writes_stdout(owner, tmp_path, capsys):
    path = tmp_path / "family.ged"
    path.write_text(FILE_551, encoding="utf-8")
    call_command("import_gedcom", str(path), "--tree", "From CLI", "--owner", "cli-owner")
    tree = Tree.objects.get(name="From CLI")
    assert Person.objects.filter(tree=tree).count() == 5
    assert tree.memberships.get().user == owner
    out = capsys.readouterr()
    assert "Imported into" in out.out and "5 persons" in out.out
    assert "photos/jean.jpg" in out.err  # media referenced by a bare .ged is reported

    call_command("export_gedcom", "From CLI", "--version", "7.0")
    text = capsys.readouterr().out
    assert text.startswith("0 HEAD") and "2 VERS 7.0" in text and "Jean-Pierre /Dubois/" in text


def test_export_zip_to_a_file(owner, tmp_path, portrait_jpeg):
    archive = tmp_path / "family.zip"
    archive.write_bytes(zipped(FILE_551, {"photos/jean.jpg": portrait_jpeg}))
    call_command("import_gedcom", str(archive), "--tree", "Zip", "--owner", "cli-owner")
    output = tmp_path / "out.zip"
    call_command("export_gedcom", "Zip", "--version", "5.5.1", "--zip", "--output", str(output))
    names = zipfile.ZipFile(io.BytesIO(output.read_bytes())).namelist()
    assert "gedcom.ged" in names and any(name.startswith("media/") for name in names)


def test_reimport_is_refused_and_force_only_allows_another_tree(owner, tmp_path):
    path = tmp_path / "family.ged"
    path.write_text(FILE_70, encoding="utf-8")
    call_command("import_gedcom", str(path), "--tree", "A", "--owner", "cli-owner")
    with pytest.raises(CommandError, match="already imported into this tree"):
        call_command("import_gedcom", str(path), "--tree", "A", "--force")
    with pytest.raises(CommandError, match="force"):
        call_command("import_gedcom", str(path), "--tree", "B", "--owner", "cli-owner")
    assert not Tree.objects.filter(name="B").exists()  # the refused run left nothing behind
    call_command("import_gedcom", str(path), "--tree", "B", "--owner", "cli-owner", "--force")
    assert Person.objects.filter(tree__name="B").count() == 2
    assert GedcomImport.objects.filter(state="done").count() == 2


def test_malformed_file_fails_with_the_line_and_keeps_nothing(owner, tmp_path):
    path = tmp_path / "bad.ged"
    text, line = BROKEN["level jump"]
    path.write_text(text)
    with pytest.raises(CommandError, match=f"line {line}"):
        call_command("import_gedcom", str(path), "--tree", "Bad", "--owner", "cli-owner")
    assert not Tree.objects.filter(name="Bad").exists() and GedcomImport.objects.count() == 0


def test_unknown_tree_and_missing_owner(db, tmp_path):
    with pytest.raises(CommandError, match="No tree"):
        call_command("export_gedcom", "Nope")
    path = tmp_path / "family.ged"
    path.write_text(FILE_70, encoding="utf-8")
    with pytest.raises(CommandError, match="--owner"):
        call_command("import_gedcom", str(path), "--tree", "New")
