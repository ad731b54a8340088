"""Reading and writing .zip and .gdz archives, and refusing unsafe ones."""

import io
import stat
import zipfile

import pytest

from cases.genealogy.gedcom import (
    ArchiveLimits,
    GedcomArchiveError,
    read_gedcom,
    read_gedcom_archive,
    write_gedcom_archive,
)

PHOTO = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def _zip(path, entries):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def _tree(make_gedcom, *files):
    lines = ["0 @I1@ INDI", "1 NAME Ann /Lee/"] + [f"1 OBJE @M{i}@" for i in range(len(files))]
    for index, path in enumerate(files):
        lines += [f"0 @M{index}@ OBJE", f"1 FILE {path}", "2 FORM png"]
    return make_gedcom(*lines)


def test_zip_with_one_ged_and_relative_media(tmp_path, make_gedcom):
    text = _tree(make_gedcom, "photos/ann.png", "photos\\ann2.png")
    archive = _zip(
        tmp_path / "tree.zip",
        {
            "export/tree.ged": text,
            "export/photos/ann.png": PHOTO,
            "export/photos/ann2.png": PHOTO[:10],
            "export/unrelated.txt": "not referenced",
        },
    )

    result = read_gedcom_archive(archive, extract_to=tmp_path / "out")

    assert result.document.individuals[0].media == ["@M0@", "@M1@"]
    assert result.media["photos/ann.png"].read_bytes() == PHOTO
    assert result.media["photos\\ann2.png"].read_bytes() == PHOTO[:10]
    assert result.missing == []
    assert not (tmp_path / "out" / "export" / "unrelated.txt").exists()


def test_missing_media_is_reported_not_fatal(tmp_path, make_gedcom):
    archive = _zip(tmp_path / "tree.zip", {"tree.ged": _tree(make_gedcom, "gone.png", "https://example.org/a.png")})

    result = read_gedcom_archive(archive, extract_to=tmp_path / "out")

    assert result.missing == ["gone.png"]
    assert any("gone.png" in str(issue) for issue in result.document.issues)
    assert len(result.document.individuals) == 1


def test_media_path_escaping_the_archive_is_treated_as_missing(tmp_path, make_gedcom):
    archive = _zip(tmp_path / "tree.zip", {"tree.ged": _tree(make_gedcom, "../../etc/passwd", "/etc/passwd")})

    result = read_gedcom_archive(archive, extract_to=tmp_path / "out")

    assert result.missing == ["../../etc/passwd", "/etc/passwd"]
    assert list((tmp_path / "out").rglob("*")) == []


def test_gdz_needs_gedcom_ged_at_the_root(tmp_path, make_gedcom):
    good = _zip(tmp_path / "good.gdz", {"gedcom.ged": _tree(make_gedcom, "ann.png"), "ann.png": PHOTO})
    bad = _zip(tmp_path / "bad.gdz", {"sub/gedcom.ged": _tree(make_gedcom)})

    assert read_gedcom_archive(good, extract_to=tmp_path / "out").media["ann.png"].read_bytes() == PHOTO
    with pytest.raises(GedcomArchiveError, match=r"gedcom\.ged at its root"):
        read_gedcom_archive(bad, extract_to=tmp_path / "out2")


@pytest.mark.parametrize("count", [0, 2])
def test_zip_must_hold_exactly_one_ged(tmp_path, make_gedcom, count):
    archive = _zip(tmp_path / "x.zip", {f"t{i}.ged": _tree(make_gedcom) for i in range(count)} | {"a.txt": "x"})

    with pytest.raises(GedcomArchiveError, match=r"exactly one \.ged"):
        read_gedcom_archive(archive, extract_to=tmp_path / "out")


@pytest.mark.parametrize("name", ["../evil.ged", "/abs/evil.ged", "a/../../evil.png", "C:/evil.png", "..\\evil.png"])
def test_unsafe_member_names_are_refused(tmp_path, make_gedcom, name):
    archive = _zip(tmp_path / "x.zip", {"tree.ged": _tree(make_gedcom), name: "x"})

    with pytest.raises(GedcomArchiveError, match="unsafe path"):
        read_gedcom_archive(archive, extract_to=tmp_path / "out")


