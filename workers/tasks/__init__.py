"""Task modules, imported so the Celery app registers them."""

from workers.tasks import photos  # noqa: F401
