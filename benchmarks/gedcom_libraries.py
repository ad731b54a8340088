"""Compare the GEDCOM libraries on PyPI on correctness cases and parse speed (docs/gedcom.md).

The libraries are not project dependencies: install them into a scratch virtualenv first
(`pip install python-gedcom ged4py gedcom7 gedcom-lite gedcomkit fastgedcom simple-gedcom`) and
run `python benchmarks/gedcom_libraries.py [PERSONS]` from the repository root. Each case prints
what the library returned, so a reader can judge "ok" for themselves.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gedcom_sample import write_sample  # noqa: E402

NAME = "Élise /Müller/"
NOTE = "Hello world\nsecond line"


def _doc(char: str, name: str = NAME, version: str = "5.5.1") -> str:
    lines = ["0 HEAD", "1 GEDC", f"2 VERS {version}"]
    if char:
        lines.append(f"1 CHAR {char}")
    note = ["1 NOTE Hello world"] if version.startswith("7") else ["1 NOTE Hello w", "2 CONC orld"]
    lines += [
        "0 @I1@ INDI",
        f"1 NAME {name}",
        *note,
        "2 CONT second line",
        "1 _MILT Served 1914",
        "2 _UNIT 3rd Foot",
        "0 TRLR",
    ]
    return "\n".join(lines) + "\n"


def _ansel_bytes() -> bytes:
    # ANSEL puts the combining mark (0xE2 acute, 0xE8 diaeresis) before its base letter.
    text = _doc("ANSEL", name="\x00E\x01lise /M\x00u\x02ller/")
    return text.encode("ascii").replace(b"\x00E\x01", b"\xe2E").replace(b"\x00u\x02", b"\xe8u")


CASES: dict[str, bytes] = {
    "utf8": _doc("UTF-8").encode(),
    "utf8_bom": b"\xef\xbb\xbf" + _doc("UTF-8").encode(),
    "utf16le_bom": b"\xff\xfe" + _doc("UNICODE").encode("utf-16-le"),
    "utf16be_bom": b"\xfe\xff" + _doc("UNICODE").encode("utf-16-be"),
    "ansel": _ansel_bytes(),
    "cr_endings": _doc("UTF-8").replace("\n", "\r").encode(),
    "crlf_endings": _doc("UTF-8").replace("\n", "\r\n").encode(),
    "v7": _doc("", version="7.0").encode(),
}
MALFORMED: dict[str, bytes] = {
    "level_jump_line6": _doc("UTF-8").replace("1 NOTE Hello w", "3 NOTE Hello w").encode(),
    "garbage_line5": _doc("UTF-8").replace("0 @I1@ INDI", "\x00\x01\x02garbage").encode(),
    "truncated": _doc("UTF-8").replace("0 TRLR\n", "").encode(),
}


def _python_gedcom(path: Path) -> tuple[str, str]:
    from gedcom.parser import Parser

    parser = Parser()
    parser.parse_file(str(path), strict=True)
    person = next(e for e in parser.get_root_child_elements() if e.get_tag() == "INDI")
    name = next(c for c in person.get_child_elements() if c.get_tag() == "NAME").get_value()
    note = next(c for c in person.get_child_elements() if c.get_tag() == "NOTE").get_multi_line_value()
    return name, note


def _ged4py(path: Path) -> tuple[str, str]:
    from ged4py.parser import GedcomReader

    with GedcomReader(str(path)) as reader:
        person = next(reader.records0("INDI"))
        given, surname, suffix = person.sub_tag("NAME").value
        return f"{given} /{surname}/" + (f" {suffix}" if suffix else ""), person.sub_tag_value("NOTE")


def _fastgedcom(path: Path) -> tuple[str, str]:
    from fastgedcom.parser import strict_parse

    document = strict_parse(path)
    person = document.get_record("@I1@")
    return person.get_sub_line_payload("NAME"), person.get_sub_line("NOTE").payload_with_cont


def _gedcom_lite(path: Path) -> tuple[str, str]:
    from gedcom_lite.core import GedcomDocument

    document = GedcomDocument.parse(path.read_bytes())
    person = document.resolve("@I1@")
    if document.parse_warnings:
        raise ValueError("; ".join(document.parse_warnings))
    return person.find("NAME").payload, person.find("NOTE").text()


def _gedcom7(path: Path) -> tuple[str, str]:
    import gedcom7

    records = gedcom7.loads(path.read_bytes().decode("utf-8"))
    person = next(r for r in records if r.tag == "INDI")
    name = next(c for c in person.children if c.tag == "NAME").text
    note = next(c for c in person.children if c.tag == "NOTE").text
    return name, note


def _gedcomkit(path: Path) -> tuple[str, str]:
    import gedcomkit

    document = gedcomkit.Gedcom.parse(path.read_bytes())
    person = document.individuals()[0]
    note = next(c for c in document.record("@I1@")["structures"] if c["tag"] == "NOTE")
    return person["names"][0]["original"], note["value"]


def _simple_gedcom(path: Path) -> tuple[str, str]:
    from simple_gedcom.parser import GedcomParser

    parser = GedcomParser()
    parser.parse_file(str(path))
    person = next(e for e in parser.get_root_child_elements() if e.get_tag() == "INDI")
    name = next(c for c in person.get_child_elements() if c.get_tag() == "NAME").get_value()
    note = next(c for c in person.get_child_elements() if c.get_tag() == "NOTE").get_value()
    return name, note


def _kinship(path: Path) -> tuple[str, str]:
    from cases.genealogy.gedcom import read_gedcom

    document = read_gedcom(path)
    person = document.individuals[0]
    return person.names[0].full, person.notes[0].text


READERS: dict[str, Callable[[Path], tuple[str, str]]] = {
    "python-gedcom": _python_gedcom,
    "ged4py": _ged4py,
    "fastgedcom": _fastgedcom,
    "gedcom-lite": _gedcom_lite,
    "gedcom7": _gedcom7,
    "gedcomkit": _gedcomkit,
    "simple-gedcom": _simple_gedcom,
    "kinship (ours)": _kinship,
}


def _count_persons(library: str, path: Path) -> int:
    """Parse the big file with `library` and return how many INDI records it saw."""
    if library == "python-gedcom":
        from gedcom.parser import Parser

        parser = Parser()
        parser.parse_file(str(path), strict=False)
        return sum(1 for e in parser.get_root_child_elements() if e.get_tag() == "INDI")
    if library == "simple-gedcom":
        from simple_gedcom.parser import GedcomParser

        parser = GedcomParser()
        parser.parse_file(str(path))
        return sum(1 for e in parser.get_root_child_elements() if e.get_tag() == "INDI")
    if library == "ged4py":
        from ged4py.parser import GedcomReader

        with GedcomReader(str(path)) as reader:
            return sum(1 for _ in reader.records0("INDI"))
    if library == "fastgedcom":
        from fastgedcom.parser import strict_parse

        return sum(1 for _ in strict_parse(path).get_records("INDI"))
    if library == "gedcom-lite":
        from gedcom_lite.core import GedcomDocument

        return len(GedcomDocument.parse(path.read_bytes()).find_records("INDI"))
    if library == "gedcom7":
        import gedcom7

        return sum(1 for r in gedcom7.loads(path.read_text("utf-8")) if r.tag == "INDI")
    if library == "gedcomkit":
        import gedcomkit

        return len(gedcomkit.Gedcom.parse(path.read_bytes()).individuals())
    from cases.genealogy.gedcom import iter_gedcom_records

    return sum(1 for r in iter_gedcom_records(path) if r.tag == "INDI")


def main(persons: int) -> None:
    """Print the case table and the speed table."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for library, reader in READERS.items():
            print(f"## {library}")
            for case, data in {**CASES, **MALFORMED}.items():
                path = folder / f"{case}.ged"
                path.write_bytes(data)
                try:
                    name, note = reader(path)
                    verdict = "ok" if (name, note) == (NAME, NOTE) else "WRONG"
                    print(f"  {case:18} {verdict:5} name={name!r} note={note!r}"[:200])
                except Exception as error:  # noqa: BLE001 - any failure is a finding here
                    print(f"  {case:18} ERROR {type(error).__name__}: {error}"[:200])
        big = write_sample(folder / "big.ged", persons)
        print(f"\n## speed: {persons} persons, {big.stat().st_size / 1e6:.1f} MB, one process per library")
        for library in READERS:
            result = subprocess.run(
                [sys.executable, __file__, "--speed", library, str(big)], capture_output=True, text=True
            )
            print(f"  {library:15} {(result.stdout or result.stderr).strip().splitlines()[-1][:160]}")


def _speed(library: str, path: Path) -> None:
    """Parse the big file once and print persons/s and the process's peak resident memory."""
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    began = time.perf_counter()
    counted = _count_persons(library, path)
    elapsed = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"{counted} persons in {elapsed:6.2f} s = {counted / elapsed:7.0f} persons/s, "
        f"peak RSS {peak / 1024:5.0f} MB (+{(peak - baseline) / 1024:4.0f} MB over start)"
    )


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--speed":
        _speed(sys.argv[2], Path(sys.argv[3]))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
