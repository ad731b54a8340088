import datetime

import pytest

from cases.access import person_is_living, tree_access_get
from cases.errors import InvalidInput, PermissionDenied
from cases.models import Person
from cases.services.families import family_child_add, family_create
from cases.services.persons import person_create, person_update


def test_dates_keep_the_phrase_and_store_the_range(small_tree):
    person = person_create(access=small_tree.owner_access, given_names="Frank", birth_date="BET 1850 AND 1855")
    assert person.birth_date == "BET 1850 AND 1855"
    assert person.birth_date_start == datetime.date(1850, 1, 1)
    assert person.birth_date_end == datetime.date(1855, 12, 31)
    assert person.estimated_birth_year == 1855


def test_unparseable_date_is_kept_verbatim(small_tree):
    person = person_create(access=small_tree.owner_access, given_names="Gus", birth_date="the year of the flood")
    assert person.birth_date == "the year of the flood"
    assert person.birth_date_start is None and person.birth_date_end is None


def test_birth_year_estimated_from_relatives_when_missing(small_tree):
    access = small_tree.owner_access
    unknown = person_create(access=access, given_names="Hal", surname="Old")
    assert unknown.estimated_birth_year is None
    family = family_create(access=access, partner1=small_tree.child, partner2=unknown)
    unknown.refresh_from_db()
    assert unknown.estimated_birth_year == 1990  # a partner's recorded birth year
    kid = person_create(access=access, given_names="Ivy")
    family_child_add(access=access, family=family, child=kid)
    kid.refresh_from_db()
    assert kid.estimated_birth_year == 1990 + 25


def test_living_rule_uses_death_and_age_limit(small_tree):
    today = datetime.date(2026, 1, 1)
    assert not person_is_living(small_tree.father, age_limit=100, today=today)  # death recorded
    assert person_is_living(small_tree.mother, age_limit=100, today=today)
    old = person_create(access=small_tree.owner_access, given_names="Ancient", birth_date="1900")
    assert not person_is_living(old, age_limit=100, today=today)
    assert person_is_living(old, age_limit=130, today=today)
    undated = person_create(access=small_tree.owner_access, given_names="Nobody")
    assert person_is_living(undated, age_limit=100, today=today)  # unknown: treated as living
    person_update(access=small_tree.owner_access, person=undated, living_override=False)
    assert not person_is_living(undated, age_limit=100, today=today)


def test_update_changes_only_given_fields_and_refreshes_estimate(small_tree):
    access = small_tree.owner_access
    person_update(access=access, person=small_tree.child, birth_date="1995")
    small_tree.child.refresh_from_db()
    assert small_tree.child.estimated_birth_year == 1995
    assert small_tree.child.given_names == "Eve"


def test_viewer_cannot_create(small_tree):
    viewer = tree_access_get(user=small_tree.users["viewer"], tree_id=small_tree.tree.pk)
    with pytest.raises(PermissionDenied):
        person_create(access=viewer, given_names="Nope")
    assert not Person.objects.filter(given_names="Nope").exists()


def test_unknown_fields_and_bad_sex_rejected(small_tree):
    with pytest.raises(InvalidInput):
        person_create(access=small_tree.owner_access, given_names="X", sex="Q")
    with pytest.raises(InvalidInput):
        person_create(access=small_tree.owner_access, colour="blue")


def test_hair_colour_and_ancestry_are_stored_and_only_known_values_taken(small_tree):
    person = person_create(access=small_tree.owner_access, given_names="Ida", hair_colour="black", ancestry="Black")
    assert (person.hair_colour, person.ancestry) == ("black", "Black")
    person_update(access=small_tree.owner_access, person=person, hair_colour="", ancestry="")
    person.refresh_from_db()
    assert (person.hair_colour, person.ancestry) == ("", "")
    with pytest.raises(InvalidInput, match="Hair colour must be one of black, dark_brown"):
        person_update(access=small_tree.owner_access, person=person, hair_colour="grey")
    with pytest.raises(InvalidInput, match="Ancestry must be one of"):
        person_update(access=small_tree.owner_access, person=person, ancestry="Unknown")
