"""Keep a second file's xrefs apart from those already in the tree (@I1@ → @X2_I1@)."""

from __future__ import annotations

from typing import Any

from cases.genealogy.gedcom import GedcomNode
from cases.models import Family, GedcomRecord, Person, Source, Tree

_POINTER_FIELDS = frozenset({"xref", "pointer", "family", "individual", "source", "partner1", "partner2"})


def xref_prefix(tree: Tree) -> str:
    """Return "" for a tree without GEDCOM xrefs, else a prefix that keeps this file's xrefs apart.

    A second file imported into the same tree reuses ids like @I1@; prefixing every xref and
    pointer of the new file (@I1@ → @X2_I1@) keeps each export's xrefs unique and its links right.
    """
    existing: set[str] = set()
    for model in (Person, Family, Source):
        existing.update(model.objects.filter(tree=tree).exclude(gedcom_xref="").values_list("gedcom_xref", flat=True))
    existing.update(GedcomRecord.objects.filter(tree=tree).exclude(xref="").values_list("xref", flat=True))
    if not existing:
        return ""
    number = 2
    while any(xref.startswith(f"@X{number}_") for xref in existing):
        number += 1
    return f"X{number}_"


def rename_pointers(item: Any, prefix: str) -> None:
    """Prefix every xref and pointer inside a mapped record or raw node, in place."""
    if isinstance(item, GedcomNode):
        if item.xref:
            item.xref = _prefixed(item.xref, prefix)
        if item.pointer:
            item.pointer = _prefixed(item.pointer, prefix)
        for child in item.children:
            rename_pointers(child, prefix)
        return
    for name in getattr(item, "__slots__", ()):
        value = getattr(item, name, None)
        if name in _POINTER_FIELDS and isinstance(value, str) and value:
            setattr(item, name, _prefixed(value, prefix))
        elif name == "media" and isinstance(value, list):
            setattr(item, name, [_prefixed(x, prefix) for x in value])
        elif isinstance(value, list):
            for element in value:
                if not isinstance(element, str):
                    rename_pointers(element, prefix)


def _prefixed(pointer: str, prefix: str) -> str:
    if pointer == "@VOID@" or not (pointer.startswith("@") and pointer.endswith("@")) or pointer.startswith("@#"):
        return pointer
    return f"@{prefix}{pointer[1:]}"
