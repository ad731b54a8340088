"""Photo preparation tasks (``default`` queue)."""

from __future__ import annotations

from celery import shared_task

from cases.services.photos import photo_detect_faces


@shared_task(acks_late=True, autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def photo_detect_faces_task(photo_id: int) -> int:
    """Detect faces on one photo; return how many the photo has."""
    return len(photo_detect_faces(photo_id=photo_id))
