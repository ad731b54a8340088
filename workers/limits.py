"""Time limits as a running task sees them (the limits themselves are set per task kind in settings)."""

from __future__ import annotations


def soft_time_limit_of(task) -> int | None:
    """Return the running task's soft time limit: its message's (the publisher's settings), else the task's."""
    limits = task.request.timelimit or (None, None)
    return limits[1] or task.soft_time_limit
