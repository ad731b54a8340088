"""The re-progression schedule: every 2 years until 18, then every 5."""

from __future__ import annotations

import datetime

import pytest

from cases.progression import age_group_for, age_on, next_progression_due, progression_schedule

D = datetime.date


def test_child_every_two_years_then_adult_every_five():
    birth = D(2010, 3, 15)
    days = progression_schedule(birth=birth, start=D(2015, 6, 1), until=D(2040, 1, 1))
    assert days == [
        D(2017, 6, 1),
        D(2019, 6, 1),
        D(2021, 6, 1),
        D(2023, 6, 1),
        D(2025, 6, 1),
        D(2027, 6, 1),
        D(2028, 3, 15),
        D(2033, 3, 15),
        D(2038, 3, 15),
    ]


def test_never_skips_the_eighteenth_birthday():
    birth = D(2000, 1, 10)
    assert next_progression_due(birth=birth, last_done=D(2017, 6, 1)) == D(2018, 1, 10)
    assert next_progression_due(birth=birth, last_done=D(2018, 1, 10)) == D(2023, 1, 10)


def test_leap_day_birth():
    birth = D(2004, 2, 29)
    assert next_progression_due(birth=birth, last_done=D(2021, 3, 1)) == D(2022, 2, 28)


@pytest.mark.parametrize(
    ("age", "group"),
    [
        (0, "0-2"),
        (2, "0-2"),
        (3, "3-9"),
        (9, "3-9"),
        (10, "10-19"),
        (19, "10-19"),
        (20, "20-29"),
        (69, "60-69"),
        (70, "70+"),
        (101, "70+"),
    ],
)
def test_age_groups(age, group):
    assert age_group_for(age) == group


def test_age_on_counts_whole_years():
    assert age_on(D(2010, 3, 15), D(2020, 3, 14)) == 9
    assert age_on(D(2010, 3, 15), D(2020, 3, 15)) == 10
