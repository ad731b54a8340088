"""Genealogical date parsing and GEDCOM 5.5.1/7.0 formatting."""

import dataclasses
import datetime
import subprocess
import sys
from pathlib import Path

import pytest

from cases.genealogy.dates import (
    DatePart,
    GenealogicalDate,
    format_gedcom_date,
    format_gedcom_date_phrase,
    format_human_date,
    parse_genealogical_date,
)

D = datetime.date


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        ("12 MAR 1901", "exact", D(1901, 3, 12), D(1901, 3, 12)),
        ("MAR 1901", "partial", D(1901, 3, 1), D(1901, 3, 31)),
        ("FEB 1900", "partial", D(1900, 2, 1), D(1900, 2, 28)),
        ("FEB 2000", "partial", D(2000, 2, 1), D(2000, 2, 29)),
        ("1901", "partial", D(1901, 1, 1), D(1901, 12, 31)),
        ("ABT 1901", "about", D(1901, 1, 1), D(1901, 12, 31)),
        ("CAL 12 MAR 1901", "calculated", D(1901, 3, 12), D(1901, 3, 12)),
        ("EST MAR 1901", "estimated", D(1901, 3, 1), D(1901, 3, 31)),
        ("BEF 1901", "before", None, D(1900, 12, 31)),
        ("AFT MAR 1901", "after", D(1901, 4, 1), None),
        ("BET 1900 AND 12 MAR 1910", "between", D(1900, 1, 1), D(1910, 3, 12)),
        ("FROM 1900 TO 1910", "from_to", D(1900, 1, 1), D(1910, 12, 31)),
        ("FROM 3 JUN 1900", "from", D(1900, 6, 3), None),
        ("TO 1910", "to", None, D(1910, 12, 31)),
        ("INT 1901 (in the year of the great flood)", "interpreted", D(1901, 1, 1), D(1901, 12, 31)),
        ("(the winter after the war)", "phrase", None, None),
        ("", "empty", None, None),
        ("   ", "empty", None, None),
    ],
)
def test_gedcom_forms_give_kind_and_day_range(text, kind, start, end):
    date = parse_genealogical_date(text)

    assert (date.kind, date.start, date.end) == (kind, start, end)
    assert date.is_valid
    assert date.original == text


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("1901-03-12", "12 MAR 1901"),
        ("1901-03", "MAR 1901"),
        ("12.03.1901", "12 MAR 1901"),
        ("about 1901", "ABT 1901"),
        ("circa 1901", "ABT 1901"),
        ("c. 1901", "ABT 1901"),
        ("ca. 1901", "ABT 1901"),
        ("~1901", "ABT 1901"),
        ("before 1901", "BEF 1901"),
        ("after March 1901", "AFT MAR 1901"),
        ("between 1900 and 1910", "BET 1900 AND 1910"),
        ("1900-1910", "BET 1900 AND 1910"),
        ("from 1900 to 1910", "FROM 1900 TO 1910"),
        ("estimated 1850", "EST 1850"),
        ("calculated 1850", "CAL 1850"),
        ("12 March 1901", "12 MAR 1901"),
        ("March 12, 1901", "12 MAR 1901"),
        ("12 mar 1901", "12 MAR 1901"),
        ("  12   MAR\t1901 ", "12 MAR 1901"),
        ("Sept 1901", "SEP 1901"),
        ("44 BC", "44 B.C."),
    ],
)
def test_human_forms_become_canonical_gedcom(text, canonical):
    date = parse_genealogical_date(text)

    assert date.is_valid, date.warning
    assert format_gedcom_date(date, "5.5.1") == canonical


def test_sort_date_is_start_or_else_end():
    assert parse_genealogical_date("MAR 1901").sort_date == D(1901, 3, 1)
    assert parse_genealogical_date("BEF 1901").sort_date == D(1900, 12, 31)
    assert parse_genealogical_date("(unknown)").sort_date is None


