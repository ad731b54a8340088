"""Search: names in any order and partial, Soundex, dates, places, surnames; living persons never match."""

from __future__ import annotations

import pytest

from cases.access import tree_access_get
from cases.errors import InvalidInput
from cases.models import Event, Role
from cases.selectors import PersonQuery, person_find, surname_index
from cases.selectors.search import person_query_parse
from cases.services.persons import person_create


def _names(access, **query) -> set[str]:
    return {p.display_name for p in person_find(access=access, query=PersonQuery(**query))}


@pytest.fixture
def royals(small_tree):
    access = small_tree.owner_access
    person_create(
        access=access,
        given_names="Victoria",
        surname="Hanover",
        sex="F",
        birth_date="24 MAY 1819",
        death_date="22 JAN 1901",
        birth_place="Kensington Palace, London, England",
    )
    person_create(
        access=access,
        given_names="Alexandrina",
        surname="Kent",
        sex="F",
        birth_date="1820",
        death_date="1890",
        alternate_names=[{"given_names": "Victoria", "surname": "Hanover"}],
    )
    person_create(access=access, given_names="Victoria", surname="Smith", birth_date="1800", death_date="1870")
    return small_tree


def test_full_names_in_any_order_partial_words_and_alternate_names(royals):
    access = royals.owner_access
    both = {"Victoria Hanover", "Alexandrina Kent"}
    assert _names(access, name="Victoria Hanover") == both
    assert _names(access, name="Hanover Victoria") == both
    assert _names(access, name="hanover, victoria") == both
    assert _names(access, name="vic han") == both
    assert _names(access, name="Victoria") == both | {"Victoria Smith"}
    assert _names(access, name="Victoria Windsor") == set()


def test_phonetic_matching_by_soundex(royals):
    access = royals.owner_access
    assert _names(access, name="Beatrise Olde", phonetic=True) == {"Beatrice Old"}
    assert _names(access, name="Viktoria Hannover", phonetic=True) == {"Victoria Hanover", "Alexandrina Kent"}
    assert _names(access, name="Beatrise Olde") == set()  # without Soundex, spelling matters


def test_date_ranges_overlap_uncertain_dates(royals):
    access = royals.owner_access
    assert _names(access, born_from=1890, born_to=1896) == {"Albert Old", "Beatrice Old"}  # ABT 1895 included
    assert _names(access, born_from=1819, born_to=1819, name="victoria") == {"Victoria Hanover"}
    assert _names(access, died_from=1900, died_to=1901) == {"Victoria Hanover"}
    person_create(access=access, given_names="Late", surname="Comer", birth_date="AFT 1985", death_date="2020")
    assert "Late Comer" in _names(access, born_from=1990)  # "after 1985" may be 1990


def test_places_match_birth_death_and_other_events(royals):
    access = royals.owner_access
    assert _names(access, place="london") == {"Victoria Hanover"}
    Event.objects.create(tree=access.tree, person=royals.father, tag="RESI", place="Leeds, England")
    assert _names(access, place="England") == {"Victoria Hanover", "Charles Old"}


def test_living_persons_never_match_a_viewers_search(royals):
    viewer = tree_access_get(user=royals.users[Role.VIEWER], tree_id=royals.tree.pk)
    assert _names(royals.owner_access, name="Eve") == {"Eve Old"}
    assert _names(viewer, name="Eve") == set()
    assert _names(viewer, name="Ev", phonetic=True) == set()
    assert _names(viewer, name="old") == {"Albert Old", "Beatrice Old", "Charles Old"}
    assert _names(viewer, born_from=1985) == set()
    assert _names(viewer, surname="Young") == set()


def test_surname_index_counts_only_what_the_user_may_see(royals):
    owner = dict(surname_index(access=royals.owner_access))
    viewer = dict(surname_index(access=tree_access_get(user=royals.users[Role.VIEWER], tree_id=royals.tree.pk)))
    assert owner["Old"] == 4 and owner["Young"] == 1 and owner["Hanover"] == 1
    assert viewer["Old"] == 3 and "Young" not in viewer


def test_surname_index_merges_capitalised_spellings(royals):
    person_create(
        access=royals.owner_access, given_names="Ada", surname="HANOVER", birth_date="1800", death_date="1850"
    )
    assert dict(surname_index(access=royals.owner_access))["Hanover"] == 2


def test_a_year_that_is_not_one_is_a_clear_error():
    assert person_query_parse({"born_from": " 1850 "}).born_from == 1850
    with pytest.raises(InvalidInput, match="Born from"):
        person_query_parse({"born_from": "around 1850"})
