"""How a typed date reads before it is saved, and the strict check forms and event services use."""

from __future__ import annotations

import datetime

import pytest

from cases.errors import InvalidInput
from cases.services.dates import date_understand, stored_date_checked


@pytest.mark.parametrize(
    "text, shown, start, end",
    [
        ("ABT 1925", "about 1925", datetime.date(1925, 1, 1), datetime.date(1925, 12, 31)),
        ("  12   mar 1901 ", "12 March 1901", datetime.date(1901, 3, 12), datetime.date(1901, 3, 12)),
        ("BET 1850 AND 1855", "between 1850 and 1855", datetime.date(1850, 1, 1), datetime.date(1855, 12, 31)),
        ("BEF 1900", "before 1900", None, datetime.date(1899, 12, 31)),
        ("(in the spring)", "in the spring", None, None),
    ],
)
def test_readable_dates_say_how_they_read(text, shown, start, end):
    reading = date_understand(text)
    assert (reading.shown, reading.start, reading.end, reading.error) == (shown, start, end, "")
    assert stored_date_checked(text, field="birth_date").start == start


@pytest.mark.parametrize(
    "text, reason",
    [
        ("31 FEB 1900", "day 31 does not exist"),
        ("1/2/1900", "ambiguous"),
        ("spring 1900", "'spring' is not"),
        ("the year of the flood", "cannot read “the year of the flood” as a date."),
    ],
)
def test_unreadable_dates_are_refused_with_the_reason_and_a_way_out(text, reason):
    reading = date_understand(text)
    assert reason in reading.error and "(in the spring)" in reading.error and reading.shown == ""
    with pytest.raises(InvalidInput) as error:
        stored_date_checked(text, field="death_date")
    assert error.value.extra == {"field": "death_date"}


def test_empty_date_is_allowed_and_reads_as_nothing():
    assert date_understand("  ").as_json() == {"text": "", "shown": "", "error": "", "earliest": None, "latest": None}