def test_dual_year_uses_the_later_year_for_days_and_keeps_the_notation():
    date = parse_genealogical_date("11 FEB 1731/32")

    assert date.first == DatePart(year=1731, month=2, day=11, dual_year=1732)
    assert date.start == D(1732, 2, 11)
    assert format_gedcom_date(date, "5.5.1") == "11 FEB 1731/32"
    assert format_gedcom_date(date, "7.0") == "11 FEB 1732"
    assert format_gedcom_date_phrase(date, "7.0") == "11 FEB 1731/32"


def test_dual_year_across_a_century():
    date = parse_genealogical_date("1699/00")

    assert date.first.dual_year == 1700
    assert (date.start, date.end) == (D(1700, 1, 1), D(1700, 12, 31))
    assert format_gedcom_date(date, "5.5.1") == "1699/00"


@pytest.mark.parametrize("text", ["1699/01", "12 MAY 1731/32", "@#DHEBREW@ 5700/01"])
def test_impossible_dual_years_are_invalid(text):
    assert not parse_genealogical_date(text).is_valid


@pytest.mark.parametrize(
    ("text", "calendar", "start", "end", "out_551", "out_70"),
    [
        # 4 October 1582 (Julian) was followed by 15 October 1582 (Gregorian).
        (
            "@#DJULIAN@ 4 OCT 1582",
            "julian",
            D(1582, 10, 14),
            D(1582, 10, 14),
            "@#DJULIAN@ 4 OCT 1582",
            "JULIAN 4 OCT 1582",
        ),
        ("JULIAN 1 JAN 1700", "julian", D(1700, 1, 11), D(1700, 1, 11), "@#DJULIAN@ 1 JAN 1700", "JULIAN 1 JAN 1700"),
        ("@#DJULIAN@ 1700", "julian", D(1700, 1, 11), D(1701, 1, 11), "@#DJULIAN@ 1700", "JULIAN 1700"),
        ("@#DGREGORIAN@ 12 MAR 1901", "gregorian", D(1901, 3, 12), D(1901, 3, 12), "12 MAR 1901", "12 MAR 1901"),
        # Rosh Hashanah 5785 fell on 3 October 2024; 5785 is a common year ending 22 September 2025.
        (
            "@#DHEBREW@ 1 TSH 5785",
            "hebrew",
            D(2024, 10, 3),
            D(2024, 10, 3),
            "@#DHEBREW@ 1 TSH 5785",
            "HEBREW 1 TSH 5785",
        ),
        ("HEBREW 5785", "hebrew", D(2024, 10, 3), D(2025, 9, 22), "@#DHEBREW@ 5785", "HEBREW 5785"),
        # First day of Passover 5784 (a leap year with Adar Sheni): 23 April 2024.
        (
            "HEBREW 15 NSN 5784",
            "hebrew",
            D(2024, 4, 23),
            D(2024, 4, 23),
            "@#DHEBREW@ 15 NSN 5784",
            "HEBREW 15 NSN 5784",
        ),
        ("@#DHEBREW@ ADS 5784", "hebrew", D(2024, 3, 11), D(2024, 4, 8), "@#DHEBREW@ ADS 5784", "HEBREW ADS 5784"),
        # 1 Vendémiaire an I = 22 Sep 1792; an III was sextile, so an IV began on 23 Sep 1795.
        (
            "@#DFRENCH R@ 1 VEND 1",
            "french_r",
            D(1792, 9, 22),
            D(1792, 9, 22),
            "@#DFRENCH R@ 1 VEND 1",
            "FRENCH_R 1 VEND 1",
        ),
        ("FRENCH_R 1 VEND 4", "french_r", D(1795, 9, 23), D(1795, 9, 23), "@#DFRENCH R@ 1 VEND 4", "FRENCH_R 1 VEND 4"),
        ("FRENCH_R COMP 3", "french_r", D(1795, 9, 17), D(1795, 9, 22), "@#DFRENCH R@ COMP 3", "FRENCH_R COMP 3"),
        # 18 Brumaire an VIII: 9 November 1799.
        (
            "@#DFRENCH R@ 18 BRUM 8",
            "french_r",
            D(1799, 11, 9),
            D(1799, 11, 9),
            "@#DFRENCH R@ 18 BRUM 8",
            "FRENCH_R 18 BRUM 8",
        ),
    ],
)
def test_calendars_convert_to_gregorian_and_format_per_version(text, calendar, start, end, out_551, out_70):
    date = parse_genealogical_date(text)

    assert date.is_valid, date.warning
    assert (date.calendar, date.start, date.end) == (calendar, start, end)
    assert format_gedcom_date(date, "5.5.1") == out_551
    assert format_gedcom_date(date, "7.0") == out_70


