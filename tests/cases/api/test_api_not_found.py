"""Unmatched /api/ URLs answer a JSON 404 like every other API error (issue 13, leftover 5).

Reproduced before the fix: schemathesis' negative mode sent ``/api/trees/abc/persons/`` (a non-numeric
id never matches ``<int:tree_id>``) and got Django's HTML 404 page, a content type the schema does not
document. Pages outside /api/ keep the HTML page, and a URL missing its trailing slash is still redirected.
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("url", ["/api/trees/abc/persons/", "/api/no-such-thing/", "/api/trees/-1/"])
def test_unmatched_api_url_is_a_json_404(client, db, url):
    response = client.get(url)
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json() == {"error": "not_found", "detail": "No such API endpoint or object."}


def test_pages_keep_the_html_404_and_the_slash_redirect(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    # The site's own page (its header and a way back), not Django's bare "Not Found".
    assert (
        "<h1>Page not found</h1>" in page
        and 'class="site"' in page
        and '<a class="button" href="/">Back to your trees</a>' in page
    )
    response = client.get("/api/schema")
    assert response.status_code == 301 and response["Location"] == "/api/schema/"


def test_content_negotiation_errors_are_documented(client, db):
    """DRF answers 406 (Accept) and 415 (Content-Type) on any operation: the schema says so."""
    from tests.factories import UserFactory

    user = UserFactory(username="reader")
    client.force_login(user)
    assert client.get("/api/trees/", HTTP_ACCEPT="image/png").status_code == 406
    assert client.post("/api/trees/", data=b"x", content_type="text/plain").status_code == 415
    schema = client.get("/api/schema/?format=json").json()
    for operation in schema["paths"]["/api/trees/"].values():
        assert {"406", "415"} <= set(operation["responses"])
