"""The page-action helpers: success message or the domain error's sentence (as a message, on a form or inline),
and the way back to the form's page."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from cases.errors import InvalidInput
from cases.pages.feedback import action_reported, redirect_back


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


def test_a_form_gets_the_error_on_the_field_it_names_and_no_message(request_with_messages) -> None:
    class NameForm(forms.Form):
        name = forms.CharField()

    form = NameForm({"name": "x"})
    assert form.is_valid()
    with action_reported(request_with_messages, success="Saved.", form=form) as named:
        raise InvalidInput("That name is taken.", extra={"field": "name"})
    with action_reported(request_with_messages, form=form):
        raise InvalidInput("Something about the whole form.", extra={"field": "no_such_field"})
    assert not named.ok and isinstance(named.error, InvalidInput)
    assert form.errors == {"name": ["That name is taken."], "__all__": ["Something about the whole form."]}
    assert _shown(request_with_messages) == []


def test_inline_leaves_the_problem_to_the_page(request_with_messages) -> None:
    with action_reported(request_with_messages, failure="Not saved: ", inline=True) as saved:
        raise InvalidInput("The title is empty.")
    assert (saved.ok, saved.problem) == (False, "Not saved: The title is empty.")
    assert _shown(request_with_messages) == []
    with action_reported(request_with_messages, success="Saved.", inline=True) as saved:
        pass
    assert saved.ok and saved.problem == "" and saved.error is None
    assert _shown(request_with_messages) == [(messages.SUCCESS, "Saved.")]  # success is still a message


@pytest.mark.parametrize(
    ("next_url", "secure", "expected"),
    [
        ("/trees/1/people/", False, "/trees/1/people/"),
        ("https://evil.example/", False, "/fallback/"),  # never off the site: no open redirect
        ("//evil.example/x", False, "/fallback/"),
        ("http://testserver/trees/", True, "/fallback/"),  # an https page does not send back to http
        ("", False, "/fallback/"),
    ],
)
def test_redirect_back_goes_to_this_sites_next_only(next_url, secure, expected) -> None:
    request = RequestFactory().post("/", {"next": next_url}, secure=secure)
    assert redirect_back(request, "/fallback/").url == expected


def test_redirect_back_reads_next_from_the_query_when_the_form_has_none() -> None:
    request = RequestFactory().post("/?next=/trees/2/sources/", {})
    assert redirect_back(request, "/fallback/").url == "/trees/2/sources/"


def test_redirect_back_after_a_refusal_drops_the_fragment_so_the_message_is_in_sight() -> None:
    request = RequestFactory().post("/", {"next": "/trees/1/people/4/#photos"})
    assert redirect_back(request, "/fallback/").url == "/trees/1/people/4/#photos"
    assert redirect_back(request, "/fallback/", refused=True).url == "/trees/1/people/4/"
