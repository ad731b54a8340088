"""Task modules, imported so the Celery app registers them."""

from workers.tasks import gedcom, generation, photos  # noqa: F401
