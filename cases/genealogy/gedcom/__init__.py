"""GEDCOM 5.5.1 and 7.0 reading and writing into plain dataclasses; no Django here.

Read a file with `read_gedcom` (whole document, links checked) or `iter_gedcom` (one record at a
time, for batch mapping); write with `write_gedcom`; bundle media with the archive functions.
"""

from cases.genealogy.gedcom.archive import (
    ArchiveLimits,
    GedcomArchive,
    GedcomArchiveReader,
    read_gedcom_archive,
    write_gedcom_archive,
)
from cases.genealogy.gedcom.errors import (
    GedcomArchiveError,
    GedcomEncodingError,
    GedcomError,
    GedcomIssue,
    GedcomStructureError,
    GedcomSyntaxError,
)
from cases.genealogy.gedcom.lines import GedcomNode
from cases.genealogy.gedcom.model import (
    PEDIGREES,
    ChildLink,
    Citation,
    Event,
    Family,
    FamilyLink,
    GedcomDocument,
    Individual,
    MediaFile,
    MediaObject,
    Note,
    PersonName,
    Source,
)
from cases.genealogy.gedcom.reader import (
    GedcomStream,
    check_no_own_ancestor,
    iter_gedcom,
    iter_gedcom_batches,
    iter_gedcom_records,
    read_gedcom,
)
from cases.genealogy.gedcom.writer import (
    iter_gedcom_lines,
    write_gedcom,
    write_gedcom_bytes,
)

__all__ = [
    "PEDIGREES",
    "ArchiveLimits",
    "ChildLink",
    "Citation",
    "Event",
    "Family",
    "FamilyLink",
    "GedcomArchive",
    "GedcomArchiveError",
    "GedcomArchiveReader",
    "GedcomDocument",
    "GedcomEncodingError",
    "GedcomError",
    "GedcomIssue",
    "GedcomNode",
    "GedcomStream",
    "GedcomStructureError",
    "GedcomSyntaxError",
    "Individual",
    "MediaFile",
    "MediaObject",
    "Note",
    "PersonName",
    "Source",
    "check_no_own_ancestor",
    "iter_gedcom",
    "iter_gedcom_batches",
    "iter_gedcom_lines",
    "iter_gedcom_records",
    "read_gedcom",
    "read_gedcom_archive",
    "write_gedcom",
    "write_gedcom_archive",
    "write_gedcom_bytes",
]