def test_calendar_escape_inside_ranges():
    date = parse_genealogical_date("BET @#DJULIAN@ 1700 AND @#DGREGORIAN@ 1710")

    assert date.first.calendar == "julian" and date.second.calendar == "gregorian"
    assert date.end == D(1710, 12, 31)
    assert format_gedcom_date(date, "7.0") == "BET JULIAN 1700 AND 1710"


@pytest.mark.parametrize(
    ("text", "out_551", "out_70"),
    [
        ("44 B.C.", "44 B.C.", "44 BCE"),
        ("15 MAR 44 BCE", "15 MAR 44 B.C.", "15 MAR 44 BCE"),
        ("ABT 500 B.C.", "ABT 500 B.C.", "ABT 500 BCE"),
        ("@#DJULIAN@ 15 MAR 44 B.C.", "@#DJULIAN@ 15 MAR 44 B.C.", "JULIAN 15 MAR 44 BCE"),
    ],
)
def test_bce_dates_keep_their_epoch_without_a_day_range(text, out_551, out_70):
    date = parse_genealogical_date(text)

    assert date.is_valid and date.first.bce
    assert date.start is None and date.end is None
    assert format_gedcom_date(date, "5.5.1") == out_551
    assert format_gedcom_date(date, "7.0") == out_70


def test_interpreted_date_in_551_becomes_date_plus_phrase_in_70():
    date = parse_genealogical_date("INT 12 MAR 1901 (twelfth of March)")

    assert date.phrase == "twelfth of March"
    assert format_gedcom_date(date, "5.5.1") == "INT 12 MAR 1901 (twelfth of March)"
    assert format_gedcom_date(date, "7.0") == "12 MAR 1901"
    assert format_gedcom_date_phrase(date, "7.0") == "twelfth of March"
    assert format_gedcom_date_phrase(date, "5.5.1") == ""


def test_70_date_with_phrase_reads_back_as_interpreted():
    date = parse_genealogical_date("12 MAR 1901", phrase="twelfth of March")

    assert date.kind == "interpreted"
    assert format_gedcom_date(date, "5.5.1") == "INT 12 MAR 1901 (twelfth of March)"


def test_70_range_with_phrase_keeps_its_kind():
    date = parse_genealogical_date("BET 1900 AND 1910", phrase="during the first decade")

    assert date.kind == "between" and date.phrase == "during the first decade"
    assert format_gedcom_date_phrase(date, "7.0") == "during the first decade"


def test_phrase_only_date_per_version():
    date = parse_genealogical_date("(stillborn)")

    assert (date.kind, date.phrase) == ("phrase", "stillborn")
    assert format_gedcom_date(date, "5.5.1") == "(stillborn)"
    assert format_gedcom_date(date, "7.0") == ""
    assert format_gedcom_date_phrase(date, "7.0") == "stillborn"
    assert parse_genealogical_date("", phrase="stillborn") == GenealogicalDate(
        original="", kind="phrase", phrase="stillborn"
    )


