"""GEDCOM fidelity through the database: the GEDCOM 7 test files in, export out, nothing lost, every oddity warned."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from django.utils import timezone

from cases.access import tree_access_get
from cases.services.gedcom import gedcom_export, gedcom_import, gedcom_preview
from cases.services.trees import tree_create
from tests.factories import UserFactory
from tests.gedcom_files import gedcom

G7 = Path(__file__).resolve().parents[1] / "genealogy" / "gedcom7_test_files"


@pytest.fixture
def access(db):
    owner = UserFactory(username="fidelity")
    return tree_access_get(user=owner, tree_id=tree_create(name="Fidelity", owner=owner).pk)


def _event_dates(text: str) -> Counter:
    # "GREGORIAN 1930" and "1930" are the same date (the test files' README); HEAD.DATE is level 1
    return Counter(re.sub(r"\bGREGORIAN ", "", p) for p in re.findall(r"^[2-9] DATE ?(.*)$", text, re.MULTILINE))


def test_date_all_loses_no_date_through_the_database(access):
    source = (G7 / "7" / "date-all.ged").read_text(encoding="utf-8-sig")
    gedcom_import(access=access, path=G7 / "7" / "date-all.ged")

    seven = gedcom_export(access=access, version="7.0").content.decode()
    five = gedcom_export(access=access, version="5.5.1").content.decode()

    assert sum(_event_dates(source).values()) == 2917
    assert _event_dates(seven) == _event_dates(source)  # every value, extension calendars included
    assert "_ROMAN" in seven and "@#DROMAN@" in five and "@#DUNKNOWN@" in five
    fives = _event_dates(five)
    assert sum(fives.values()) == 2917 and fives[""] == 0


@pytest.mark.parametrize("version", ["5", "7"])
def test_invalid_dual_years_are_warned_in_preview_and_result(access, version):
    path = G7 / version / "date-dual-invalid.ged"
    dates = len(re.findall(r"^2 DATE", path.read_text(encoding="utf-8-sig"), re.MULTILINE))

    preview = gedcom_preview(path=path, access=access)
    result = gedcom_import(access=access, path=path)

    for report in (preview, result):
        dual = [w for w in report["warnings"] if "dual year" in w["message"]]
        assert len(dual) == dates > 40
        assert all(w["line"] for w in dual)


def test_invalid_ages_are_warned(access):
    result = gedcom_import(access=access, path=G7 / "5" / "age-invalid.ged")

    assert sum("is not a GEDCOM 5.5.1 age" in w["message"] for w in result["warnings"]) == 92
    assert result["warning_count"] >= 92


def test_xref_with_a_space_is_imported_with_the_real_reason(access):
    preview = gedcom_preview(path=G7 / "5" / "xref-case.ged", access=access)
    result = gedcom_import(access=access, path=G7 / "5" / "xref-case.ged")

    for report in (preview, result):
        assert any("@NoTe ref@ contains a space" in w["message"] for w in report["warnings"])
    assert result["counts"]["notes"] == 2 and result["counts"]["other_records"] == 1
    text = gedcom_export(access=access, version="5.5.1").content.decode()
    assert "0 @NoTe_ref@ NOTE mixed case and space" in text and "1 NOTE @NoTe_ref@" in text


def test_export_header_carries_the_export_date_not_the_imports(access, tmp_path):
    path = tmp_path / "old.ged"
    imported_on = "0 HEAD\n1 DATE 3 MAR 1999\n2 TIME 10:00\n"
    path.write_text(gedcom("0 @I1@ INDI", "1 NAME Ada /Byron/").replace("0 HEAD\n", imported_on))
    gedcom_import(access=access, path=path)

    for version in ("5.5.1", "7.0"):
        text = gedcom_export(access=access, version=version).content.decode()
        today = timezone.now()
        assert f"1 DATE {today.day} {today.strftime('%b').upper()} {today.year}\n2 TIME " in text
        assert "1999" not in text
