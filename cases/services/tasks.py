"""Queue background work when the current transaction commits, naming the task: services never import workers.

Dependencies point one way (``workers`` → services); a service asks the Celery app for a task by its
registered name instead. The names below are the only ones services queue.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

GENERATION_RUN = "workers.tasks.generation.generation_run_task"
PHOTO_DETECT_FACES = "workers.tasks.photos.photo_detect_faces_task"
GEDCOM_PREVIEW = "workers.tasks.gedcom.gedcom_preview_task"
GEDCOM_IMPORT = "workers.tasks.gedcom.gedcom_import_task"


def task_enqueue_on_commit(*, name: str, args: tuple[Any, ...]) -> None:
    """Queue the named task with these arguments once the current transaction commits (at once outside one)."""
    # Looked up when the callback runs, so tests can replace task_enqueue.
    transaction.on_commit(lambda: task_enqueue(name=name, args=args))


def task_enqueue(*, name: str, args: tuple[Any, ...]) -> None:
    """Queue the named task now (run in process when ``CELERY_TASK_ALWAYS_EAGER`` is set)."""
    from kinship_site.celery import app

    if name not in app.tasks:
        # The web process never imported the task modules; Celery's autodiscovery registers them.
        app.loader.import_default_modules()
    app.tasks[name].delay(*args)
