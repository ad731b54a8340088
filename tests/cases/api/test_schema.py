"""The OpenAPI 3 schema is generated without warnings and validates."""

import re

import yaml
from django.urls import reverse
from openapi_spec_validator import validate
from rest_framework.test import APIClient


def test_schema_is_valid_openapi(db):
    client = APIClient()
    response = client.get(reverse("api-schema"))
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate(schema)
    paths = schema["paths"]
    for expected in (
        "/api/trees/",
        "/api/trees/{tree_id}/persons/",
        "/api/trees/{tree_id}/photos/",
        "/api/trees/{tree_id}/families/{family_id}/children/",
        "/api/trees/{tree_id}/chart/",
    ):
        assert expected in paths
    assert "multipart/form-data" in paths["/api/trees/{tree_id}/photos/"]["post"]["requestBody"]["content"]


def test_docs_page_uses_no_cdn(db, admin_client):
    page = admin_client.get(reverse("api-docs")).content.decode()
    # Every script, style and link is this site's own: no address names another host. (Not a bare
    # "cdn" substring: the page's random CSRF token once contained one.)
    addresses = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)""", page)
    assert addresses and not [a for a in addresses if a.startswith(("http:", "https:", "//"))]
    assert not re.search(r"(https?:)?//[\w.-]*cdn", page, re.IGNORECASE)
    assert "/static/drf_spectacular_sidecar/" in page
