"""English relationship names from generation counts."""

from __future__ import annotations

import pytest

from cases.genealogy.relationships import kin_word, ordinal, relationship_name


@pytest.mark.parametrize(
    ("up", "down", "sex", "name"),
    [
        (0, 1, "M", "son"),
        (0, 2, "F", "granddaughter"),
        (0, 3, "", "great-grandchild"),
        (0, 4, "M", "great-great-grandson"),
        (0, 5, "M", "3rd great-grandson"),
        (1, 0, "M", "father"),
        (2, 0, "F", "grandmother"),
        (3, 0, "F", "great-grandmother"),
        (1, 1, "F", "sister"),
        (1, 1, "", "sibling"),
        (1, 2, "M", "nephew"),
        (1, 3, "F", "grand-niece"),
        (2, 1, "M", "uncle"),
        (3, 1, "F", "great-aunt"),
        (2, 2, "", "first cousin"),
        (2, 3, "", "first cousin once removed"),
        (3, 2, "", "first cousin once removed"),
        (3, 3, "", "second cousin"),
        (3, 5, "", "second cousin twice removed"),
        (5, 2, "", "first cousin three times removed"),
        (4, 4, "", "third cousin"),
        (12, 12, "", "11th cousin"),
    ],
)
def test_names(up, down, sex, name):
    assert relationship_name(up, down, sex=sex) == name


def test_half_relations():
    assert relationship_name(1, 1, sex="M", half=True) == "half-brother"
    assert relationship_name(2, 2, half=True) == "half first cousin"
    assert relationship_name(0, 1, half=True) == "child"  # a direct line is never half


def test_edge_cases():
    assert relationship_name(0, 0) == "the same person"
    with pytest.raises(ValueError):
        relationship_name(-1, 2)
    assert kin_word("sibling-in-law", "F") == "sister-in-law"
    assert ordinal(2) == "second" and ordinal(21) == "21st" and ordinal(12) == "12th"
