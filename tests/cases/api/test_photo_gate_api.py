"""The upload-time face check (no engine) and choosing a group photo's face by its box, through the API."""

from __future__ import annotations

import numpy as np
import pytest
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from cases.services.photos import photo_detect_faces, photo_upload
from tests.images import jpeg_bytes


@pytest.fixture
def client(small_tree):
    api = APIClient()
    api.force_authenticate(small_tree.owner_access.user)
    return api


@pytest.fixture
def group(small_tree):
    """A two-person photo (two public-domain White House portraits side by side), faces detected."""
    from genetics.samples import shipped_face

    left, right = shipped_face("obama"), shipped_face("biden")
    image = np.concatenate([left, right[: left.shape[0]]], axis=1)
    photo = photo_upload(access=small_tree.owner_access, data=jpeg_bytes(image, quality=90))
    faces = photo_detect_faces(photo_id=photo.pk)
    assert len(faces) == 2
    return photo, faces


def _gate(client, tree, photo, body):
    return client.post(
        reverse("api-photo-gate", kwargs={"tree_id": tree.pk, "photo_id": photo.pk}), body, format="json"
    )


def test_group_photo_without_a_box_is_refused_saying_why(client, small_tree, group):
    photo, _ = group
    response = _gate(client, small_tree.tree, photo, {})
    assert response.status_code == 422
    body = response.json()
    assert "2 faces" in body["detail"] and len(body["boxes"]) == 2


def test_group_photo_face_chosen_by_box_passes_the_gate(client, small_tree, group):
    photo, faces = group
    response = _gate(client, small_tree.tree, photo, {"box": faces[1].box})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["tone"] == "colour" and body["low_resolution"] is False and isinstance(body["notes"], list)
    assert body["face_box"][0] >= photo.width // 2 - 50  # the right-hand face, not the left one


def test_small_face_is_accepted_with_a_low_resolution_note(client, small_tree):
    from genetics.samples import grace_hopper

    image = grace_hopper()
    small = np.asarray(Image.fromarray(image).resize((image.shape[1] * 28 // 100, image.shape[0] * 28 // 100)))
    photo = photo_upload(access=small_tree.owner_access, data=jpeg_bytes(small, quality=92))
    body = _gate(client, small_tree.tree, photo, {}).json()
    assert body["low_resolution"] is True and body["face_side"] < 64
    assert any("enlarged" in note for note in body["notes"])


def test_portrait_chosen_by_box_on_a_group_photo(client, small_tree, group):
    photo, faces = group
    url = reverse("api-person-portrait", kwargs={"tree_id": small_tree.tree.pk, "person_id": small_tree.child.pk})
    response = client.post(url, {"photo": photo.pk, "box": faces[1].box}, format="json")
    assert response.status_code == 200, response.json()
    small_tree.child.refresh_from_db()
    assert small_tree.child.portrait_face_id == faces[1].pk
    response = client.post(url, {"photo": photo.pk, "box": [0, 0, 10, 10]}, format="json")
    assert response.status_code == 422
