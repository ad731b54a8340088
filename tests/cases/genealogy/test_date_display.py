"""Dates read as a genealogist writes them, the same on pages and on the chart."""

from __future__ import annotations

import pytest

from cases.genealogy.dates import date_display, date_display_year


@pytest.mark.parametrize(
    ("recorded", "shown"),
    [
        ("ABT 1925", "about 1925"),
        ("AFT 1985", "after 1985"),
        ("BEF 1950", "before 1950"),
        ("BET 1401 AND 1408", "between 1401 and 1408"),
        ("FROM 1870 TO 1890", "from 1870 to 1890"),
        ("TO 1910", "until 1910"),
        ("EST 1881", "estimated 1881"),
        ("CAL 1888", "calculated 1888"),
        ("12 MAR 1850", "12 March 1850"),
        ("ABT 12 MAR 1850", "about 12 March 1850"),
        ("INT 1901 (the year of the flood)", "1901 (the year of the flood)"),
        ("(in the spring)", "in the spring"),
        ("11 FEB 1731/32", "11 February 1731/32"),
        # Other calendars keep their original and add the Gregorian day.
        ("@#DJULIAN@ 3 MAR 1890", "3 March 1890 (Julian), 15 March 1890"),
        ("@#DHEBREW@ 1 TSH 5700", "1 Tishrei 5700 (Hebrew), 14 September 1939"),
        ("@#DFRENCH R@ 1 VEND 2", "1 Vendémiaire 2 (French Republican), 22 September 1793"),
        ("not a date at all", "not a date at all"),
        ("", ""),
    ],
)
def test_date_display_reads_naturally(recorded, shown):
    assert date_display(recorded) == shown


@pytest.mark.parametrize(
    ("recorded", "year"),
    [
        ("AFT 1985", "aft. 1985"),  # issue 12: the chart drew "1986"
        ("ABT 1925", "c. 1925"),  # and "1925"
        ("BEF 1950", "bef. 1950"),
        ("BET 1401 AND 1408", "bet. 1401–1408"),
        ("FROM 1900 TO 1910", "1900–1910"),
        ("12 MAR 1700", "1700"),
        ("@#DJULIAN@ 12 MAR 1699/00", "1700"),
        ("@#DHEBREW@ 1 TSH 5700", "1939"),
        ("(some time)", ""),
        ("", ""),
    ],
)
def test_date_display_year_is_the_charts_short_form(recorded, year):
    assert date_display_year(recorded) == year
