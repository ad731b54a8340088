"""The page-action helper shows the success message, or the domain error's sentence and swallows it."""

from __future__ import annotations

import pytest
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from cases.errors import InvalidInput
from cases.pages.feedback import action_reported


@pytest.fixture
def request_with_messages():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _shown(request) -> list[tuple[int, str]]:
    return [(m.level, m.message) for m in messages.get_messages(request)]


def test_success_is_reported_at_its_level(request_with_messages) -> None:
    with action_reported(request_with_messages, success="Done.", level=messages.WARNING):
        pass
    assert _shown(request_with_messages) == [(messages.WARNING, "Done.")]


def test_a_domain_error_becomes_an_error_message(request_with_messages) -> None:
    with action_reported(request_with_messages, success="Done.", failure="Nothing changed: "):
        raise InvalidInput("The name is empty.")
    assert _shown(request_with_messages) == [(messages.ERROR, "Nothing changed: The name is empty.")]


def test_other_errors_pass_through(request_with_messages) -> None:
    with pytest.raises(KeyError), action_reported(request_with_messages, success="Done."):
        raise KeyError("bug")
    assert _shown(request_with_messages) == []


def test_the_outcome_says_whether_the_block_ran_through(request_with_messages) -> None:
    with action_reported(request_with_messages, success="Default.") as failed:
        raise InvalidInput("No.")
    with action_reported(request_with_messages, success="Default.") as done:
        done.success = "3 jobs queued."  # a message that needs the service's result
    assert (failed.ok, done.ok) == (False, True)
    assert _shown(request_with_messages) == [(messages.ERROR, "No."), (messages.SUCCESS, "3 jobs queued.")]
