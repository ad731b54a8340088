"""GEDCOM import and export for trees: preview, one-transaction import, privacy-aware export."""

from cases.services.gedcom.export import GedcomExport, gedcom_export
from cases.services.gedcom.jobs import (
    gedcom_import,
    gedcom_import_confirm,
    gedcom_import_preview,
    gedcom_import_progress,
    gedcom_import_run,
    gedcom_mark_failed,
    gedcom_preview,
    gedcom_upload,
)

__all__ = [
    "GedcomExport",
    "gedcom_export",
    "gedcom_import",
    "gedcom_import_confirm",
    "gedcom_import_preview",
    "gedcom_import_progress",
    "gedcom_import_run",
    "gedcom_mark_failed",
    "gedcom_preview",
    "gedcom_upload",
]
