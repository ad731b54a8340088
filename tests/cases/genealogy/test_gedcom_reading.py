"""Reading GEDCOM: encodings, line endings, CONT/CONC, mapping, and every malformed-input case."""

import subprocess
import sys
from pathlib import Path

import pytest

from cases.genealogy.gedcom import (
    GedcomEncodingError,
    GedcomNode,
    GedcomStructureError,
    GedcomSyntaxError,
    Individual,
    iter_gedcom,
    iter_gedcom_records,
    read_gedcom,
)

NAME = "Élise /Müller/"


def _person_file(make_gedcom, char="UTF-8", version="5.5.1"):
    return make_gedcom(
        "0 @I1@ INDI",
        f"1 NAME {NAME}",
        "1 NOTE Hello w",
        "2 CONC orld",
        "2 CONT second line",
        version=version,
        char=char,
    )


def _name_and_note(document):
    person = document.individuals[0]
    return person.names[0].full, person.notes[0].text


@pytest.mark.parametrize(
    ("label", "encode", "codec"),
    [
        ("utf-8", lambda t: t.encode("utf-8"), "utf-8"),
        ("utf-8 with BOM", lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), "utf-8"),
        ("utf-16-le BOM", lambda t: b"\xff\xfe" + t.replace("UTF-8", "UNICODE").encode("utf-16-le"), "utf-16-le"),
        ("utf-16-be BOM", lambda t: b"\xfe\xff" + t.replace("UTF-8", "UNICODE").encode("utf-16-be"), "utf-16-be"),
        ("utf-16-le no BOM", lambda t: t.replace("UTF-8", "UNICODE").encode("utf-16-le"), "utf-16-le"),
        ("utf-16-be no BOM", lambda t: t.replace("UTF-8", "UNICODE").encode("utf-16-be"), "utf-16-be"),
    ],
)
def test_unicode_encodings_decode(make_gedcom, label, encode, codec):
    document = read_gedcom(encode(_person_file(make_gedcom)))

    assert document.encoding == codec
    assert _name_and_note(document) == (NAME, "Hello world\nsecond line")


def test_ansel_is_decoded_and_composed(make_gedcom):
    text = _person_file(make_gedcom, char="ANSEL").replace(NAME, "\x01lise /M\x02ller/")
    # ANSEL writes the combining mark (0xE2 acute, 0xE8 diaeresis) before its base letter.
    data = text.encode("ascii").replace(b"\x01", b"\xe2E").replace(b"\x02", b"\xe8u")

    document = read_gedcom(data)

    assert document.encoding == "gedcom"
    assert _name_and_note(document) == (NAME, "Hello world\nsecond line")  # NFC, not E + U+0301


def test_ascii_declared_file_reads(make_gedcom):
    document = read_gedcom(_person_file(make_gedcom, char="ASCII").replace(NAME, "Elise /Muller/").encode("ascii"))

    assert document.individuals[0].names[0].surname == "Muller"


def test_ascii_declared_file_with_other_bytes_fails_on_the_line(make_gedcom):
    data = _person_file(make_gedcom, char="ASCII").encode("utf-8")

    with pytest.raises(GedcomEncodingError) as caught:
        read_gedcom(data)
    assert caught.value.line == 6


def test_utf8_declared_file_with_latin1_bytes_fails_on_the_line(make_gedcom):
    data = _person_file(make_gedcom).encode("latin-1")

    with pytest.raises(GedcomEncodingError) as caught:
        read_gedcom(data)
    assert caught.value.line == 6


def test_missing_char_in_551_warns_and_reads_utf8(make_gedcom):
    document = read_gedcom(_person_file(make_gedcom, char="").encode())

    assert _name_and_note(document)[0] == NAME
    assert any("no CHAR" in str(issue) for issue in document.issues)


def test_unknown_char_is_an_error(make_gedcom):
    with pytest.raises(GedcomEncodingError, match="KLINGON"):
        read_gedcom(_person_file(make_gedcom, char="KLINGON").encode())


@pytest.mark.parametrize("newline", ["\n", "\r", "\r\n"])
def test_line_endings(make_gedcom, newline):
    document = read_gedcom(_person_file(make_gedcom).replace("\n", newline).encode())

    assert _name_and_note(document) == (NAME, "Hello world\nsecond line")


