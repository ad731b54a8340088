"""Kinship project package: settings, URLs, WSGI/ASGI entry points and the Celery app."""

from kinship_site.celery import app as celery_app

__all__ = ["celery_app"]