def test_parentheses_inside_a_phrase_cannot_close_it_early():
    date = parse_genealogical_date("", phrase="after (or at) the war")

    assert format_gedcom_date(date, "5.5.1") == "(after [or at] the war)"


@pytest.mark.parametrize(
    ("text", "warning_part"),
    [
        ("31 FEB 1901", "day 31"),
        ("30 FEB 2000", "day 30"),
        ("12/03/1901", "ambiguous"),
        ("next tuesday", "not"),
        ("13 XYZ 1901", "not a month"),
        ("0", "no year 0"),
        ("12 1901", "not a month"),
        ("BET 1900", "BET"),
        ("BET 1900 AND", "BET"),
        ("ABT", "must be followed"),
        ("INT 1901", "INT needs"),
        ("@#DFRENCH 12", "unknown calendar"),
        ("_MAYAN 12 ABC DEF 1", "cannot read"),
        ("_MAYAN 12 1", "not a month"),
        ("HEBREW ADS 5785", "ADS does not exist"),
        ("1 2 3 4 1901", "cannot read"),
        ("12 NSN 1901", "not a month"),
        ("1901-13-01", "not a valid date"),
        ("HEBREW 100 BCE", "no B.C. epoch"),
    ],
)
def test_unparseable_text_is_kept_as_an_invalid_phrase(text, warning_part):
    date = parse_genealogical_date(text)

    assert not date.is_valid
    assert date.kind == "phrase"
    assert date.original == text
    assert date.phrase == " ".join(text.split())
    assert warning_part in date.warning
    # Text that still fits the grammar goes back out as written (calendars spelled the 5.5.1 way) and
    # reads back the same; anything else becomes a date phrase.
    written = format_gedcom_date(date, "5.5.1")
    assert written == f"({date.phrase})" or parse_genealogical_date(written).warning == date.warning


@pytest.mark.parametrize(
    ("text", "v551", "v70", "phrase70"),
    [
        ("31 FEB 1901", "31 FEB 1901", "31 FEB 1901", ""),  # well formed but no such day: written back as it was
        ("HEBREW ADS 5785", "@#DHEBREW@ ADS 5785", "HEBREW ADS 5785", ""),  # calendars spelled per version
        ("TO 31 NOV 1042 BCE", "TO 31 NOV 1042 B.C.", "TO 31 NOV 1042 BCE", ""),
        ("@#DJULIAN@ 31 NOV 1042 B.C.", "@#DJULIAN@ 31 NOV 1042 B.C.", "JULIAN 31 NOV 1042 BCE", ""),
        ("1701/99", "1701/99", "", "1701/99"),  # no dual years in 7.0: the text goes to the PHRASE
        ("next tuesday", "(next tuesday)", "", "next tuesday"),
    ],
)
def test_invalid_dates_are_written_back_as_they_were_where_the_grammar_allows(text, v551, v70, phrase70):
    date = parse_genealogical_date(text)

    assert not date.is_valid and date.warning
    assert format_gedcom_date(date, "5.5.1") == v551
    assert format_gedcom_date(date, "7.0") == v70
    assert format_gedcom_date_phrase(date, "7.0") == phrase70