def test_crlf_split_across_read_chunks(make_gedcom, monkeypatch):
    from cases.genealogy.gedcom import lines

    monkeypatch.setattr(lines, "PEEK_BYTES", 7)
    monkeypatch.setattr(lines, "CHUNK_BYTES", 3)
    text = _person_file(make_gedcom).replace("\n", "\r\n")

    records = list(iter_gedcom_records(text.encode()))

    assert [r.tag for r in records] == ["HEAD", "INDI"]
    assert records[1].first("NOTE").value == "Hello world\nsecond line"
    assert records[1].first("NOTE").line == 7


def test_cont_with_empty_payload_and_conc_keeps_spaces(make_gedcom):
    document = read_gedcom(
        make_gedcom(
            "0 @I1@ INDI",
            "1 NOTE first",
            "2 CONT",
            "2 CONT third ",
            "2 CONC  end",
        ).encode()
    )

    assert document.individuals[0].notes[0].text == "first\n\nthird  end"


def test_at_signs_unescape_per_version(make_gedcom):
    old = read_gedcom(make_gedcom("0 @I1@ INDI", "1 NOTE mail jp@@example.org").encode())
    new = read_gedcom(make_gedcom("0 @I1@ INDI", "1 NOTE @@home and a@@b", version="7.0", char="").encode())

    assert old.individuals[0].notes[0].text == "mail jp@example.org"
    assert new.individuals[0].notes[0].text == "@home and a@@b"


def test_rich_551_maps_every_structure(rich_551):
    document = read_gedcom(rich_551.encode())

    assert document.version == "5.5.1" and document.source_system == "OTHER_PROGRAM"
    assert not document.issues
    jean = document.individuals[0]
    first, second = jean.names
    assert (first.prefix, first.given, first.surname_prefix, first.surname, first.suffix, first.nickname) == (
        "Dr.",
        "Jean-Pierre",
        "de",
        "Dubois",
        "Jr.",
        "Pierrot",
    )
    assert first.citations[0].source == "@S1@" and first.citations[0].page == "p. 12"
    assert (second.full, second.given, second.surname, second.type) == ("Jean /Dubosc/", "Jean", "Dubosc", "aka")
    assert jean.sex == "M"
    birth, occupation, death, residence = jean.events
    assert (birth.tag, birth.date.kind, birth.date.start.isoformat(), birth.place) == (
        "BIRT",
        "about",
        "1850-03-12",
        "Lyon, Rhône, France",
    )
    assert birth.citations[0].page == "folio 3" and birth.citations[0].extra[0].tag == "QUAY"
    assert (occupation.value, occupation.date.kind) == ("Carpenter", "from_to")
    assert (death.date.kind, death.date.phrase) == ("interpreted", "the year of the flood")
    assert residence.place == "Paris" and residence.extra[0].first("MAP").first("LATI").value == "N48.8566"
    assert [n.tag for n in jean.extra] == ["_MILT"]
    assert jean.extra[0].first("_UNIT").value == "3rd"
    assert jean.notes[0].text == (
        "Emails like jp@example.org are escaped; this note is long enough that it needed a CONC line,\n"
        "and a second line."
    )
    assert jean.notes[1].pointer == "@N1@"
    assert jean.media == ["@M1@"]
    marie = document.individuals[1]
    assert marie.events[0].date.calendar == "julian" and marie.events[0].date.first.dual_year == 1732


def test_rich_551_families_pedigrees_and_records(rich_551):
    document = read_gedcom(rich_551.encode())

    family = document.families[0]
    assert (family.partner1, family.partner2) == ("@I1@", "@I2@")
    assert [(c.individual, c.pedigree) for c in family.children] == [
        ("@I3@", "adopted"),
        ("@I4@", "birth"),
        ("@I5@", "foster"),
    ]
    assert family.events[0].tag == "MARR" and family.events[0].date.kind == "exact"
    assert [n.tag for n in family.extra] == ["_STAT"]
    assert document.notes[0].xref == "@N1@" and document.notes[0].text == "A shared note\non two lines."
    source = document.sources[0]
    assert (source.title, source.author, [n.tag for n in source.extra]) == (
        "Parish register of Saint-Jean",
        "Abbé Martin",
        ["REPO"],
    )
    media = document.media[0]
    assert (media.files[0].path, media.files[0].format, media.files[0].media_type, media.title) == (
        "photos/jean.jpg",
        "jpeg",
        "image/jpeg",
        "Jean in 1890",
    )
    assert [r.tag for r in document.other_records] == ["SUBM", "REPO", "_CUSTOM_RECORD"]
    assert [n.tag for n in document.header_extra] == ["SUBM", "_EXPORTED_BY"]


