"""The demo tree that ``make run`` loads: three generations, photos from public-domain portraits.

Photos are public-domain portraits (see ``genetics.samples``): Eileen Collins's NASA portrait
(scikit-image) and Grace Hopper's US Navy portrait (matplotlib) ship inside installed packages;
Barack Obama's official portrait and Joe Biden's official photo (White House photographs) ship in
``genetics/data/faces/``, whose ``README.md`` names their sources. The persons are fictional: the
demo couple whose children are generated is Daniel Brandt (father, Obama's portrait) and Helen
Hale (mother, Collins's portrait).
"""

from __future__ import annotations

import io
import secrets

import numpy as np
from django.contrib.auth import get_user_model
from django.db import transaction
from PIL import Image

from cases.access import tree_access_get
from cases.models import Membership, Photo, Role, Tree
from cases.models.records import FamilyType, Pedigree
from cases.services.families import family_child_add, family_create
from cases.services.persons import person_create
from cases.services.photos import person_choose_portrait, photo_detect_faces, photo_set_consent, photo_upload
from cases.services.trees import tree_create

DEMO_TREE = "Demo family"
DEMO_USERS = {"demo": Role.OWNER, "demo-viewer": Role.VIEWER, "demo-caseworker": Role.CASEWORKER}


def demo_load() -> dict[str, str]:
    """Create the demo tree once (idempotent) and give each demo user a fresh password; return them."""
    User = get_user_model()
    passwords = {}
    with transaction.atomic():
        for username in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username)
            passwords[username] = secrets.token_urlsafe(9)
            user.set_password(passwords[username])
            user.save()
        owner = User.objects.get(username="demo")
        if not Tree.objects.filter(name=DEMO_TREE).exists():
            _build(owner)
        tree = Tree.objects.get(name=DEMO_TREE)
        for username, role in DEMO_USERS.items():
            Membership.objects.get_or_create(
                tree=tree, user=User.objects.get(username=username), defaults={"role": role}
            )
    for photo in Photo.objects.filter(tree=tree, detection_status="pending"):
        photo_detect_faces(photo_id=photo.pk)
    _choose_portraits(tree, owner)
    return passwords


def _build(owner) -> None:
    tree = tree_create(
        name=DEMO_TREE,
        owner=owner,
        description="Fictional persons; photos from public-domain portraits (NASA, US Navy, White House).",
    )
    access = tree_access_get(user=owner, tree_id=tree.pk)
    arthur = person_create(
        access=access,
        given_names="Arthur",
        surname="Hale",
        sex="M",
        birth_date="12 MAR 1921",
        birth_place="Leeds, England",
        death_date="1994",
    )
    margaret = person_create(
        access=access,
        given_names="Margaret",
        surname="Hale",
        sex="F",
        birth_date="ABT 1925",
        death_date="3 JUN 2001",
        alternate_names=[{"name_type": "birth", "given_names": "Margaret", "surname": "Collins"}],
    )
    walter = person_create(
        access=access, given_names="Walter", surname="Brandt", sex="M", birth_date="1919", death_date="AFT 1985"
    )
    edith = person_create(
        access=access, given_names="Edith", surname="Brandt", sex="F", birth_date="BET 1922 AND 1924", death_date="2010"
    )
    helen = person_create(access=access, given_names="Helen", surname="Hale", sex="F", birth_date="19 NOV 1956")
    ruth = person_create(access=access, given_names="Ruth", surname="Hale", sex="F", birth_date="1959")
    grace = person_create(access=access, given_names="Grace", surname="Brandt", sex="F", birth_date="MAY 1954")
    daniel = person_create(access=access, given_names="Daniel", surname="Brandt", sex="M", birth_date="4 AUG 1956")
    ellen = person_create(access=access, given_names="Ellen", surname="Hale-Brandt", sex="F", birth_date="1990")
    hypothetical = person_create(
        access=access, given_names="(future child)", surname="Hale-Brandt", is_hypothetical=True
    )
    hale = family_create(
        access=access, partner1=arthur, partner2=margaret, family_type=FamilyType.MARRIED, start_date="1950"
    )
    family_child_add(access=access, family=hale, child=helen)
    family_child_add(access=access, family=hale, child=ruth)
    brandt = family_create(access=access, partner1=walter, partner2=edith, family_type=FamilyType.MARRIED)
    family_child_add(access=access, family=brandt, child=grace)
    family_child_add(access=access, family=brandt, child=daniel)
    couple = family_create(
        access=access, partner1=daniel, partner2=helen, family_type=FamilyType.MARRIED, start_date="FROM 1985"
    )
    family_child_add(access=access, family=couple, child=ellen, pedigree=Pedigree.BIRTH)
    family_child_add(access=access, family=couple, child=hypothetical, pedigree=Pedigree.BIRTH)
    from genetics.samples import astronaut, grace_hopper, sample

    photo_upload(
        access=access,
        data=_jpeg(astronaut()),
        original_name="helen-1990.jpg",
        persons=[helen],
        title="Helen (demo photo: Eileen Collins, NASA, public domain)",
        date_taken="1990",
    )
    photo_upload(
        access=access,
        data=_jpeg(grace_hopper()),
        original_name="grace-1984.jpg",
        persons=[grace],
        title="Grace (demo photo: Grace Hopper, US Navy, public domain)",
        date_taken="ABT 1984",
    )
    photo_upload(
        access=access,
        data=_jpeg(sample("obama")),
        original_name="daniel-2012.jpg",
        persons=[daniel],
        title="Daniel (demo photo: Barack Obama, official portrait, White House, public domain)",
        date_taken="2012",
    )
    photo_upload(
        access=access,
        data=_jpeg(sample("biden")),
        original_name="walter-1985.jpg",
        persons=[walter],
        title="Walter (demo photo: Joe Biden, official photo, White House, public domain)",
        date_taken="ABT 1985",
    )


def _choose_portraits(tree: Tree, owner) -> None:
    access = tree_access_get(user=owner, tree_id=tree.pk)
    for photo in Photo.objects.filter(tree=tree).prefetch_related("persons", "faces"):
        faces = list(photo.faces.all())
        persons = list(photo.persons.all())
        if len(faces) == 1 and len(persons) == 1 and persons[0].portrait_face_id is None:
            person_choose_portrait(access=access, person=persons[0], face=faces[0])
        if not photo.consent_to_generation and not photo.is_synthetic:
            photo_set_consent(
                access=access,
                photo=photo,
                consent=True,
                given_by="Public-domain portrait used for the demo (no living subject's consent needed)",
            )


def _jpeg(image: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()