@pytest.mark.parametrize(
    ("text", "v551", "v70", "human"),
    [
        ("_ROMAN 28", "@#DROMAN@ 28", "_ROMAN 28", "28 (Roman calendar)"),
        ("@#DROMAN@ 28", "@#DROMAN@ 28", "_ROMAN 28", "28 (Roman calendar)"),
        (
            "@#DUNKNOWN@ 5 _MONTH 87",
            "@#DUNKNOWN@ 5 _MONTH 87",
            "_UNKNOWN 5 _MONTH 87",
            "5 _MONTH 87 (Unknown calendar)",
        ),
        (
            "_ROMAN 3 _IDES 753 _AUC",
            "@#DROMAN@ 3 _IDES 753 _AUC",
            "_ROMAN 3 _IDES 753 _AUC",
            "3 _IDES 753 _AUC (Roman calendar)",
        ),
        ("_ROMAN 753 BCE", "@#DROMAN@ 753 B.C.", "_ROMAN 753 BCE", "753 BC (Roman calendar)"),
        (
            "BET _UNKNOWN 5 AND JULIAN 1 JAN 1700",
            "BET @#DUNKNOWN@ 5 AND @#DJULIAN@ 1 JAN 1700",
            "BET _UNKNOWN 5 AND JULIAN 1 JAN 1700",
            "between 5 (Unknown calendar) and 1 January 1700 (Julian)",
        ),
        ("INT _ROMAN 86 (some text)", "INT @#DROMAN@ 86 (some text)", "_ROMAN 86", "86 (Roman calendar) (some text)"),
    ],
)
def test_extension_calendars_are_kept_and_converted_between_versions(text, v551, v70, human):
    date = parse_genealogical_date(text)

    assert date.is_valid and not date.warning
    assert date.start is None  # an extension calendar gives no days: never sorted as if it did
    assert format_gedcom_date(date, "5.5.1") == v551
    assert format_gedcom_date(date, "7.0") == v70
    assert format_human_date(date) == human
    from_70 = parse_genealogical_date(v70, phrase=format_gedcom_date_phrase(date, "7.0"))
    assert parse_genealogical_date(v551) == dataclasses.replace(from_70, original=v551)


def test_invalid_payload_with_70_phrase_keeps_the_phrase():
    date = parse_genealogical_date("_MAYAN 1 ABC DEF 1", phrase="a Maya date")

    assert not date.is_valid
    assert date.original == "_MAYAN 1 ABC DEF 1"
    assert format_gedcom_date_phrase(date, "7.0") == "a Maya date"


@pytest.mark.parametrize(
    ("payload", "phrase"),
    [
        ("BET 1701 AND 1799", "1701/99"),  # the GEDCOM 7 date-dual-invalid test file
        ("JAN 1699", "JAN 1701/99"),
        ("8 JAN 1703", "8 JAN 1701/03"),
        ("HEBREW 1703", "HEBREW 1701/02"),
    ],
)
def test_a_phrase_with_an_invalid_dual_year_is_a_warning(payload, phrase):
    date = parse_genealogical_date(payload, phrase=phrase)

    assert date.is_valid and "dual year" in date.warning
    assert date.phrase == phrase  # kept, and written back
    assert format_gedcom_date_phrase(date, "7.0") == phrase


def test_a_phrase_with_a_valid_dual_year_restores_it_without_a_warning():
    date = parse_genealogical_date("11 FEB 1732", phrase="11 FEB 1731/32")

    assert date.first.dual_year == 1732 and not date.warning


def test_range_ending_before_it_starts_is_kept_with_a_warning():
    date = parse_genealogical_date("BET 1910 AND 1900")

    assert date.is_valid and date.kind == "between"
    assert "ends before it starts" in date.warning


@pytest.mark.parametrize(
    "text",
    [
        "12 MAR 1901",
        "MAR 1901",
        "1901",
        "ABT 1901",
        "CAL 1901",
        "EST 1901",
        "BEF 1901",
        "AFT 1901",
        "BET 1900 AND 1910",
        "FROM 1900 TO 1910",
        "FROM 1900",
        "TO 1910",
        "INT 1901 (a guess)",
        "(unknown)",
        "11 FEB 1731/32",
        "@#DJULIAN@ 4 OCT 1582",
        "@#DHEBREW@ 1 TSH 5785",
        "@#DFRENCH R@ 18 BRUM 8",
        "44 B.C.",
        "BET @#DJULIAN@ 1700 AND 1710",
    ],
)
def test_551_text_round_trips_through_both_versions(text):
    date = parse_genealogical_date(text)
    again_551 = parse_genealogical_date(format_gedcom_date(date, "5.5.1"))
    again_70 = parse_genealogical_date(format_gedcom_date(date, "7.0"), phrase=format_gedcom_date_phrase(date, "7.0"))

    assert format_gedcom_date(again_551, "5.5.1") == text
    assert (again_551.kind, again_551.start, again_551.end) == (date.kind, date.start, date.end)
    assert (again_70.start, again_70.end) == (date.start, date.end)
    assert format_gedcom_date(again_70, "7.0") == format_gedcom_date(date, "7.0")