def test_rich_70_maps_phrases_snotes_and_step_pedigree(rich_70):
    document = read_gedcom(rich_70.encode())

    assert document.version == "7.0" and document.encoding == "utf-8"
    ada = document.individuals[0]
    _, death, burial = ada.events
    assert (death.date.kind, death.date.phrase) == ("interpreted", "the twenty-seventh of November")
    assert (burial.date.kind, burial.date.phrase) == ("phrase", "shortly after her death")
    assert ada.child_of[0].pedigree == "step"
    assert document.families[0].children[0].pedigree == "step"
    assert ada.notes[0].pointer == "@N1@" and ada.notes[1].text == "@mention at the start"
    assert document.notes[0].text == "Shared note text"
    assert document.media[0].files[0].format == "png"
    assert [n.tag for n in document.header_extra] == ["SCHMA"]


def test_embedded_551_media_becomes_a_record(make_gedcom):
    document = read_gedcom(
        make_gedcom(
            "0 @I1@ INDI",
            "1 OBJE",
            "2 FILE scans\\birth.tif",
            "2 FORM tif",
            "2 TITL Birth record",
        ).encode()
    )

    media = document.media[0]
    assert document.individuals[0].media == [media.xref]
    assert (media.files[0].path, media.files[0].format, media.title) == ("scans\\birth.tif", "tiff", "Birth record")


def test_missing_pedi_is_unknown_and_a_one_sided_famc_is_linked(make_gedcom):
    document = read_gedcom(make_gedcom("0 @I1@ INDI", "1 FAMC @F1@", "0 @F1@ FAM").encode())

    assert document.families[0].children[0].individual == "@I1@"
    assert document.families[0].children[0].pedigree == "unknown"
    assert any("not its CHIL" in str(issue) for issue in document.issues)


def test_stream_yields_mapped_records_one_at_a_time(rich_551):
    stream = iter_gedcom(rich_551.encode())
    kinds = [type(record).__name__ for record in stream]

    assert kinds.count("Individual") == 5
    assert "GedcomNode" in kinds and "Family" in kinds
    assert stream.version == "5.5.1"


@pytest.mark.slow
def test_stream_memory_does_not_grow_with_the_file(tmp_path, monkeypatch):
    import tracemalloc

    from cases.genealogy.gedcom import lines

    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
    from gedcom_sample import write_sample

    monkeypatch.setattr(lines, "CHUNK_BYTES", 1 << 14)  # both files span many read chunks
    peaks = []
    # Both sizes fill the bounded date cache, so only per-record memory could make a difference.
    for persons in (10_000, 30_000):
        path = write_sample(tmp_path / f"{persons}.ged", persons)
        tracemalloc.start()
        assert sum(isinstance(r, Individual) for r in iter_gedcom(path)) == persons
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    assert peaks[1] < peaks[0] * 1.3  # three times the records, not three times the memory


# Malformed input: each case names the line the error must point at.
@pytest.mark.parametrize(
    ("lines", "error", "line", "message"),
    [
        (["0 @I1@ INDI", "1 NAME A /B/", "3 DATE 1901"], GedcomSyntaxError, 7, "one level deeper"),
        (["0 @I1@ INDI", "1 NAME A /B/", "\x00\x01\x02\x03garbage"], GedcomSyntaxError, 7, "binary data"),
        (["0 @I1@ INDI", "NAME without level"], GedcomSyntaxError, 6, "not a GEDCOM line"),
        (["0 @I1@ INDI", "1"], GedcomSyntaxError, 6, "not a GEDCOM line"),
        (["0 @I1@ INDI", "100 NAME deep"], GedcomSyntaxError, 6, None),
        (["0 @I1@ INDI", "01 NAME A"], GedcomSyntaxError, 6, "invalid level"),
        (["0 @I1@ INDI", "1 NAME " + "x" * 40_000], GedcomSyntaxError, 6, "longer than"),
        (["0 @I1@ INDI", "0 @I1@ INDI"], GedcomStructureError, 6, "duplicate xref @I1@"),
        (["0 @I1@ INDI", "1 NOTE @N1@", "2 CONT more"], GedcomSyntaxError, 7, "continues a pointer"),
    ],
)
def test_malformed_input_errors_name_the_line(make_gedcom, lines, error, line, message):
    with pytest.raises(error) as caught:
        read_gedcom(make_gedcom(*lines).encode())

    assert caught.value.line == line
    if message:
        assert message in str(caught.value)
    assert str(caught.value).startswith(f"line {line}:")


