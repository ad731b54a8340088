"""GEDCOM API: upload → background preview → confirm → background import, export, and who may do what."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from cases.access import Capability
from cases.models import GedcomImport, ImportState, Person, Role
from tests.gedcom_files import BROKEN, FILE_551
from tests.permissions import EVERYONE, Endpoint, check_cell, matrix, may


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _upload(client, tree_id: int, content: str = FILE_551, name: str = "family.ged"):
    return client.post(
        reverse("api-gedcom-import-list", kwargs={"tree_id": tree_id}),
        {"file": SimpleUploadedFile(name, content.encode())},
        format="multipart",
    )


def _one_import_if_allowed(ctx, response, allowed):
    assert GedcomImport.objects.count() == (1 if allowed else 0)


def _living_shown_to_those_who_see_them(ctx, response, allowed):
    if allowed:
        assert response["Content-Disposition"].endswith('.ged"')
        text = response.content.decode()
        sees_living = response.wsgi_request.user.username in (Role.OWNER, Role.EDITOR, Role.CASEWORKER)
        assert text.startswith("0 HEAD") and ("Eve /Old/" in text) == sees_living


MATRIX = [
    Endpoint(
        "upload",
        "post",
        lambda c: reverse("api-gedcom-import-list", kwargs={"tree_id": c.tree.pk}),
        may(Capability.EDIT),
        202,
        lambda c: {"file": SimpleUploadedFile("family.ged", FILE_551.encode())},
        "multipart",
        check=_one_import_if_allowed,
    ),
    Endpoint(
        "export",
        "get",
        lambda c: reverse("api-gedcom-export", kwargs={"tree_id": c.tree.pk}) + "?version=7.0",
        may(Capability.VIEW),
        200,
        check=_living_shown_to_those_who_see_them,
    ),
]


@pytest.mark.parametrize(("endpoint", "who"), matrix(MATRIX, EVERYONE))
def test_permissions(small_tree, endpoint, who, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        check_cell(endpoint, who, small_tree, api=True)


def test_upload_preview_confirm_import_flow(small_tree, django_capture_on_commit_callbacks):
    client = _client(small_tree.users[Role.EDITOR])
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, small_tree.tree.pk)
    url = response["Location"]
    body = client.get(url).json()
    assert body["state"] == ImportState.PREVIEWED
    assert body["preview"]["counts"]["persons"] == 5
    assert Person.objects.filter(tree=small_tree.tree).count() == 5  # nothing imported before confirming

    viewer = _client(small_tree.users[Role.VIEWER])
    assert viewer.get(url).status_code == 403
    assert viewer.post(url + "confirm/").status_code == 403

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url + "confirm/")
    assert response.status_code == 202
    body = client.get(url).json()
    assert body["state"] == ImportState.DONE and body["progress"] == 100
    assert body["result"]["counts"]["persons"] == 5
    assert Person.objects.filter(tree=small_tree.tree).count() == 10
    assert client.post(url + "confirm/").status_code == 409  # not twice
    assert _upload(client, small_tree.tree.pk).status_code == 409  # the same file again is refused


def test_malformed_upload_fails_with_the_line(small_tree, django_capture_on_commit_callbacks):
    client = _client(small_tree.users[Role.OWNER])
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, small_tree.tree.pk, BROKEN["level jump"][0])
    body = client.get(response["Location"]).json()
    assert body["state"] == ImportState.FAILED and body["error"].startswith(f"line {BROKEN['level jump'][1]}:")


def test_wrong_file_type_is_refused(small_tree):
    response = _upload(_client(small_tree.users[Role.OWNER]), small_tree.tree.pk, name="family.txt")
    assert response.status_code == 400


def test_zip_export(small_tree):
    response = _client(small_tree.users[Role.OWNER]).get(
        reverse("api-gedcom-export", kwargs={"tree_id": small_tree.tree.pk}), {"version": "5.5.1", "zip": "true"}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    import zipfile

    assert "gedcom.ged" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()


def test_schema_lists_the_gedcom_endpoints(small_tree):
    client = _client(small_tree.users[Role.OWNER])
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    paths = set(schema["paths"])
    assert {
        "/api/trees/{tree_id}/gedcom/imports/",
        "/api/trees/{tree_id}/gedcom/imports/{import_id}/",
        "/api/trees/{tree_id}/gedcom/imports/{import_id}/confirm/",
        "/api/trees/{tree_id}/gedcom/export/",
    } <= paths


def test_pages(small_tree, client, django_capture_on_commit_callbacks):
    client.force_login(small_tree.users[Role.OWNER])
    tree_id = small_tree.tree.pk
    page = client.get(reverse("tree-gedcom", kwargs={"tree_id": tree_id}))
    assert b"Import GEDCOM" in page.content and b"Export GEDCOM" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("tree-gedcom", kwargs={"tree_id": tree_id}),
            {"file": SimpleUploadedFile("family.ged", FILE_551.encode())},
        )
    job = GedcomImport.objects.get()
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert b"Preview" in preview.content and b"Import into" in preview.content
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("gedcom-import-confirm", kwargs={"tree_id": tree_id, "import_id": job.pk}))
    done = client.get(reverse("gedcom-import", kwargs={"tree_id": tree_id, "import_id": job.pk}))
    assert b"Imported" in done.content
    export = client.get(reverse("gedcom-export", kwargs={"tree_id": tree_id}), {"version": "7.0"})
    assert export.status_code == 200 and b"Jean-Pierre" in export.content

    client.force_login(small_tree.users[Role.VIEWER])
    page = client.get(reverse("tree-gedcom", kwargs={"tree_id": tree_id}))
    assert b"Import GEDCOM" not in page.content and b"Export GEDCOM" in page.content
    assert client.get(reverse("gedcom-import", kwargs={"tree_id": tree_id, "import_id": job.pk})).status_code == 403
