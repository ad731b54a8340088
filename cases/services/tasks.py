"""Queue background work when the current transaction commits, naming the task: services never import workers.

Dependencies point one way (``workers`` → services); a service asks the Celery app for a task by its
registered name instead. The names below are the only ones services queue.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
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


def task_messages_waiting() -> set[tuple[str, tuple[Any, ...]]] | None:
    """Return (task name, args) of every message the broker still holds, or None when it cannot be read.

    A message counts while it waits in a queue and, on Redis, while it is delivered but unacknowledged.
    The file-system broker forgets a message once a worker has fetched it. Used to find work whose
    message was lost (cases/services/recovery.py); a message read while being written is skipped.
    """
    from kinship_site.celery import app

    url = str(app.conf.broker_url or "")
    payloads: list[dict] = []
    if url.startswith("filesystem://"):
        folder = Path(app.conf.broker_transport_options["data_folder_in"])
        for path in folder.glob("*.msg"):
            try:
                payloads.append(json.loads(path.read_bytes()))
            except (OSError, ValueError):  # fetched by a worker meanwhile, or not yet fully written
                continue
    elif url.startswith(("redis://", "rediss://")):
        queues = {app.conf.task_default_queue, *(route.get("queue") for route in (app.conf.task_routes or {}).values())}
        with app.connection_for_read() as connection:
            client = connection.default_channel.client
            for queue in filter(None, queues):
                # kombu keeps one list per priority step; plain messages go to the queue's own name.
                for key in (queue, *(f"{queue}\x06\x16{step}" for step in (3, 6, 9))):
                    payloads += [json.loads(raw) for raw in client.lrange(key, 0, -1)]
            payloads += [json.loads(raw)[0] for raw in client.hvals("unacked")]
    else:
        return None
    return {entry for entry in map(_message_task, payloads) if entry is not None}


def _message_task(payload: dict) -> tuple[str, tuple[Any, ...]] | None:
    try:
        body = payload["body"]
        if payload.get("properties", {}).get("body_encoding") == "base64":
            body = base64.b64decode(body)
        args = json.loads(body)[0]
        return payload["headers"]["task"], tuple(args)
    except (KeyError, IndexError, TypeError, ValueError):
        return None
