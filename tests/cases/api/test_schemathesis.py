"""Schemathesis against the API's OpenAPI schema, in process, as a tree owner with a seeded tree.

Every operation gets generated requests, both schema-valid (positive) and schema-breaking (negative:
malformed ids, bodies and query strings); each response must not be a server error, and its status
code, content type and body must be the ones the schema documents. Path ids point at the seeded
tree's rows for about half of the examples (the rest are random: the 404s must be documented too).
The example count is bounded so the run takes a couple of minutes on two cores.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

pytestmark = pytest.mark.slow

MAX_EXAMPLES = 5
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


def _schema():
    # Loaded at collection: drf-spectacular builds the schema from the code, without the database.
    from kinship_site.wsgi import application

    loaded = schemathesis.openapi.from_wsgi("/api/schema/", application)
    # Requests the schema allows and requests it forbids (malformed ids, bodies, query strings): neither may
    # cause a server error, and each answer must be one the schema documents.
    loaded.config.generation.update(modes=[schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE])
    return loaded


schema = _schema()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Keep the test's database connection across WSGI requests, as Django's test client does.

    The WSGI handler closes connections when a request finishes; on PostgreSQL that would close the
    connection holding the test's transaction (SQLite's in-memory database hides this).
    """
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(small_tree):
    """The small tree with a photo and an owner's API token; its ids by path parameter name."""
    from rest_framework.authtoken.models import Token

    from cases.services.photos import photo_upload
    from genetics.samples import astronaut
    from tests.images import jpeg_bytes

    access = small_tree.owner_access
    photo = photo_upload(access=access, data=jpeg_bytes(astronaut(), quality=80), persons=[small_tree.mother])
    family = small_tree.child.parent_links.get().family
    token = Token.objects.create(user=small_tree.users["owner"])
    ids = {
        "tree_id": small_tree.tree.pk,
        "person_id": small_tree.child.pk,
        "family_id": family.pk,
        "photo_id": photo.pk,
        "child_id": small_tree.child.pk,
        **_records(access, small_tree.child, family),
    }
    return token.key, ids


def _records(access, person, family) -> dict[str, int]:
    """Give the record endpoints real rows: an event, note, alternate name and cited source of ``person``."""
    from cases.services.events import event_create
    from cases.services.notes import note_create
    from cases.services.persons import person_name_add
    from cases.services.repositories import repository_create
    from cases.services.sources import citation_create, source_create

    repository = repository_create(access=access, name="Archive")
    source = source_create(access=access, title="Register", repository=repository)
    event = event_create(access=access, person=person, tag="OCCU", description="Baker")
    return {
        "event_id": event.pk,
        "note_id": note_create(access=access, person=person, text="A note").pk,
        "name_id": person_name_add(access=access, person=person, given_names="Evie").pk,
        "repository_id": repository.pk,
        "source_id": source.pk,
        "citation_id": citation_create(access=access, source=source, event=event).pk,
        "link_id": family.child_links.get(child=person).pk,
    }


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, seeded):
    token, ids = seeded
    for name, value in list((case.path_parameters or {}).items()):
        if name == "tree_id" or (name in ids and isinstance(value, int) and value % 2 == 0):
            case.path_parameters[name] = ids[name]
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