def test_unknown_version_is_rejected():
    with pytest.raises(ValueError, match="unsupported GEDCOM version"):
        format_gedcom_date(parse_genealogical_date("1901"), "5.5")


def test_dates_are_immutable_and_hashable():
    date = parse_genealogical_date("12 MAR 1901")

    with pytest.raises(AttributeError):
        date.kind = "about"  # type: ignore[misc]
    assert len({date, parse_genealogical_date("12 MAR 1901")}) == 1


def test_genealogy_package_does_not_import_django():
    code = "import sys, cases.genealogy.dates, cases.genealogy.calendars; assert 'django' not in sys.modules"

    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[3])


def test_dual_year_survives_70_through_its_phrase():
    date = parse_genealogical_date("BET 1699/00 AND 1705")
    payload, phrase = format_gedcom_date(date, "7.0"), format_gedcom_date_phrase(date, "7.0")

    again = parse_genealogical_date(payload, phrase=phrase)

    assert (payload, phrase) == ("BET 1700 AND 1705", "BET 1699/00 AND 1705")
    assert again.first.dual_year == 1700 and again.kind == "between" and again.phrase == ""
    assert format_gedcom_date(again, "5.5.1") == "BET 1699/00 AND 1705"


def test_a_phrase_that_merely_looks_like_a_dual_year_stays_a_phrase():
    date = parse_genealogical_date("1700", phrase="1703/04")

    assert date.kind == "interpreted" and date.phrase == "1703/04"


@pytest.mark.parametrize(
    ("text", "human"),
    [
        ("12 MAR 1901", "12 March 1901"),
        ("MAR 1901", "March 1901"),
        ("ABT 1901", "about 1901"),
        ("CAL 1901", "calculated 1901"),
        ("EST 1901", "estimated 1901"),
        ("BEF 1901", "before 1901"),
        ("AFT 1901", "after 1901"),
        ("BET 1900 AND 1910", "between 1900 and 1910"),
        ("FROM 1900 TO 1910", "from 1900 to 1910"),
        ("FROM 1900", "from 1900"),
        ("TO 1910", "until 1910"),
        ("INT 1901 (a guess)", "1901 (a guess)"),
        ("(stillborn)", "stillborn"),
        ("", ""),
        ("11 FEB 1731/32", "11 February 1731/32"),
        ("@#DJULIAN@ 4 OCT 1582", "4 October 1582 (Julian)"),
        ("@#DHEBREW@ 1 TSH 5785", "1 Tishrei 5785 (Hebrew)"),
        ("@#DFRENCH R@ 18 BRUM 8", "18 Brumaire 8 (French Republican)"),
        ("44 B.C.", "44 BC"),
        ("31 FEB 1901", "31 FEB 1901"),
    ],
)
def test_human_formatting(text, human):
    from cases.genealogy.dates import format_human_date

    assert format_human_date(parse_genealogical_date(text)) == human


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("12 MAR 1901", ""),
        ("INT 1901 (a guess)", "a guess"),
        ("12 MAR 1901", "twelfth"),
        ("", "stillborn"),
        ("about 1901", ""),
        ("BET 1699/00 AND 1705", ""),
        ("31 FEB 1901", ""),
        ("HEBREW 5785", ""),
    ],
)
def test_a_date_rebuilds_from_its_stored_original_and_phrase(text, phrase):
    date = parse_genealogical_date(text, phrase=phrase)

    assert parse_genealogical_date(date.original, phrase=date.phrase) == date
