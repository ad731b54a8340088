"""Helpers for reading rendered pages in tests."""

from __future__ import annotations

import re

CSRF_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+"')


def without_csrf_tokens(html: str) -> str:
    """Return ``html`` with its CSRF tokens' values emptied: a random 64-character token can hold
    a name ("Eve") that a test asserts the page does not show."""
    return CSRF_TOKEN.sub(r'\1"', html)
