"""Parse and format genealogical dates: every GEDCOM 5.5.1 and 7.0 date form plus common human input.

A `GenealogicalDate` keeps the text it came from (`original`), its structure (`kind`, one or two
`DatePart`s, calendar) and the Gregorian day range it can fall in (`start`, `end`), so the app can
sort and filter on real days while export writes back what the genealogist recorded. Input that
cannot be understood is never dropped: it becomes a date phrase with `is_valid=False` and a warning.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import re
from dataclasses import dataclass

from cases.genealogy import calendars
from cases.genealogy.calendars import FRENCH_R, GREGORIAN, HEBREW, JULIAN

GEDCOM_551 = "5.5.1"
GEDCOM_70 = "7.0"

KINDS = (
    "empty",
    "exact",
    "partial",
    "about",
    "calculated",
    "estimated",
    "before",
    "after",
    "between",
    "from",
    "to",
    "from_to",
    "phrase",
    "interpreted",
)
# Kinds that wrap exactly one date and the keyword each has in GEDCOM.
_SINGLE_KEYWORD = {
    "about": "ABT",
    "calculated": "CAL",
    "estimated": "EST",
    "before": "BEF",
    "after": "AFT",
    "from": "FROM",
    "to": "TO",
}


@dataclass(frozen=True)
class DatePart:
    """One calendar date as written: a year, optionally a month, optionally a day."""

    calendar: str = GREGORIAN
    year: int = 1
    month: int | None = None  # 1-based index into calendars.MONTH_CODES[calendar]
    day: int | None = None
    dual_year: int | None = None  # full later year of a 5.5.1 dual year: 1700 for "1699/00"
    bce: bool = False
    month_code: str = ""  # the month as written, in an extension calendar only ("_MONTH"; `month` stays None)
    epoch: str = ""  # an extension epoch as written ("_AUC"); B.C./BCE is `bce`

    @property
    def is_extension(self) -> bool:
        """Return whether the calendar is one Kinship keeps as written but cannot convert (`_ROMAN`…)."""
        return self.calendar.startswith("_")

    @property
    def effective_year(self) -> int:
        """Return the year used for day arithmetic (the later year of a dual year)."""
        return self.dual_year if self.dual_year is not None else self.year


@dataclass(frozen=True)
class GenealogicalDate:
    """A genealogical date: original text, structure and the Gregorian day range it covers."""

    original: str
    kind: str  # one of KINDS
    calendar: str = GREGORIAN  # calendar of the first date part
    start: datetime.date | None = None  # earliest possible day (None: open or not representable)
    end: datetime.date | None = None  # latest possible day
    phrase: str = ""  # free text: a 5.5.1 "(phrase)" / INT phrase, or a 7.0 PHRASE substructure
    first: DatePart | None = None
    second: DatePart | None = None  # the upper bound of BET…AND and FROM…TO
    is_valid: bool = True  # False when the text could not be parsed and was kept as a phrase
    warning: str = ""  # why the text is invalid or suspicious; empty when all is well

    @property
    def sort_date(self) -> datetime.date | None:
        """Return the day to sort on: the earliest possible day, else the latest."""
        return self.start or self.end


class _DateSyntaxError(ValueError):
    """Raised internally when a date text does not follow any known form."""


# Words people type for the GEDCOM keywords; the canonical keyword maps to itself.
_KEYWORD_ALIASES = {
    "ABT": "ABT",
    "ABOUT": "ABT",
    "CIRCA": "ABT",
    "CA": "ABT",
    "C": "ABT",
    "APPROX": "ABT",
    "APPROXIMATELY": "ABT",
    "AROUND": "ABT",
    "CAL": "CAL",
    "CALC": "CAL",
    "CALCULATED": "CAL",
    "EST": "EST",
    "ESTIMATED": "EST",
    "BEF": "BEF",
    "BEFORE": "BEF",
    "AFT": "AFT",
    "AFTER": "AFT",
    "BET": "BET",
    "BETWEEN": "BET",
    "BTW": "BET",
    "FROM": "FROM",
    "TO": "TO",
    "UNTIL": "TO",
    "TILL": "TO",
    "INT": "INT",
}
_KEYWORD_KIND = {"ABT": "about", "CAL": "calculated", "EST": "estimated", "BEF": "before", "AFT": "after"}

_ESCAPES_551 = {
    "@#DGREGORIAN@": GREGORIAN,
    "@#DJULIAN@": JULIAN,
    "@#DHEBREW@": HEBREW,
    "@#DFRENCH R@": FRENCH_R,
}
_CALENDAR_WORDS_70 = {"GREGORIAN": GREGORIAN, "JULIAN": JULIAN, "HEBREW": HEBREW, "FRENCH_R": FRENCH_R}
# 7.0 extension calendars, months and epochs are tags like "_ROMAN"; 5.5.1 writes "@#DROMAN@".
_EXTENSION_TAG_RE = re.compile(r"^_[A-Z0-9_]+$")
_MONTH_TAG_RE = re.compile(r"^[A-Z_][A-Z0-9_]*$")

_ENGLISH_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("JANUARY",),
            ("FEBRUARY",),
            ("MARCH",),
            ("APRIL",),
            ("MAY",),
            ("JUNE",),
            ("JULY",),
            ("AUGUST",),
            ("SEPTEMBER", "SEPT"),
            ("OCTOBER",),
            ("NOVEMBER",),
            ("DECEMBER",),
        ),
        start=1,
    )
    for name in names
}
_BCE_WORDS = frozenset({"B.C.", "BC", "B.C", "BCE", "B.C.E."})

_PHRASE_RE = re.compile(r"^(?P<head>.*?)\s*\((?P<phrase>.*)\)\s*$", re.DOTALL)
_ISO_RE = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?$")
_DOTTED_RE = re.compile(r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{1,4})$")
_YEAR_SPAN_RE = re.compile(r"^(?P<a>\d{3,4})\s*[-–]\s*(?P<b>\d{3,4})$")
_YEAR_RE = re.compile(r"^(?P<y>\d{1,4})(?:/(?P<dual>\d{2}|\d{4}))?$")
_SIMPLE_RE = re.compile(r"(?:(\d{1,2}) )?(?:([A-Za-z]{3}) )?(\d{1,4})$")
_GREGORIAN_INDEX = {code: number for number, code in enumerate(calendars.GREGORIAN_MONTHS, start=1)}
_AMBIGUOUS_SLASH_RE = re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4}$")


@functools.lru_cache(maxsize=4096)  # dates repeat a lot in a family file; results are immutable
def parse_genealogical_date(text: str, *, phrase: str = "") -> GenealogicalDate:
    """Parse a GEDCOM 5.5.1/7.0 DATE payload or a human date; never raise, never lose the text.

    `phrase` is a GEDCOM 7.0 `PHRASE` substructure read alongside the payload.
    """
    original = text
    phrase = phrase.strip()
    cleaned = " ".join(text.split())
    if not cleaned:
        if phrase:
            return GenealogicalDate(original=original, kind="phrase", phrase=phrase)
        return GenealogicalDate(original=original, kind="empty")
    try:
        parsed = _parse(cleaned, original)
    except _DateSyntaxError as error:
        return GenealogicalDate(
            original=original, kind="phrase", phrase=phrase or cleaned, is_valid=False, warning=str(error)
        )
    if phrase:
        restored = _dual_year_from_phrase(parsed, phrase)
        if restored is not None:
            return dataclasses.replace(restored, original=original)
        kind = "interpreted" if parsed.kind in ("exact", "partial") else parsed.kind
        return dataclasses.replace(
            parsed, kind=kind, phrase=phrase, warning=parsed.warning or _dual_phrase_warning(parsed, phrase)
        )
    return parsed


_DUAL_YEAR_RE = re.compile(r"\b\d{1,4}/\d{1,4}\b")


def _dual_phrase_warning(parsed: GenealogicalDate, phrase: str) -> str:
    """Return why a PHRASE that reads as a dual-year date does not fit, or "" when it is ordinary text."""
    if not _DUAL_YEAR_RE.search(phrase):
        return ""
    try:
        candidate = _parse(" ".join(phrase.split()), phrase)
    except _DateSyntaxError as error:
        return f"the PHRASE “{phrase}” reads as a dual year but is not a valid one ({error})"
    if (candidate.kind, candidate.start, candidate.end) != (parsed.kind, parsed.start, parsed.end):
        return f"the PHRASE “{phrase}” is a dual year that does not say the same as the date"
    return ""


def _dual_year_from_phrase(parsed: GenealogicalDate, phrase: str) -> GenealogicalDate | None:
    """Return the dual-year date a 7.0 writer put in PHRASE, if it says the same as the payload."""
    if "/" not in phrase:
        return None
    try:
        candidate = _parse(" ".join(phrase.split()), phrase)
    except _DateSyntaxError:
        return None
    has_dual = any(p is not None and p.dual_year is not None for p in (candidate.first, candidate.second))
    same = (candidate.kind, candidate.start, candidate.end) == (parsed.kind, parsed.start, parsed.end)
    return candidate if has_dual and same else None


def format_gedcom_date(date: GenealogicalDate, version: str = GEDCOM_551) -> str:
    """Return the DATE line payload for `version` ("5.5.1" or "7.0").

    In 7.0 a date phrase is not part of the payload; write `format_gedcom_date_phrase` as a
    `PHRASE` substructure.
    """
    _check_version(version)
    return _format(date, version, dual_years=version == GEDCOM_551)


def _format(date: GenealogicalDate, version: str, *, dual_years: bool) -> str:
    if date.kind == "empty":
        return ""
    if date.kind == "phrase":
        verbatim = _verbatim(date, version)
        if verbatim:
            return verbatim
        return f"({_phrase_text(date.phrase)})" if version == GEDCOM_551 else ""
    assert date.first is not None
    first = _format_part(date.first, version, dual_years)
    if date.kind in ("exact", "partial"):
        return first
    if date.kind == "interpreted":
        return f"INT {first} ({_phrase_text(date.phrase)})" if version == GEDCOM_551 else first
    if date.kind in _SINGLE_KEYWORD:
        return f"{_SINGLE_KEYWORD[date.kind]} {first}"
    assert date.second is not None
    second = _format_part(date.second, version, dual_years)
    if date.kind == "between":
        return f"BET {first} AND {second}"
    return f"FROM {first} TO {second}"


def format_gedcom_date_phrase(date: GenealogicalDate, version: str = GEDCOM_551) -> str:
    """Return the 7.0 `PHRASE` text to write under DATE, or "" (always "" for 5.5.1)."""
    _check_version(version)
    if version == GEDCOM_551:
        return ""
    if date.kind == "phrase" and _verbatim(date, version) and date.phrase == " ".join(date.original.split()):
        return ""  # the text went out as the payload, unchanged
    if date.phrase:
        return date.phrase
    dual_parts = [p for p in (date.first, date.second) if p is not None and p.dual_year is not None]
    if dual_parts:
        # 7.0 has no dual years: keep the dual wording in the phrase so a reader still sees "1699/00".
        return _format(date, version, dual_years=True)
    return ""


_HUMAN_PREFIX = {
    "about": "about",
    "calculated": "calculated",
    "estimated": "estimated",
    "before": "before",
    "after": "after",
    "from": "from",
    "to": "until",
}
_CALENDAR_NAMES = {JULIAN: "Julian", HEBREW: "Hebrew", FRENCH_R: "French Republican"}


def format_human_date(date: GenealogicalDate) -> str:
    """Return the date in plain English for pages and forms ("about March 1901", "between 1900 and 1910")."""
    if date.kind in ("empty", "phrase"):
        return date.phrase
    assert date.first is not None
    first = _human_part(date.first)
    if date.kind in ("exact", "partial"):
        return first
    if date.kind == "interpreted":
        return f"{first} ({date.phrase})"
    if date.kind in _HUMAN_PREFIX:
        return f"{_HUMAN_PREFIX[date.kind]} {first}"
    assert date.second is not None
    second = _human_part(date.second)
    return f"between {first} and {second}" if date.kind == "between" else f"from {first} to {second}"


def _human_part(part: DatePart) -> str:
    if part.is_extension:
        label = f"({part.calendar[1:].replace('_', ' ').title()} calendar)"
        return " ".join([*_extension_words(part), *(["BC"] if part.bce else []), label])
    words = [str(part.day)] if part.day is not None else []
    if part.month is not None:
        words.append(calendars.MONTH_NAMES[part.calendar][part.month - 1])
    words.append(f"{part.year}/{part.dual_year % 100:02d}" if part.dual_year is not None else str(part.year))
    if part.bce:
        words.append("BC")
    if part.calendar != GREGORIAN:
        words.append(f"({_CALENDAR_NAMES[part.calendar]})")
    return " ".join(words)


def _check_version(version: str) -> None:
    if version not in (GEDCOM_551, GEDCOM_70):
        raise ValueError(f"unsupported GEDCOM version {version!r}; use '5.5.1' or '7.0'")


def _phrase_text(phrase: str) -> str:
    # A ")" inside the phrase would end a 5.5.1 date phrase early.
    return phrase.replace("(", "[").replace(")", "]")


def _format_part(part: DatePart, version: str, dual_years: bool) -> str:
    if part.is_extension:
        escape = f"@#D{part.calendar[1:]}@" if version == GEDCOM_551 else part.calendar
        words = [escape, *_extension_words(part)]
        if part.bce:
            words.insert(-1 if part.epoch else len(words), "B.C." if version == GEDCOM_551 else "BCE")
        return " ".join(words)
    words: list[str] = []
    if part.calendar != GREGORIAN:
        if version == GEDCOM_551:
            words.append({JULIAN: "@#DJULIAN@", HEBREW: "@#DHEBREW@", FRENCH_R: "@#DFRENCH R@"}[part.calendar])
        else:
            words.append({JULIAN: "JULIAN", HEBREW: "HEBREW", FRENCH_R: "FRENCH_R"}[part.calendar])
    if part.day is not None:
        words.append(str(part.day))
    if part.month is not None:
        words.append(calendars.MONTH_CODES[part.calendar][part.month - 1])
    if part.dual_year is not None and dual_years:
        words.append(f"{part.year}/{part.dual_year % 100:02d}")
    else:
        words.append(str(part.effective_year))
    if part.bce:
        words.append("B.C." if version == GEDCOM_551 else "BCE")
    return " ".join(words)


def _extension_words(part: DatePart) -> list[str]:
    """Return day, month, year and extension epoch of an extension-calendar date, as written."""
    words = [str(part.day)] if part.day is not None else []
    if part.month_code:
        words.append(part.month_code)
    words.append(str(part.year))
    if part.epoch:
        words.append(part.epoch)
    return words


# Whole DATE payloads as each version's grammar allows them (day ranges are not checked here).
_CAL_70 = r"(?:(?:GREGORIAN|JULIAN|FRENCH_R|HEBREW|_[A-Z0-9_]+) )?"
_DATE_70 = _CAL_70 + r"(?:(?:\d+ )?[A-Z_][A-Z0-9_]* )?\d+(?: (?:BCE|_[A-Z0-9_]+))?"
_SYNTAX_70 = re.compile(
    rf"^(?:{_DATE_70}|(?:ABT|CAL|EST|BEF|AFT|TO) {_DATE_70}|BET {_DATE_70} AND {_DATE_70}"
    rf"|FROM {_DATE_70}(?: TO {_DATE_70})?)$"
)
_DATE_551 = r"(?:@#D[A-Z ]+@ )?(?:(?:\d{1,2} )?[A-Z_][A-Z0-9_]* )?\d{1,4}(?:/\d{2})?(?: B\.C\.)?"
_SYNTAX_551 = re.compile(
    rf"^(?:{_DATE_551}|(?:ABT|CAL|EST|BEF|AFT|TO) {_DATE_551}|BET {_DATE_551} AND {_DATE_551}"
    rf"|FROM {_DATE_551}(?: TO {_DATE_551})?|INT {_DATE_551} \(.*\)|\(.*\))$"
)


def _verbatim(date: GenealogicalDate, version: str) -> str:
    """Return the text of a date Kinship could not read when it still fits the version's grammar, else "".

    A file may hold dates that are well formed but wrong (31 NOV) or in a form this parser does not
    know; writing them back as they were loses nothing, where a phrase would change the value.
    """
    if date.is_valid or not date.original.strip():
        return ""
    text = _respell(" ".join(date.original.split()), version)
    return text if (_SYNTAX_70 if version == GEDCOM_70 else _SYNTAX_551).match(text) else ""


_WORDS_TO_ESCAPES = {
    "GREGORIAN": "@#DGREGORIAN@",
    "JULIAN": "@#DJULIAN@",
    "HEBREW": "@#DHEBREW@",
    "FRENCH_R": "@#DFRENCH R@",
}
_ESCAPES_TO_WORDS = {escape: word for word, escape in _WORDS_TO_ESCAPES.items()}
_CALENDAR_WORD_RE = re.compile(r"(?<!\S)(GREGORIAN|JULIAN|HEBREW|FRENCH_R)(?= )")
_ESCAPE_RE = re.compile(r"@#D[A-Z ]+@")


def _respell(text: str, version: str) -> str:
    """Return a date text with calendars and B.C. spelled as `version` spells them (nothing else changes)."""
    if version == GEDCOM_551:
        text = _CALENDAR_WORD_RE.sub(lambda m: _WORDS_TO_ESCAPES[m.group(1)], text)
        return re.sub(r"(?<= \d)BCE\b|(?<=\d) BCE\b", lambda m: m.group(0).replace("BCE", "B.C."), text)
    text = _ESCAPE_RE.sub(lambda m: _ESCAPES_TO_WORDS.get(m.group(0), "_" + m.group(0)[3:-1].lstrip("_")), text)
    return text.replace(" B.C.", " BCE")


def _parse(cleaned: str, original: str) -> GenealogicalDate:
    match = _PHRASE_RE.match(cleaned)
    if match:
        head, phrase = match.group("head"), match.group("phrase").strip()
        if not head:
            return GenealogicalDate(original=original, kind="phrase", phrase=phrase)
        words = head.split()
        if _KEYWORD_ALIASES.get(words[0].upper().rstrip(".")) == "INT":
            words = words[1:]
        part = _parse_part(" ".join(words))
        start, end = _part_range(part)
        return GenealogicalDate(
            original=original,
            kind="interpreted",
            calendar=part.calendar,
            start=start,
            end=end,
            phrase=phrase,
            first=part,
        )
    if cleaned.startswith("~"):
        cleaned = "ABT " + cleaned[1:].strip()
    span = _YEAR_SPAN_RE.match(cleaned)
    if span:
        cleaned = f"BET {span.group('a')} AND {span.group('b')}"
    words = cleaned.split()
    keyword = _KEYWORD_ALIASES.get(words[0].upper().rstrip("."))
    if keyword is None:
        part = _parse_part(cleaned)
        start, end = _part_range(part)
        kind = "exact" if part.day is not None else "partial"
        return GenealogicalDate(original=original, kind=kind, calendar=part.calendar, start=start, end=end, first=part)
    rest = " ".join(words[1:])
    if not rest:
        raise _DateSyntaxError(f"{words[0]!r} must be followed by a date")
    if keyword == "INT":
        raise _DateSyntaxError("INT needs a date phrase in parentheses: INT 1901 (about then)")
    if keyword in _KEYWORD_KIND:
        return _single(original, _KEYWORD_KIND[keyword], _parse_part(rest))
    if keyword == "BET":
        low, high = _split_pair(rest, ("AND", "&", "-", "–"), "BET … AND …")
        return _pair(original, "between", _parse_part(low), _parse_part(high))
    if keyword == "FROM":
        pieces = _split_optional(rest, ("TO", "UNTIL", "TILL", "-", "–"))
        if pieces is None:
            return _single(original, "from", _parse_part(rest))
        return _pair(original, "from_to", _parse_part(pieces[0]), _parse_part(pieces[1]))
    return _single(original, "to", _parse_part(rest))


def _split_optional(text: str, separators: tuple[str, ...]) -> tuple[str, str] | None:
    words = text.split()
    for index, word in enumerate(words):
        if word.upper() in separators:
            return " ".join(words[:index]), " ".join(words[index + 1 :])
    return None


def _split_pair(text: str, separators: tuple[str, ...], form: str) -> tuple[str, str]:
    pieces = _split_optional(text, separators)
    if pieces is None or not pieces[0] or not pieces[1]:
        raise _DateSyntaxError(f"expected {form}")
    return pieces


def _single(original: str, kind: str, part: DatePart) -> GenealogicalDate:
    start, end = _part_range(part)
    if kind == "before":
        start, end = None, _day_before(start)
    elif kind == "after":
        start, end = _day_after(end), None
    elif kind == "from":
        end = None
    elif kind == "to":
        start = None
    return GenealogicalDate(original=original, kind=kind, calendar=part.calendar, start=start, end=end, first=part)


def _pair(original: str, kind: str, low: DatePart, high: DatePart) -> GenealogicalDate:
    start, _ = _part_range(low)
    _, end = _part_range(high)
    warning = ""
    if start is not None and end is not None and end < start:
        warning = "the range ends before it starts"
    return GenealogicalDate(
        original=original,
        kind=kind,
        calendar=low.calendar,
        start=start,
        end=end,
        first=low,
        second=high,
        warning=warning,
    )


def _day_before(day: datetime.date | None) -> datetime.date | None:
    if day is None or day == datetime.date.min:
        return None
    return day - datetime.timedelta(days=1)


def _day_after(day: datetime.date | None) -> datetime.date | None:
    if day is None or day == datetime.date.max:
        return None
    return day + datetime.timedelta(days=1)


def _part_range(part: DatePart) -> tuple[datetime.date | None, datetime.date | None]:
    """Return the first and last Gregorian day a date part can mean (None when before year 1)."""
    if part.bce or part.is_extension:
        return None, None
    year = part.effective_year
    if part.calendar == GREGORIAN and 1 <= year <= 9999:  # most dates: straight to datetime, no day numbers
        first_month, last_month = (part.month, part.month) if part.month is not None else (1, 12)
        last_day = part.day or calendars.days_in_month(GREGORIAN, year, last_month)
        return datetime.date(year, first_month, part.day or 1), datetime.date(year, last_month, last_day)
    if part.month is not None:
        first_month = last_month = part.month
    else:
        first_month = 1
        last_month = len(calendars.MONTH_CODES[part.calendar])
    if part.day is not None:
        first_day = last_day = part.day
    else:
        first_day = 1
        last_day = calendars.days_in_month(part.calendar, year, last_month)
    start = calendars.to_ordinal(part.calendar, year, first_month, first_day)
    end = calendars.to_ordinal(part.calendar, year, last_month, last_day)
    return calendars.ordinal_to_date(start), calendars.ordinal_to_date(end)


def _parse_part(text: str) -> DatePart:
    """Parse one date: [calendar] [[day] month] year [epoch], or an ISO/dotted human form."""
    simple = _SIMPLE_RE.match(text)
    if simple:  # fast path for the plain Gregorian dates that make up most files
        day_text, month_text, year_text = simple.groups()
        month = _GREGORIAN_INDEX.get(month_text.upper()) if month_text else None
        year = int(year_text)
        if year and (month or not month_text) and (month or not day_text):
            day = int(day_text) if day_text else None
            if day is None or 1 <= day <= calendars.days_in_month(GREGORIAN, year, month or 1):
                return DatePart(year=year, month=month, day=day)
    words = text.replace(",", " ").split()
    if not words:
        raise _DateSyntaxError("missing date")
    calendar, words = _split_calendar(words)
    if calendar.startswith("_"):
        return _parse_extension_part(calendar, words)
    bce, words = _split_epoch(words)
    if bce and calendar not in (GREGORIAN, JULIAN):
        raise _DateSyntaxError(f"the {calendar} calendar has no B.C. epoch")
    if len(words) == 1 and calendar == GREGORIAN and not bce:
        human = _parse_numeric_form(words[0])
        if human is not None:
            return human
        if _AMBIGUOUS_SLASH_RE.match(words[0]):
            raise _DateSyntaxError(f"{words[0]!r} is ambiguous (day/month order); write e.g. 12 MAR 1901")
    if not 1 <= len(words) <= 3:
        raise _DateSyntaxError(f"cannot read {text!r} as a date")
    year, dual_year = _parse_year(words[-1], calendar, bce)
    month = day = None
    if len(words) >= 2:
        month_word, day_word = words[-2], words[0] if len(words) == 3 else None
        if len(words) == 3 and not words[0].isdigit() and words[1].isdigit():
            month_word, day_word = words[0], words[1]  # "March 12, 1901"
        month = _parse_month(month_word, calendar)
        if day_word is not None:
            day = _parse_day(day_word)
    if dual_year is not None and month is not None and calendar == GREGORIAN and month > 3:
        raise _DateSyntaxError("a dual year only applies to 1 January – 24 March")
    if month is not None:
        limit = calendars.days_in_month(calendar, dual_year or year, month)
        month_code = calendars.MONTH_CODES[calendar][month - 1]
        if limit == 0:
            raise _DateSyntaxError(f"{month_code} does not exist in year {year}")
        if day is not None and day > limit:
            raise _DateSyntaxError(f"day {day} does not exist in {month_code} {year}")
    return DatePart(calendar=calendar, year=year, month=month, day=day, dual_year=dual_year, bce=bce)


def _split_calendar(words: list[str]) -> tuple[str, list[str]]:
    """Return the calendar named by a leading 5.5.1 escape or 7.0 word, and the words after it."""
    head = words[0].upper()
    if head == "@#DFRENCH" and len(words) > 1 and words[1].upper() == "R@":
        calendar, words = FRENCH_R, words[2:]
    elif head in _ESCAPES_551:
        calendar, words = _ESCAPES_551[head], words[1:]
    elif head in _CALENDAR_WORDS_70:
        calendar, words = _CALENDAR_WORDS_70[head], words[1:]
    elif head.startswith("@#D") and head.endswith("@") and _EXTENSION_TAG_RE.match("_" + head[3:-1].lstrip("_")):
        calendar, words = "_" + head[3:-1].lstrip("_"), words[1:]  # 5.5.1 @#DROMAN@ is 7.0's _ROMAN
    elif _EXTENSION_TAG_RE.match(head) and len(words) > 1:
        calendar, words = head, words[1:]
    elif head.startswith("@#D"):
        raise _DateSyntaxError(f"unknown calendar {words[0]}")
    else:
        calendar = GREGORIAN
    if not words:
        raise _DateSyntaxError("missing date after the calendar")
    return calendar, words


def _parse_extension_part(calendar: str, words: list[str]) -> DatePart:
    """Parse [day] [month] year [epoch] in a calendar Kinship keeps as written but cannot convert."""
    bce, words = _split_epoch(words)
    epoch = ""
    if len(words) > 1 and _EXTENSION_TAG_RE.match(words[-1].upper()):
        epoch, words = words[-1].upper(), words[:-1]
    if not 1 <= len(words) <= 3 or not words[-1].isdigit() or int(words[-1]) == 0:
        raise _DateSyntaxError(f"cannot read {' '.join(words)!r} as a date of the {calendar} calendar")
    month_code = words[-2].upper() if len(words) >= 2 else ""
    if month_code and not _MONTH_TAG_RE.match(month_code):
        raise _DateSyntaxError(f"{words[-2]!r} is not a month of the {calendar} calendar")
    day = _parse_day(words[0]) if len(words) == 3 else None
    return DatePart(calendar=calendar, year=int(words[-1]), day=day, bce=bce, month_code=month_code, epoch=epoch)


def _split_epoch(words: list[str]) -> tuple[bool, list[str]]:
    """Return whether the date ends with a B.C./BCE epoch, and the words before it."""
    if words[-1].upper() in _BCE_WORDS:
        return True, words[:-1]
    if len(words) >= 2 and " ".join(words[-2:]).upper() in ("B. C.", "B.C. E."):
        return True, words[:-2]
    return False, words


def _parse_numeric_form(word: str) -> DatePart | None:
    for pattern in (_ISO_RE, _DOTTED_RE):
        match = pattern.match(word)
        if match:
            year, month = int(match.group("y")), int(match.group("m"))
            day = int(match.group("d")) if match.group("d") else None
            if year < 1 or not 1 <= month <= 12:
                raise _DateSyntaxError(f"{word!r} is not a valid date")
            if day is not None and not 1 <= day <= calendars.days_in_month(GREGORIAN, year, month):
                raise _DateSyntaxError(f"{word!r} is not a valid date")
            return DatePart(year=year, month=month, day=day)
    return None


def _parse_year(word: str, calendar: str, bce: bool) -> tuple[int, int | None]:
    match = _YEAR_RE.match(word)
    if not match:
        if re.match(r"^\d+/\d+$", word):
            raise _DateSyntaxError(f"{word!r} is not a valid dual year: write the later year in two digits (1750/51)")
        raise _DateSyntaxError(f"{word!r} is not a year")
    year = int(match.group("y"))
    if year == 0:
        raise _DateSyntaxError("there is no year 0")
    dual_text = match.group("dual")
    if dual_text is None:
        return year, None
    if calendar not in (GREGORIAN, JULIAN) or bce:
        raise _DateSyntaxError("dual years exist only in Gregorian/Julian years A.D.")
    later = year + 1
    if int(dual_text) != (later % 100 if len(dual_text) == 2 else later):
        raise _DateSyntaxError(f"{word!r} is not a valid dual year: the second year must follow the first")
    return year, later


def _parse_month(word: str, calendar: str) -> int:
    upper = word.upper().rstrip(".")
    codes = calendars.MONTH_CODES[calendar]
    if upper in codes:
        return codes.index(upper) + 1
    if calendar in (GREGORIAN, JULIAN) and upper in _ENGLISH_MONTHS:
        return _ENGLISH_MONTHS[upper]
    raise _DateSyntaxError(f"{word!r} is not a month of the {calendar} calendar")


def _parse_day(word: str) -> int:
    if not word.isdigit() or not 1 <= int(word) <= 36:
        raise _DateSyntaxError(f"{word!r} is not a day")
    return int(word)


_SHORT_PREFIX = {
    "about": "c.",
    "calculated": "calc.",
    "estimated": "est.",
    "before": "bef.",
    "after": "aft.",
    "from": "from",
    "to": "to",
    "interpreted": "",
}


def date_display(text: str, *, phrase: str = "") -> str:
    """Return a stored date phrase as a reader expects it ("about 1925", "after 1985").

    Dates in another calendar keep their original and add the Gregorian day ("1 Tishrei 5700
    (Hebrew), 14 September 1939"); text that is not a date is shown as it was recorded.
    """
    text = (text or "").strip()
    if not text:
        return ""
    date = parse_genealogical_date(text, phrase=phrase)
    if not date.is_valid or date.first is None:
        return date.phrase or text
    shown = format_human_date(date)
    if date.calendar != GREGORIAN and date.kind in ("exact", "partial") and date.start and date.start == date.end:
        shown += f", {date.start.day} {calendars.MONTH_NAMES[GREGORIAN][date.start.month - 1]} {date.start.year}"
    return shown


def date_display_year(text: str) -> str:
    """Return the short year form charts draw ("c. 1925", "aft. 1985", "1401–1408"), or "" for no date."""
    text = (text or "").strip()
    if not text:
        return ""
    date = parse_genealogical_date(text)
    if not date.is_valid or date.first is None:
        return ""
    first = _gregorian_year(date.first, date.start)
    if date.second is not None:
        second = _gregorian_year(date.second, date.end)
        span = f"{first}–{second}" if first != second else first
        return span if date.kind == "from_to" else f"bet. {span}" if first != second else f"c. {span}"
    prefix = _SHORT_PREFIX.get(date.kind, "")
    return f"{prefix} {first}".strip()


def _gregorian_year(part: DatePart, day: datetime.date | None) -> str:
    # Charts compare years across the tree, so other calendars are shown by their Gregorian year.
    if part.calendar == GREGORIAN or day is None:
        return f"{part.effective_year} BC" if part.bce else str(part.effective_year)
    return str(day.year)