def test_truncated_file_is_an_error_on_its_last_line(make_gedcom):
    text = make_gedcom("0 @I1@ INDI", "1 NAME A /B/").replace("0 TRLR\n", "")

    with pytest.raises(GedcomSyntaxError, match="truncated") as caught:
        read_gedcom(text.encode())
    assert caught.value.line == 6


def test_file_cut_in_the_middle_of_a_line_is_truncated(make_gedcom):
    data = make_gedcom("0 @I1@ INDI", "1 NAME A /B/").encode()[:-12]

    with pytest.raises(GedcomSyntaxError, match="truncated"):
        read_gedcom(data)


def test_not_a_gedcom_file(tmp_path):
    with pytest.raises(GedcomSyntaxError, match="must start with 0 HEAD") as caught:
        read_gedcom(b"\n\nhello world\n")
    assert caught.value.line == 3


def test_random_binary_is_rejected():
    data = bytes(range(256)) * 64

    with pytest.raises((GedcomSyntaxError, GedcomEncodingError)):
        read_gedcom(data)


def test_endless_line_without_newline_stops_at_the_cap(monkeypatch):
    from cases.genealogy.gedcom import lines

    monkeypatch.setattr(lines, "CHUNK_BYTES", 1024)
    data = b"0 HEAD\n1 NOTE " + b"x" * 200_000

    with pytest.raises(GedcomSyntaxError, match="longer than") as caught:
        read_gedcom(data)
    assert caught.value.line == 2


def test_dangling_pointers_are_dropped_with_a_warning(make_gedcom):
    document = read_gedcom(
        make_gedcom(
            "0 @I1@ INDI",
            "1 FAMS @F9@",
            "1 SOUR @S9@",
            "0 @F1@ FAM",
            "1 HUSB @I1@",
            "1 CHIL @I7@",
        ).encode()
    )

    assert document.individuals[0].partner_in == [] and document.individuals[0].citations == []
    assert document.families[0].children == []
    messages = [str(issue) for issue in document.issues]
    assert "line 5: @I1@ points at @F9@, which does not exist; link dropped" in messages
    assert "line 5: @I1@ points at @S9@, which does not exist; link dropped" in messages
    assert "line 8: @F1@ points at @I7@, which does not exist; link dropped" in messages


def test_person_their_own_ancestor_is_an_error(make_gedcom):
    text = make_gedcom(
        "0 @I1@ INDI",
        "1 FAMC @F2@",
        "0 @I2@ INDI",
        "1 FAMC @F1@",
        "0 @F1@ FAM",
        "1 HUSB @I1@",
        "1 CHIL @I2@",
        "0 @F2@ FAM",
        "1 HUSB @I2@",
        "1 CHIL @I1@",
    )

    with pytest.raises(GedcomStructureError, match="own ancestor") as caught:
        read_gedcom(text.encode())
    assert caught.value.line in (5, 7)


def test_person_their_own_parent_is_an_error(make_gedcom):
    text = make_gedcom("0 @I1@ INDI", "0 @F1@ FAM", "1 HUSB @I1@", "1 CHIL @I1@")

    with pytest.raises(GedcomStructureError, match="@I1@ is their own ancestor") as caught:
        read_gedcom(text.encode())
    assert caught.value.line == 5


