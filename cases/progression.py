"""When a missing child's age progression is due again: every 2 years until 18, then every 5.

Pure date arithmetic, no database: the case services store what these functions return.
"""

from __future__ import annotations

import datetime

from genetics.engine import AGE_GROUPS

CHILD_INTERVAL_YEARS = 2
"""Years between progressions while the person is under :data:`ADULT_AGE` (faces change fast)."""

ADULT_INTERVAL_YEARS = 5
"""Years between progressions from :data:`ADULT_AGE` on."""

ADULT_AGE = 18


def add_years(day: datetime.date, years: int) -> datetime.date:
    """Return the same calendar day ``years`` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def age_on(birth: datetime.date, day: datetime.date) -> int:
    """Return the age in whole years on ``day`` of someone born on ``birth``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def age_group_for(age: int) -> str:
    """Return the engine age group (FairFace bin) holding an age in years."""
    if age < 0:
        raise ValueError("age must not be negative")
    bounds = [(0, 2), (3, 9), (10, 19), (20, 29), (30, 39), (40, 49), (50, 59), (60, 69)]
    for group, (low, high) in zip(AGE_GROUPS, bounds):
        if low <= age <= high:
            return group
    return AGE_GROUPS[-1]


def next_progression_due(*, birth: datetime.date, last_done: datetime.date) -> datetime.date:
    """Return the day the next progression is due after one made on ``last_done``.

    Under 18 the next one is 2 years later, but no later than the 18th birthday (the adult face is
    worth a progression of its own); from 18 on it is 5 years later.
    """
    adult_on = add_years(birth, ADULT_AGE)
    if last_done < adult_on:
        return min(add_years(last_done, CHILD_INTERVAL_YEARS), adult_on)
    return add_years(last_done, ADULT_INTERVAL_YEARS)


def progression_schedule(*, birth: datetime.date, start: datetime.date, until: datetime.date) -> list[datetime.date]:
    """Return every due day after a progression on ``start`` up to and including ``until``."""
    days = []
    day = next_progression_due(birth=birth, last_done=start)
    while day <= until:
        days.append(day)
        day = next_progression_due(birth=birth, last_done=day)
    return days
