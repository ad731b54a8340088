"""Writing GEDCOM 5.5.1 and 7.0, and read → write → read round trips."""

import re
import sys
from pathlib import Path

import pytest

from cases.genealogy.dates import parse_genealogical_date
from cases.genealogy.gedcom import (
    Event,
    GedcomDocument,
    GedcomNode,
    Individual,
    Note,
    PersonName,
    iter_gedcom_lines,
    read_gedcom,
    write_gedcom,
    write_gedcom_bytes,
)

_LINE_551 = re.compile(r"(0|[1-9]\d?) (@[^@\s]+@ )?[A-Za-z0-9_]+( .*)?$")
_LINE_70 = re.compile(r"(0|[1-9]\d*) (@[A-Z0-9_]+@ )?[A-Z_][A-Z0-9_]*( .*)?$")


def _check_valid(text: str, version: str) -> list[str]:
    """Assert the line grammar, level steps and version rules of a written file; return its lines."""
    lines = text.split("\n")
    assert lines.pop() == ""  # ends with a newline
    assert lines[0] == "0 HEAD" and lines[-1] == "0 TRLR"
    assert f"2 VERS {version}" in lines[:6]
    grammar = _LINE_551 if version == "5.5.1" else _LINE_70
    previous = 0
    for line in lines:
        assert grammar.match(line), line
        level = int(line.split(" ", 1)[0])
        assert level <= previous + 1, line
        previous = level
        if version == "5.5.1":
            assert len(line) <= 255, line
        else:
            assert line.split(" ")[1] != "CONC", line
    if version == "5.5.1":
        assert "1 CHAR UTF-8" in lines
        submitter = next(line.split()[-1] for line in lines if line.startswith("1 SUBM "))
        assert f"0 {submitter} SUBM" in lines
    else:
        assert not any("CHAR" in line for line in lines)
    return lines


@pytest.mark.parametrize("version", ["5.5.1", "7.0"])
def test_rich_551_round_trip_is_stable_and_valid(rich_551, plain, version):
    import datetime

    # HEAD.DATE is the moment of writing: both writes are stamped with one moment, or two writes
    # a second apart differ in their TIME (a CI run failed so).
    moment = datetime.datetime(2026, 12, 6, 15, 34, 33, tzinfo=datetime.UTC)
    original = read_gedcom(rich_551.encode())
    original.created = moment
    written = write_gedcom(original, version)
    _check_valid(written, version)

    again = read_gedcom(written.encode())
    again.created = moment
    rewritten = write_gedcom(again, version)

    assert rewritten == written
    assert len(again.individuals) == 5 and len(again.families) == 1
    assert not again.issues


def test_551_read_write_read_keeps_every_mapped_field(rich_551, plain):
    original = read_gedcom(rich_551.encode())
    again = read_gedcom(write_gedcom(original, "5.5.1").encode())

    assert plain(again.individuals) == plain(original.individuals)
    assert plain(again.families) == plain(original.families)
    assert plain(again.notes) == plain(original.notes)
    assert plain(again.sources) == plain(original.sources)
    assert plain(again.media) == plain(original.media)
    assert plain(again.other_records) == plain(original.other_records)
    # DATE is the writer's own (the moment of writing), the rest is carried over
    assert [n.tag for n in again.header_extra] == ["DATE", "SUBM", "_EXPORTED_BY"]


def test_551_to_70_and_back_preserves_people_dates_and_extensions(rich_551, plain):
    original = read_gedcom(rich_551.encode())
    modern = read_gedcom(write_gedcom(original, "7.0").encode())
    back = read_gedcom(write_gedcom(modern, "5.5.1").encode())

    for person_before, person_after in zip(original.individuals, back.individuals, strict=True):
        assert plain(person_after.names) == plain(person_before.names)
        assert [(e.tag, e.value, e.place, e.date.start, e.date.end, e.date.kind) for e in person_after.events] == [
            (e.tag, e.value, e.place, e.date.start, e.date.end, e.date.kind) for e in person_before.events
        ]
        assert plain(person_after.extra) == plain(person_before.extra)
        assert [n.text or n.pointer for n in person_after.notes] == [n.text or n.pointer for n in person_before.notes]
    assert plain(back.families) == plain(original.families)
    assert back.media[0].files[0].format == "jpeg" and back.media[0].files[0].path == "photos/jean.jpg"


@pytest.mark.parametrize("version", ["5.5.1", "7.0"])
def test_rich_70_round_trip(rich_70, plain, version):
    original = read_gedcom(rich_70.encode())
    written = write_gedcom(original, version)
    _check_valid(written, version)
    again = read_gedcom(written.encode())

    assert again.individuals[0].child_of[0].pedigree == "step"
    assert again.individuals[0].events[1].date.phrase == "the twenty-seventh of November"
    assert again.individuals[0].events[2].date.phrase == "shortly after her death"
    assert again.individuals[0].notes[1].text == "@mention at the start"
    assert plain(again.individuals[0].extra) == plain(original.individuals[0].extra)
    if version == "7.0":
        assert plain(again.individuals) == plain(original.individuals)
        assert "1 SCHMA" in written