def test_deep_lineage_without_cycle_is_fine(make_gedcom):
    lines = []
    for generation in range(1, 3001):
        lines += [
            f"0 @I{generation}@ INDI",
            f"0 @F{generation}@ FAM",
            f"1 HUSB @I{generation}@",
            f"1 CHIL @I{generation + 1}@",
        ]
    lines.append("0 @I3001@ INDI")

    document = read_gedcom(make_gedcom(*lines).encode())

    assert len(document.individuals) == 3001


def test_data_after_trailer_is_ignored_with_a_warning(make_gedcom):
    document = read_gedcom((make_gedcom("0 @I1@ INDI") + "0 @I2@ INDI\n").encode())

    assert len(document.individuals) == 1
    assert any("after TRLR" in str(issue) for issue in document.issues)


def test_raw_records_keep_line_numbers(make_gedcom):
    records = list(iter_gedcom_records(make_gedcom("0 @X1@ _THING", "1 _PART a").encode()))

    assert records[1] == GedcomNode(
        tag="_THING", xref="@X1@", line=5, children=[GedcomNode(tag="_PART", value="a", line=6)]
    )


def test_gedcom_package_does_not_import_django():
    code = "import sys, cases.genealogy.gedcom; assert 'django' not in sys.modules"

    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[3])


def test_char_unicode_on_a_utf8_file_warns_and_reads(make_gedcom):
    document = read_gedcom(_person_file(make_gedcom, char="UNICODE").encode("utf-8"))

    assert _name_and_note(document)[0] == NAME
    assert any("CHAR UNICODE" in str(issue) for issue in document.issues)


def test_nonstandard_ansi_char_is_read_as_windows_1252_with_a_warning(make_gedcom):
    document = read_gedcom(_person_file(make_gedcom, char="ANSI").encode("cp1252"))

    assert _name_and_note(document)[0] == NAME
    assert any("not a GEDCOM character set" in str(issue) for issue in document.issues)


def test_a_stream_passed_in_is_left_open(rich_551):
    import io

    handle = io.BytesIO(rich_551.encode())
    with iter_gedcom(handle) as stream:
        assert sum(1 for _ in stream) > 5
    assert not handle.closed


def test_date_with_time_is_parsed_and_kept_raw(make_gedcom):
    document = read_gedcom(
        make_gedcom("0 @I1@ INDI", "1 BIRT", "2 DATE 12 MAR 1901", "3 TIME 10:30", version="7.0", char="").encode()
    )

    birth = document.individuals[0].events[0]
    assert birth.date.kind == "exact"
    assert birth.extra[0].first("TIME").value == "10:30"


def test_void_pointers_are_dropped_without_a_warning(make_gedcom):
    document = read_gedcom(
        make_gedcom(
            "0 @F1@ FAM",
            "1 HUSB @VOID@",
            "1 CHIL @I1@",
            "0 @I1@ INDI",
            "1 FAMC @F1@",
            version="7.0",
            char="",
        ).encode()
    )

    assert document.families[0].partner1 == ""
    assert document.issues == []


def test_raw_subtrees_survive_json_storage(rich_551, plain):
    import json

    from cases.genealogy.gedcom import GedcomNode

    person = read_gedcom(rich_551.encode()).individuals[0]
    stored = json.dumps([node.to_json() for node in person.extra])

    rebuilt = [GedcomNode.from_json(data) for data in json.loads(stored)]

    assert plain(rebuilt) == plain(person.extra)


def test_batches_cover_every_record_in_order(rich_551):
    from cases.genealogy.gedcom import iter_gedcom_batches

    batches = list(iter_gedcom_batches(rich_551.encode(), size=3))

    assert [len(batch) for batch in batches[:-1]] == [3] * (len(batches) - 1)
    flat = [record.xref for batch in batches for record in batch]
    assert flat == [record.xref for record in iter_gedcom(rich_551.encode())]


