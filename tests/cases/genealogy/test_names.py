"""Names without GEDCOM punctuation, in the configured format."""

from __future__ import annotations

import pytest
from django.test import override_settings

from cases.genealogy.names import (
    GIVEN_SURNAME_CAPS,
    NAME_FORMATS,
    SURNAME_COMMA_GIVEN,
    SURNAME_GIVEN,
    name_display,
    name_part_clean,
    surname_clean,
)
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


def test_every_format_of_the_setting():
    shown = {key: name_display("John, Fitzgerald", "KENNEDY", name_format=key) for key in NAME_FORMATS}
    assert shown == {
        "given_surname": "John Fitzgerald Kennedy",
        "surname_given": "KENNEDY, John Fitzgerald",
        "surname_comma_given": "Kennedy, John Fitzgerald",
        "given_surname_caps": "John Fitzgerald KENNEDY",
    }
    assert name_display("", "de la Cruz", name_format=SURNAME_COMMA_GIVEN) == "de la Cruz"
    assert name_display("Ana", "", name_format=SURNAME_COMMA_GIVEN) == "Ana"
    assert name_display("Ana", "de la Cruz", name_format=GIVEN_SURNAME_CAPS) == "Ana DE LA CRUZ"


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown name format"):
        name_display("A", "B", name_format="surname first")


def test_person_display_name_follows_the_setting():
    person = Person(given_names="John, Fitzgerald", surname="KENNEDY")
    assert person.display_name == "John Fitzgerald Kennedy"
    with override_settings(KINSHIP_NAME_FORMAT=SURNAME_GIVEN):
        assert person.display_name == "KENNEDY, John Fitzgerald"
    assert Person().display_name == "(no name)"


def test_person_follows_its_tree_and_reads_it_once_per_request(small_tree, django_assert_num_queries):
    from cases.access import tree_access_get
    from cases.models.trees import trees_in_use
    from cases.services.trees import tree_set_name_format

    tree_set_name_format(access=small_tree.owner_access, name_format=SURNAME_COMMA_GIVEN)
    # Outside a request each person loads its own tree: right, if one query each.
    with django_assert_num_queries(2):
        names = [person.display_name for person in Person.objects.filter(pk=small_tree.child.pk)]
    assert names == ["Old, Eve"]
    with trees_in_use():
        tree_access_get(user=small_tree.users["owner"], tree_id=small_tree.tree.pk)
        with django_assert_num_queries(1):
            names = [person.display_name for person in Person.objects.filter(tree=small_tree.tree)]
    assert sorted(names) == ["Old, Albert", "Old, Beatrice", "Old, Charles", "Old, Eve", "Young, Diana"]
