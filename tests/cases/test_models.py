"""Rules the database itself enforces, the age on a photo, and the admin for every model."""

import datetime

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.urls import reverse

from cases.models import ChildLink, Citation, Family, Membership, Note, Person, Photo, Source
from cases.selectors import age_on_photo


def _integrity_error(create) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_database_constraints(small_tree):
    tree = small_tree.tree
    person = small_tree.father
    _integrity_error(lambda: Family.objects.create(tree=tree, partner1=person, partner2=person))
    _integrity_error(
        lambda: Membership.objects.create(
            tree=tree, user=small_tree.users["outsider"], role="viewer", scope_person=person
        )
    )
    _integrity_error(lambda: Membership.objects.create(tree=tree, user=small_tree.users["viewer"], role="editor"))
    family = small_tree.child.parent_links.get().family
    _integrity_error(lambda: ChildLink.objects.create(family=family, child=small_tree.child))
    _integrity_error(lambda: Note.objects.create(tree=tree, text="floating"))
    source = Source.objects.create(tree=tree, title="Parish register")
    _integrity_error(lambda: Citation.objects.create(source=source, person=person, quality=7))


def test_age_on_photo():
    person = Person(birth_date_start=datetime.date(1950, 3, 12), birth_date_end=datetime.date(1950, 3, 12))
    exact = Photo(date_taken_start=datetime.date(1984, 6, 1), date_taken_end=datetime.date(1984, 6, 1))
    assert age_on_photo(person=person, photo=exact) == "34"
    year_only = Photo(date_taken_start=datetime.date(1984, 1, 1), date_taken_end=datetime.date(1984, 12, 31))
    assert age_on_photo(person=person, photo=year_only) == "33–34"
    assert age_on_photo(person=person, photo=Photo()) == ""


@pytest.mark.parametrize("model", [m for m in apps.get_app_config("cases").get_models()], ids=lambda m: m.__name__)
def test_admin_changelist_for_every_model(model, admin_client, small_tree):
    url = reverse(f"admin:cases_{model._meta.model_name}_changelist")
    assert admin_client.get(url).status_code == 200