def test_551_writes_dates_calendars_and_phrases_in_551_syntax(rich_551):
    written = write_gedcom(read_gedcom(rich_551.encode()), "5.5.1")

    assert "2 DATE @#DJULIAN@ 11 FEB 1731/32" in written
    assert "2 DATE INT 1901 (the year of the flood)" in written
    assert "2 DATE ABT 12 MAR 1850" in written
    assert "2 PEDI adopted" in written


def test_70_writes_dates_calendars_and_phrases_in_70_syntax(rich_551):
    written = write_gedcom(read_gedcom(rich_551.encode()), "7.0")

    assert "2 DATE JULIAN 11 FEB 1732\n3 PHRASE JULIAN 11 FEB 1731/32\n" in written
    assert "2 DATE 1901\n3 PHRASE the year of the flood\n" in written
    assert "2 PEDI ADOPTED" in written
    assert "1 SNOTE @N1@" in written and "0 @N1@ SNOTE A shared note" in written
    assert "2 FORM image/jpeg" in written


def test_long_text_is_split_with_conc_in_551_only():
    text = ("word " * 120).strip() + "\nsecond line"
    document = GedcomDocument(individuals=[Individual(xref="@I1@", notes=[Note(text=text)])])

    old = write_gedcom(document, "5.5.1")
    new = write_gedcom(document, "7.0")

    assert "2 CONC " in old and all(len(line) <= 255 for line in old.splitlines())
    assert not any(
        line.split(" ", 2)[1] == "CONC"
        for line in old.splitlines()
        if line.startswith("2 CONC ") and (line.endswith(" ") or line[7:8] == " ")
    )
    assert "CONC" not in new and "2 CONT second line" in new
    assert read_gedcom(old.encode()).individuals[0].notes[0].text == text
    assert read_gedcom(new.encode()).individuals[0].notes[0].text == text


def test_at_signs_are_escaped_per_version():
    document = GedcomDocument(individuals=[Individual(xref="@I1@", notes=[Note(text="@home, mail a@b.org\n@second")])])

    old = write_gedcom(document, "5.5.1")
    new = write_gedcom(document, "7.0")

    assert "1 NOTE @@home, mail a@@b.org\n2 CONT @@second\n" in old
    assert "1 NOTE @@home, mail a@b.org\n2 CONT @@second\n" in new
    for text in (old, new):
        assert read_gedcom(text.encode()).individuals[0].notes[0].text == "@home, mail a@b.org\n@second"


def test_at_pairs_are_not_split_across_conc():
    text = "x" * 240 + "@" * 30
    document = GedcomDocument(individuals=[Individual(xref="@I1@", notes=[Note(text=text)])])

    assert read_gedcom(write_gedcom(document, "5.5.1").encode()).individuals[0].notes[0].text == text


def test_70_rewrites_xrefs_it_cannot_spell():
    document = GedcomDocument(individuals=[Individual(xref="@i-1@", names=[PersonName(full="A /B/")])])

    new = write_gedcom(document, "7.0")

    assert "0 @I_1@ INDI" in new
    assert "0 @i-1@ INDI" in write_gedcom(document, "5.5.1")


def test_document_built_in_memory_writes_both_versions():
    person = Individual(
        xref="@I1@",
        names=[PersonName(full="Ann /Lee/", given="Ann", surname="Lee")],
        sex="F",
        events=[Event(tag="BIRT", date=parse_genealogical_date("about 1901"), place="Leeds")],
        extra=[GedcomNode("_FLAG", value="kept")],
    )
    document = GedcomDocument(individuals=[person])

    for version in ("5.5.1", "7.0"):
        text = write_gedcom(document, version)
        _check_valid(text, version)
        assert "2 DATE ABT 1901" in text and "1 _FLAG kept" in text
        again = read_gedcom(text.encode()).individuals[0]
        assert (again.names[0].given, again.events[0].place, again.events[0].date.kind) == ("Ann", "Leeds", "about")


def test_bytes_and_lines_agree(rich_551):
    document = read_gedcom(rich_551.encode())

    assert write_gedcom_bytes(document, "7.0") == "".join(
        f"{line}\n" for line in iter_gedcom_lines(document, "7.0")
    ).encode("utf-8")


def test_unknown_version_is_rejected():
    with pytest.raises(ValueError, match="unsupported GEDCOM version"):
        write_gedcom(GedcomDocument(), "5.5")


def test_time_under_a_date_survives_a_round_trip(make_gedcom):
    text = make_gedcom("0 @I1@ INDI", "1 BIRT", "2 DATE 12 MAR 1901", "3 TIME 10:30", version="7.0", char="")

    written = write_gedcom(read_gedcom(text.encode()), "7.0")

    assert "1 BIRT\n2 DATE 12 MAR 1901\n3 TIME 10:30\n" in written
    assert written.count("2 DATE") == 1


