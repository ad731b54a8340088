"""A headless Debian Chromium driven by Playwright; never a downloaded browser."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "correct horse battery"
"""The password tests.factories.UserFactory gives every user."""


@pytest.fixture(scope="module")
def browser(django_db_setup: None) -> Iterator[object]:
    """Launch Chromium for one test module; in CI a missing browser fails the run instead of skipping it.

    Playwright's sync API keeps an event loop running in the test thread, which Django's async-safety
    guard mistakes for async code calling the ORM; the guard is relaxed only while the browser is up,
    and the browser is closed at the end of the module so later tests run with the guard on.
    """
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium package for the browser tests.")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright import sync_api

    with pytest.MonkeyPatch.context() as patch, sync_api.sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def log_in(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """Return ``log_in(username, width=…)``: a page in a fresh browser context, signed in at the home page.

    Each call opens its own context (cookies apart, so two users can be compared side by side);
    all are closed when the test ends.
    """
    contexts = []

    def log_in(
        username: str, *, width: int = 1280, height: int = 900, has_touch: bool = False, password: str = PASSWORD
    ) -> Any:
        context = browser.new_context(viewport={"width": width, "height": height}, has_touch=has_touch)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    yield log_in
    for context in contexts:
        context.close()


@pytest.fixture
def artifacts() -> Path:
    """Return the folder screenshots are written to (gitignored, uploaded by CI)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(autouse=True)
def _audit_trail_flushable(transactional_db: None) -> Iterator[None]:
    """Empty the append-only audit trail before the test flush on SQLite, then restore its guard.

    PostgreSQL flushes with TRUNCATE, which the trigger allows; SQLite flushes with DELETE, which it refuses.
    """
    yield
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    guard = importlib.import_module("cases.migrations.0003_audit_append_only").SQLITE_UP[1]
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS cases_auditevent_no_delete")
        cursor.execute("DELETE FROM cases_auditevent")
        cursor.execute(guard)