def test_200000_cont_lines_are_joined_once_per_text(make_gedcom, monkeypatch):
    """Each continued text is built once from its pieces: the work grows with the lines, not their square."""
    from cases.genealogy.gedcom import lines

    joined: list[int] = []
    real_join = lines._join_continued

    def counting_join(continued):
        joined.extend(len(pieces) for _, pieces in continued.values())
        real_join(continued)

    monkeypatch.setattr(lines, "_join_continued", counting_join)
    body = ["0 @N1@ NOTE first", *(["1 CONT a line of the note"] * 200_000), "0 @N2@ NOTE short", "1 CONC er"]
    records = list(iter_gedcom_records(make_gedcom(*body).encode()))
    notes = {r.xref: r for r in records}
    assert notes["@N1@"].value == "first" + "\na line of the note" * 200_000
    assert notes["@N2@"].value == "shorter"
    # one join per continued text, over every piece: 1 + 2 × 200,000 for N1, 2 for N2
    assert joined == [1 + 2 * 200_000, 2]


def test_cont_after_a_substructure_still_continues_its_parent(make_gedcom):
    records = list(
        iter_gedcom_records(
            make_gedcom(
                "0 @N1@ NOTE a", "1 SOUR @S1@", "1 CONT b", "1 SOUR @S2@", "1 CONC c", "0 @S1@ SOUR", "0 @S2@ SOUR"
            ).encode()
        )
    )
    note = records[1]
    assert note.value == "a\nbc"
    assert [c.pointer for c in note.children] == ["@S1@", "@S2@"]


G7 = Path(__file__).parent / "gedcom7_test_files"


def test_every_invalid_551_age_is_a_warning_and_valid_ones_are_not():
    invalid = read_gedcom(G7 / "5" / "age-invalid.ged")
    ages = [n for p in invalid.individuals for e in p.events for n in e.extra if n.tag == "AGE"]

    assert len(ages) == 92
    warned = {i.line for i in invalid.issues if "is not a GEDCOM 5.5.1 age" in i.message}
    assert warned == {a.line for a in ages}  # each one, on its own line
    assert [e.extra[0].value for e in invalid.individuals[0].events][:2] == ["0", "<8"]  # kept as written
    for name in ("5/age-valid.ged", "7/age-valid.ged"):
        assert read_gedcom(G7 / name).issues == []


def test_a_7_0_age_without_the_space_after_the_bound_is_a_warning(make_gedcom):
    document = read_gedcom(
        make_gedcom(
            "0 @I1@ INDI",
            "1 DEAT",
            "2 AGE <8y",
            "1 BIRT",
            "2 AGE 3w 2d",
            "0 @F1@ FAM",
            "1 MARR",
            "2 HUSB",
            "3 AGE > 20Y",
            version="7.0",
            char="",
        ).encode()
    )

    assert [(i.line, i.message.split(" is ")[0]) for i in document.issues] == [(6, "AGE “<8y”"), (12, "AGE “> 20Y”")]


def test_an_xref_with_a_space_is_kept_with_a_warning_not_refused():
    document = read_gedcom(G7 / "5" / "xref-case.ged")

    assert [str(i) for i in document.issues] == [
        "line 13: cross-reference @NoTe ref@ contains a space, which GEDCOM does not allow; kept"
    ]
    assert [n.xref for n in document.notes] == ["@NoTe@", "@NoTe ref@"]
    submitter = document.other_records[0]
    assert [n.pointer for n in submitter.all("NOTE")] == ["@NoTe@", "@NoTe ref@"]
    from cases.genealogy.gedcom import write_gedcom

    assert "0 @NoTe_ref@ NOTE mixed case and space" in write_gedcom(document, "5.5.1")
    assert "0 @NOTE_REF@ SNOTE mixed case and space" in write_gedcom(document, "7.0")


def test_date_all_keeps_every_date_through_a_7_0_round_trip():
    import re
    from collections import Counter

    from cases.genealogy.gedcom import write_gedcom

    source = (G7 / "7" / "date-all.ged").read_text(encoding="utf-8-sig")

    def payloads(text):  # "GREGORIAN 1930" and "1930" are the same date (the test files' README)
        # Level 2 and deeper: not HEAD.DATE.
        return Counter(re.sub(r"\bGREGORIAN ", "", p) for p in re.findall(r"^[2-9] DATE ?(.*)$", text, re.MULTILINE))

    written = write_gedcom(read_gedcom(G7 / "7" / "date-all.ged"), "7.0")

    assert sum(payloads(source).values()) == 2917
    assert payloads(written) == payloads(source)
    assert sum(n for p, n in payloads(source).items() if "_ROMAN" in p or "_UNKNOWN" in p) > 800