def test_name_types_follow_each_versions_case():
    document = GedcomDocument(
        individuals=[
            Individual(
                xref="@I1@",
                names=[PersonName(full="Ann /Lee/", type="married"), PersonName(full="A /L/", type="Pen name")],
            )
        ]
    )

    assert "2 TYPE married" in write_gedcom(document, "5.5.1")
    assert "2 TYPE MARRIED" in write_gedcom(document, "7.0")
    assert "2 TYPE Pen name" in write_gedcom(document, "7.0")


@pytest.mark.parametrize("which", ["rich_551", "rich_70"])
def test_mutated_files_raise_only_gedcom_errors_and_what_reads_also_exports(request, which):
    import random

    from cases.genealogy.gedcom import GedcomError

    data = request.getfixturevalue(which).encode()
    rng = random.Random(1)
    read = 0
    for _ in range(300):
        mutated = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            position = rng.randrange(len(mutated))
            roll = rng.random()
            if roll < 0.4:
                mutated[position] = rng.randrange(256)
            elif roll < 0.7:
                del mutated[position : position + rng.randint(1, 20)]
            else:
                mutated[position:position] = rng.choice([b" ", b"@", b"\n", b"0 ", b"3 ", b"CONT", b"@I1@", b"/"])
        try:
            document = read_gedcom(bytes(mutated))
        except GedcomError:
            continue
        read += 1
        for version in ("5.5.1", "7.0"):
            read_gedcom(write_gedcom(document, version).encode())
    assert read > 0


TRICKY_551_RECORDS = (
    "0 @I1@ INDI",
    "1 NAME Gaius /Julius/ Caesar",
    "2 TYPE aka",
    "1 SEX M",
    "1 BIRT",
    "2 DATE 12 JUL 100 B.C.",
    "1 DEAT",
    "2 DATE @#DJULIAN@ 15 MAR 44 B.C.",
    "1 CHR",
    "2 DATE @#DHEBREW@ 1 TSH 5785",
    "1 BURI",
    "2 DATE (in the forum)",
    "1 EVEN",
    "2 TYPE Crossing",
    "2 DATE INT 49 B.C. (crossing the Rubicon)",
    "1 RESI",
    "2 DATE @#DFRENCH R@ 18 BRUM 8",
    "1 FACT Dictator",
    "2 TYPE Office",
    "1 SOUR Plutarch, Lives (inline source)",
    "2 PAGE ch. 32",
    "1 FAMC @F1@",
    "2 PEDI foster",
    "1 OBJE",
    "2 FILE bust.jpg",
    "2 FORM jpeg",
    "2 TITL Bust",
    "1 NOTE Line one",
    "2 CONT @@line two",
    "2 CONT",
    "2 CONT line four",
    "0 @I2@ INDI",
    "1 NAME Julia //",
    "1 SEX F",
    "1 FAMC @F1@",
    "2 PEDI adopted",
    "1 _PEDI step",
    "0 @F1@ FAM",
    "1 CHIL @I1@",
    "1 CHIL @I2@",
    "1 MARR Y",
    "1 DIV",
    "2 DATE 1699/00",
)


def test_70_output_passes_an_independent_validator(rich_551, rich_70, make_gedcom):
    gedcom7 = pytest.importorskip("gedcom7")
    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
    from gedcom_sample import gedcom_lines

    sources = {
        "rich 5.5.1": rich_551,
        "rich 7.0": rich_70,
        "tricky 5.5.1": make_gedcom(*TRICKY_551_RECORDS),
        "generated": "\n".join(gedcom_lines(200)) + "\n",
    }
    for label, text in sources.items():
        written = write_gedcom(read_gedcom(text.encode()), "7.0")

        findings = gedcom7.validate(gedcom7.loads(written))

        assert [str(f) for f in findings] == [], label


@pytest.mark.parametrize("version", ["5.5.1", "7.0"])
def test_header_date_is_the_moment_of_writing_not_the_file_read(make_gedcom, version):
    import datetime

    text = make_gedcom("0 @I1@ INDI", "1 NAME A /B/").replace("0 HEAD\n", "0 HEAD\n1 DATE 1 JAN 1999\n2 TIME 12:00\n")
    document = read_gedcom(text.encode())
    document.created = datetime.datetime(2026, 12, 2, 16, 5, 9, tzinfo=datetime.UTC)

    written = write_gedcom(document, version)

    assert f"1 DATE 2 DEC 2026\n2 TIME 16:05:09{'Z' if version == '7.0' else ''}\n" in written
    assert "1999" not in written and written.count("1 DATE") == 1
    document.created = None
    today = datetime.datetime.now(datetime.UTC)
    assert f"1 DATE {today.day} {today.strftime('%b').upper()} {today.year}\n" in write_gedcom(document, version)
