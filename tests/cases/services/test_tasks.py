"""Services queue tasks by name through one helper, and ``cases`` never imports ``workers``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from cases.services import tasks

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    "name", [tasks.GENERATION_RUN, tasks.PHOTO_DETECT_FACES, tasks.GEDCOM_PREVIEW, tasks.GEDCOM_IMPORT]
)
def test_every_name_services_queue_is_a_registered_task(name: str) -> None:
    from kinship_site.celery import app

    app.loader.import_default_modules()
    assert name in app.tasks


def test_cases_never_imports_workers() -> None:
    offenders = []
    for path in (ROOT / "cases").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] == "workers"]
    assert offenders == []


@pytest.mark.django_db
def test_a_task_is_queued_only_when_the_transaction_commits(monkeypatch, django_capture_on_commit_callbacks) -> None:
    queued = []
    monkeypatch.setattr(tasks, "task_enqueue", lambda *, name, args: queued.append((name, args)))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        tasks.task_enqueue_on_commit(name=tasks.GEDCOM_IMPORT, args=(7,))
        assert queued == []
    assert len(callbacks) == 1 and queued == [(tasks.GEDCOM_IMPORT, (7,))]
