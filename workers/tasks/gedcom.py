"""GEDCOM preview and import tasks (``default`` queue); their time limits come from settings."""

from __future__ import annotations

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from cases.services.gedcom import gedcom_import_preview, gedcom_import_run, gedcom_mark_failed
from workers.limits import soft_time_limit_of

TRANSIENT = (ConnectionError, TimeoutError)


@shared_task(bind=True, acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def gedcom_preview_task(self, import_id: int) -> str:
    """Preview one uploaded GEDCOM file; return the import's state."""
    try:
        return gedcom_import_preview(import_id=import_id).state
    except SoftTimeLimitExceeded:
        gedcom_mark_failed(
            import_id=import_id,
            message=f"The preview took longer than its limit of "
            f"{soft_time_limit_of(self)} seconds and was stopped; "
            "the file may be too large or malformed.",
        )
        raise
    except TRANSIENT:
        raise
    except Exception:
        gedcom_mark_failed(import_id=import_id, message="The preview failed unexpectedly; the team has been told.")
        raise


@shared_task(bind=True, acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def gedcom_import_task(self, import_id: int) -> str:
    """Run one confirmed GEDCOM import; return its final state."""
    try:
        return gedcom_import_run(import_id=import_id).state
    except SoftTimeLimitExceeded:
        gedcom_mark_failed(
            import_id=import_id,
            message=f"The import took longer than its limit of "
            f"{soft_time_limit_of(self)} seconds and was stopped; "
            "nothing was kept.",
        )
        raise
    except TRANSIENT:
        raise
    except Exception:
        gedcom_mark_failed(
            import_id=import_id, message="The import failed unexpectedly and nothing was kept; the team has been told."
        )
        raise
