"""American Soundex, the phonetic code genealogists search census indexes with.

The rules are those of the US National Archives ("The Soundex Indexing System", NARA, 2007): keep
the first letter; code the rest (B F P V → 1, C G J K Q S X Z → 2, D T → 3, L → 4, M N → 5, R → 6);
letters with the same code side by side count once, and so do two letters with the same code
separated only by H or W; vowels, Y, H and W are not coded; pad or cut to one letter and three digits.
"""

from __future__ import annotations

import unicodedata

_CODES = {
    letter: digit
    for digit, letters in (("1", "BFPV"), ("2", "CGJKQSXZ"), ("3", "DT"), ("4", "L"), ("5", "MN"), ("6", "R"))
    for letter in letters
}


def soundex(word: str) -> str:
    """Return the Soundex code of a word ("Robert" → "R163"), or "" when it has no Latin letter."""
    letters = [c for c in _ascii_upper(word) if "A" <= c <= "Z"]
    if not letters:
        return ""
    first, digits = letters[0], []
    previous = _CODES.get(first, "")
    for letter in letters[1:]:
        code = _CODES.get(letter, "")
        if code and code != previous:
            digits.append(code)
        if letter not in "HW":  # H and W do not separate two equal codes; vowels do.
            previous = code
    return (first + "".join(digits) + "000")[:4]


def soundex_words(text: str) -> set[str]:
    """Return the Soundex codes of every word in a name ("Jean-Pierre Dubois" → {J500, P600, D120})."""
    words = text.replace("-", " ").replace("/", " ").replace(",", " ").split()
    return {code for code in map(soundex, words) if code}


def _ascii_upper(word: str) -> str:
    # "Müller" and "Mueller" should meet: drop accents, then code the Latin letters left.
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper().replace("ß", "SS")
