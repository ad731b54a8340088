"""Convert Julian, Hebrew and French Republican calendar dates to proleptic Gregorian day numbers.

Day numbers are "rata die" (day 1 = 1 January of Gregorian year 1), the same numbering as
`datetime.date.toordinal()`, so a value >= 1 converts with `date.fromordinal`. The Hebrew
arithmetic follows Dershowitz & Reingold, *Calendrical Calculations* (3rd ed.), chapter 8.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import datetime

GREGORIAN = "gregorian"
JULIAN = "julian"
HEBREW = "hebrew"
FRENCH_R = "french_r"
CALENDARS = (GREGORIAN, JULIAN, HEBREW, FRENCH_R)

# Month codes in GEDCOM order; the index + 1 is the month number used throughout.
GREGORIAN_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
HEBREW_MONTHS = ("TSH", "CSH", "KSL", "TVT", "SHV", "ADR", "ADS", "NSN", "IYR", "SVN", "TMZ", "AAV", "ELL")
FRENCH_MONTHS = (
    "VEND",
    "BRUM",
    "FRIM",
    "NIVO",
    "PLUV",
    "VENT",
    "GERM",
    "FLOR",
    "PRAI",
    "MESS",
    "THER",
    "FRUC",
    "COMP",
)
# Display names in the same order as the codes.
MONTH_NAMES = {
    GREGORIAN: (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    HEBREW: (
        "Tishrei",
        "Cheshvan",
        "Kislev",
        "Tevet",
        "Shevat",
        "Adar",
        "Adar II",
        "Nisan",
        "Iyar",
        "Sivan",
        "Tammuz",
        "Av",
        "Elul",
    ),
    FRENCH_R: (
        "Vendémiaire",
        "Brumaire",
        "Frimaire",
        "Nivôse",
        "Pluviôse",
        "Ventôse",
        "Germinal",
        "Floréal",
        "Prairial",
        "Messidor",
        "Thermidor",
        "Fructidor",
        "jours complémentaires",
    ),
}
MONTH_NAMES[JULIAN] = MONTH_NAMES[GREGORIAN]
MONTH_CODES = {
    GREGORIAN: GREGORIAN_MONTHS,
    JULIAN: GREGORIAN_MONTHS,
    HEBREW: HEBREW_MONTHS,
    FRENCH_R: FRENCH_MONTHS,
}

_MAX_ORDINAL = datetime.date.max.toordinal()
# R.D. of 1 Tishri AM 1 (7 October 3761 BCE, Julian).
_HEBREW_EPOCH = -1373427
# 1 Vendémiaire an I = 22 September 1792.
_FRENCH_EPOCH = datetime.date(1792, 9, 22).toordinal()
# Years I–XX of the Republic that were sextile under the equinox rule actually applied (III, VII,
# XI, XV, XX); later years follow Romme's proposed Gregorian-like rule.
_FRENCH_SEXTILE_TO_20 = frozenset({3, 7, 11, 15, 20})


def days_in_month(calendar: str, year: int, month: int) -> int:
    """Return the number of days of `month` (1-based, GEDCOM order) in `year`; 0 if it does not exist."""
    if calendar == GREGORIAN:
        return (
            _stdlib_calendar.monthrange(year, month)[1]
            if 1 <= year <= 9999
            else _julian_like_days(year, month, _gregorian_leap(year))
        )
    if calendar == JULIAN:
        return _julian_like_days(year, month, _julian_leap(year))
    if calendar == HEBREW:
        return _hebrew_days_in_gedcom_month(year, month)
    if calendar == FRENCH_R:
        if month < 13:
            return 30
        return 6 if _french_sextile(year) else 5
    raise ValueError(f"unknown calendar {calendar!r}")


def to_ordinal(calendar: str, year: int, month: int, day: int) -> int:
    """Return the Gregorian day number of a valid date (year > 0, month and day 1-based)."""
    if calendar == GREGORIAN:
        return _gregorian_ordinal(year, month, day)
    if calendar == JULIAN:
        return _julian_ordinal(year, month, day)
    if calendar == HEBREW:
        return _hebrew_ordinal(year, month, day)
    if calendar == FRENCH_R:
        return _french_ordinal(year, month, day)
    raise ValueError(f"unknown calendar {calendar!r}")


def ordinal_to_date(ordinal: int) -> datetime.date | None:
    """Return the `datetime.date` of a day number, or None outside years 1–9999."""
    if 1 <= ordinal <= _MAX_ORDINAL:
        return datetime.date.fromordinal(ordinal)
    return None


def _gregorian_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _julian_leap(year: int) -> bool:
    return year % 4 == 0


def _julian_like_days(year: int, month: int, leap: bool) -> int:
    if month == 2:
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _days_before_month(month: int, leap: bool) -> int:
    # Same formula as Calendrical Calculations' fixed-from-gregorian/julian.
    correction = 0 if month <= 2 else (-1 if leap else -2)
    return (367 * month - 362) // 12 + correction


def _gregorian_ordinal(year: int, month: int, day: int) -> int:
    prior = year - 1
    return (
        365 * prior + prior // 4 - prior // 100 + prior // 400 + _days_before_month(month, _gregorian_leap(year)) + day
    )


def _julian_ordinal(year: int, month: int, day: int) -> int:
    prior = year - 1
    # The Julian epoch is R.D. -1 (30 December of Gregorian year 0).
    return -2 + 365 * prior + prior // 4 + _days_before_month(month, _julian_leap(year)) + day


def _hebrew_leap(year: int) -> bool:
    return (7 * year + 1) % 19 < 7


def _hebrew_elapsed_days(year: int) -> int:
    months = (235 * year - 234) // 19
    parts = 12084 + 13753 * months
    days = 29 * months + parts // 25920
    # Molad postponement: Rosh Hashanah never falls on Sunday, Wednesday or Friday.
    return days + 1 if (3 * (days + 1)) % 7 < 3 else days


def _hebrew_year_length_correction(year: int) -> int:
    ny0 = _hebrew_elapsed_days(year - 1)
    ny1 = _hebrew_elapsed_days(year)
    ny2 = _hebrew_elapsed_days(year + 1)
    if ny2 - ny1 == 356:
        return 2
    if ny1 - ny0 == 382:
        return 1
    return 0


def _hebrew_new_year(year: int) -> int:
    return _HEBREW_EPOCH + _hebrew_elapsed_days(year) + _hebrew_year_length_correction(year)


def _hebrew_year_days(year: int) -> int:
    return _hebrew_new_year(year + 1) - _hebrew_new_year(year)


def _hebrew_month_days_dr(year: int, month: int) -> int:
    """Length of a month in Dershowitz–Reingold numbering (Nisan = 1 … Adar II = 13)."""
    year_days = _hebrew_year_days(year)
    if month in (2, 4, 6, 10, 13):
        return 29
    if month == 12 and not _hebrew_leap(year):
        return 29
    if month == 8 and year_days % 10 != 5:  # Heshvan is long only in 355/385-day years
        return 29
    if month == 9 and year_days % 10 == 3:  # Kislev is short in 353/383-day years
        return 29
    return 30


# GEDCOM month number (TSH = 1 … ELL = 13) → Dershowitz–Reingold month number.
_GEDCOM_TO_DR_HEBREW = {1: 7, 2: 8, 3: 9, 4: 10, 5: 11, 6: 12, 7: 13, 8: 1, 9: 2, 10: 3, 11: 4, 12: 5, 13: 6}


def _hebrew_days_in_gedcom_month(year: int, month: int) -> int:
    if month == 7 and not _hebrew_leap(year):
        return 0  # Adar Sheni exists only in leap years
    return _hebrew_month_days_dr(year, _GEDCOM_TO_DR_HEBREW[month])


def _hebrew_ordinal(year: int, month: int, day: int) -> int:
    # GEDCOM months run in year order from Tishri, so days before the month are a plain sum.
    elapsed = sum(_hebrew_days_in_gedcom_month(year, m) for m in range(1, month))
    return _hebrew_new_year(year) + elapsed + day - 1


def _french_sextile(year: int) -> bool:
    if year <= 20:
        return year in _FRENCH_SEXTILE_TO_20
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _french_ordinal(year: int, month: int, day: int) -> int:
    days_before_year = sum(366 if _french_sextile(y) else 365 for y in range(1, year))
    return _FRENCH_EPOCH + days_before_year + 30 * (month - 1) + day - 1