def test_symlinks_are_refused(tmp_path, make_gedcom):
    path = tmp_path / "x.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("tree.ged", _tree(make_gedcom, "link.png"))
        link = zipfile.ZipInfo("link.png")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")

    with pytest.raises(GedcomArchiveError, match="symbolic link"):
        read_gedcom_archive(path, extract_to=tmp_path / "out")


def test_zip_bomb_by_ratio_is_refused(tmp_path, make_gedcom):
    archive = _zip(tmp_path / "bomb.zip", {"tree.ged": _tree(make_gedcom, "a.png"), "a.png": b"\0" * (20 << 20)})

    with pytest.raises(GedcomArchiveError, match="zip bomb"):
        read_gedcom_archive(archive, extract_to=tmp_path / "out")


def test_total_size_cap(tmp_path, make_gedcom):
    archive = _zip(tmp_path / "big.zip", {"tree.ged": _tree(make_gedcom, "a.png"), "a.png": PHOTO})

    with pytest.raises(GedcomArchiveError, match="inflates to"):
        read_gedcom_archive(archive, extract_to=tmp_path / "out", limits=ArchiveLimits(max_total_bytes=500))


def test_lying_size_headers_do_not_let_more_bytes_through(tmp_path, make_gedcom):
    data = io.BytesIO()
    _zip(data, {"tree.ged": _tree(make_gedcom, "a.png"), "a.png": PHOTO * 100})
    raw = bytearray(data.getvalue())
    offset = raw.find(b"PK\x01\x02")
    while raw[offset + 46 : offset + 46 + int.from_bytes(raw[offset + 28 : offset + 30], "little")] != b"a.png":
        offset = raw.find(b"PK\x01\x02", offset + 4)
    raw[offset + 24 : offset + 28] = (10).to_bytes(4, "little")  # central directory: "10 bytes inflated"
    path = tmp_path / "liar.zip"
    path.write_bytes(bytes(raw))

    with pytest.raises(GedcomArchiveError, match="corrupt"):
        read_gedcom_archive(path, extract_to=tmp_path / "out")


def test_too_many_members(tmp_path, make_gedcom):
    archive = _zip(tmp_path / "many.zip", {"tree.ged": _tree(make_gedcom)} | {f"{i}.txt": "x" for i in range(30)})

    with pytest.raises(GedcomArchiveError, match="entries"):
        read_gedcom_archive(archive, extract_to=tmp_path / "out", limits=ArchiveLimits(max_members=10))


def test_not_a_zip(tmp_path):
    path = tmp_path / "x.zip"
    path.write_bytes(b"0 HEAD\n")

    with pytest.raises(GedcomArchiveError, match="not a readable zip"):
        read_gedcom_archive(path, extract_to=tmp_path / "out")


def test_malformed_ged_inside_an_archive_keeps_its_line_number(tmp_path, make_gedcom):
    from cases.genealogy.gedcom import GedcomSyntaxError

    archive = _zip(tmp_path / "x.zip", {"tree.ged": make_gedcom("0 @I1@ INDI", "2 NAME A")})

    with pytest.raises(GedcomSyntaxError) as caught:
        read_gedcom_archive(archive, extract_to=tmp_path / "out")
    assert caught.value.line == 6


@pytest.mark.parametrize(("suffix", "version"), [(".gdz", "7.0"), (".zip", "5.5.1")])
def test_write_then_read_archive_round_trip(tmp_path, make_gedcom, suffix, version):
    document = read_gedcom(_tree(make_gedcom, "photos/ann.png").encode())
    target = tmp_path / f"export{suffix}"

    write_gedcom_archive(document, target, version=version, media={"photos/ann.png": PHOTO})
    result = read_gedcom_archive(target, extract_to=tmp_path / "out")

    assert zipfile.ZipFile(target).namelist() == ["gedcom.ged", "photos/ann.png"]
    assert result.document.version == version
    assert result.media["photos/ann.png"].read_bytes() == PHOTO
    assert result.document.individuals[0].names[0].full == "Ann /Lee/"


def test_writing_refuses_media_paths_outside_the_archive(tmp_path, make_gedcom):
    document = read_gedcom(_tree(make_gedcom).encode())

    with pytest.raises(GedcomArchiveError):
        write_gedcom_archive(document, tmp_path / "x.zip", media={"../x.png": PHOTO})
