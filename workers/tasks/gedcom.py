"""GEDCOM preview and import tasks (``default`` queue)."""

from __future__ import annotations

from celery import shared_task

from cases.services.gedcom import gedcom_import_preview, gedcom_import_run, gedcom_mark_failed

TRANSIENT = (ConnectionError, TimeoutError)


@shared_task(acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def gedcom_preview_task(import_id: int) -> str:
    """Preview one uploaded GEDCOM file; return the import's state."""
    try:
        return gedcom_import_preview(import_id=import_id).state
    except TRANSIENT:
        raise
    except Exception:
        gedcom_mark_failed(import_id=import_id, message="The preview failed unexpectedly; the team has been told.")
        raise


@shared_task(acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3,
             soft_time_limit=3600, time_limit=3700)
def gedcom_import_task(import_id: int) -> str:
    """Run one confirmed GEDCOM import; return its final state."""
    try:
        return gedcom_import_run(import_id=import_id).state
    except TRANSIENT:
        raise
    except Exception:
        gedcom_mark_failed(import_id=import_id, message="The import failed unexpectedly and nothing was kept; "
                                                        "the team has been told.")
        raise
