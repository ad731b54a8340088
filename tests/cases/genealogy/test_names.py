"""Names without GEDCOM punctuation, in the configured format."""

from __future__ import annotations

import pytest
from django.test import override_settings

from cases.genealogy.names import SURNAME_GIVEN, name_display, name_part_clean, surname_clean
from cases.models import Person


def test_gedcom_slashes_and_given_name_commas_never_show():
    assert name_display("John, Fitzgerald", "KENNEDY") == "John Fitzgerald Kennedy"
    assert name_part_clean("Jean /Dubois/") == "Jean Dubois"
    assert name_display("John, Fitzgerald", "KENNEDY", name_format=SURNAME_GIVEN) == "KENNEDY, John Fitzgerald"


def test_surname_case_is_kept_unless_all_capitals():
    assert surname_clean("McDonald") == "McDonald"
    assert surname_clean("O'NEILL-SMITH") == "O'Neill-Smith"
    assert surname_clean("de la Cruz") == "de la Cruz"


def test_one_part_missing():
    assert name_display("", "Hanover", name_format=SURNAME_GIVEN) == "HANOVER"
    assert name_display("Victoria", "", name_format=SURNAME_GIVEN) == "Victoria"
    assert name_display("", "") == ""


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown name format"):
        name_display("A", "B", name_format="surname first")


def test_person_display_name_follows_the_setting():
    person = Person(given_names="John, Fitzgerald", surname="KENNEDY")
    assert person.display_name == "John Fitzgerald Kennedy"
    with override_settings(KINSHIP_NAME_FORMAT=SURNAME_GIVEN):
        assert person.display_name == "KENNEDY, John Fitzgerald"
    assert Person().display_name == "(no name)"
