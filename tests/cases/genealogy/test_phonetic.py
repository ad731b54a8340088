"""American Soundex against the published examples (NARA, "The Soundex Indexing System", and Knuth, TAOCP 6.4)."""

from __future__ import annotations

import pytest

from cases.genealogy.phonetic import soundex, soundex_words


@pytest.mark.parametrize(
    ("name", "code"),
    [
        # NARA's examples: side-by-side codes, H/W between equal codes, prefixes, short names.
        ("Washington", "W252"),
        ("Lee", "L000"),
        ("Gutierrez", "G362"),
        ("Pfister", "P236"),
        ("Jackson", "J250"),
        ("Tymczak", "T522"),
        ("Ashcraft", "A261"),
        ("Ashcroft", "A261"),
        # Knuth's examples.
        ("Euler", "E460"),
        ("Gauss", "G200"),
        ("Hilbert", "H416"),
        ("Knuth", "K530"),
        ("Lloyd", "L300"),
        ("Lukasiewicz", "L222"),
        ("Robert", "R163"),
        ("Rupert", "R163"),
        ("Rubin", "R150"),
        ("Honeyman", "H555"),
    ],
)
def test_published_examples(name, code):
    assert soundex(name) == code


def test_accents_fold_and_case_does_not_matter():
    assert soundex("Müller") == soundex("MILLER") == "M460"
    assert soundex("Ó Briain") == soundex("obriain")


def test_no_latin_letter_has_no_code():
    assert soundex("") == "" and soundex("42") == "" and soundex("Дмитрий") == ""


def test_every_word_of_a_name_is_coded():
    assert soundex_words("Jean-Pierre /Dubois/") == {"J500", "P600", "D120"}
