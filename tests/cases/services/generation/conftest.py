"""Fixtures shared by the generation service tests."""

from __future__ import annotations

import pytest

from cases.services.photos import person_choose_portrait, photo_detect_faces, photo_set_consent, photo_upload
from tests.images import jpeg_bytes


@pytest.fixture
def couple(small_tree):
    """The small tree's parents with real portraits (astronaut and Grace Hopper), consent recorded."""
    from genetics.samples import astronaut, grace_hopper

    access = small_tree.owner_access
    for person, image in ((small_tree.father, grace_hopper()), (small_tree.mother, astronaut())):
        photo = photo_upload(access=access, data=jpeg_bytes(image, quality=92), persons=[person])
        (face,) = photo_detect_faces(photo_id=photo.pk)
        person_choose_portrait(access=access, person=person, face=face)
        photo_set_consent(access=access, photo=photo, consent=True, given_by="the person, in writing")
    small_tree.family = small_tree.child.parent_links.get().family
    return small_tree
