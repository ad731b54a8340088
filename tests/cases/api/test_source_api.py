"""Sources, repositories and citations through the API, with the source pages' services and rules."""

from __future__ import annotations

from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cases.access import tree_access_get
from cases.models import Citation, RecordChange, RecordType, Repository, Role, Source
from cases.services.events import event_create
from cases.services.sources import citation_create, source_create
from cases.services.trees import tree_create
from tests.factories import UserFactory


def _client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def _url(name: str, tree, **kwargs) -> str:
    return reverse(name, kwargs={"tree_id": tree.pk, **kwargs})


def test_repository_and_source_lifecycle(small_tree):
    editor, tree = _client(small_tree.users[Role.EDITOR]), small_tree.tree
    archive = editor.post(
        _url("api-repository-list", tree), {"name": " County Archive ", "address": "Leeds"}, format="json"
    )
    assert archive.status_code == 201
    repository = Repository.objects.get(pk=archive.json()["id"])
    assert (repository.tree, repository.name) == (tree, "County Archive")
    created = editor.post(
        _url("api-source-list", tree), {"title": "Parish register", "repository": repository.pk}, format="json"
    )
    assert created.status_code == 201, created.json()
    source = Source.objects.get(pk=created.json()["id"])
    assert (source.title, source.repository) == ("Parish register", repository)
    change = RecordChange.objects.filter(record_type=RecordType.SOURCE).order_by("-pk").first()
    assert (change.action, change.username, change.object_id) == ("create", "editor", source.pk)

    patched = editor.patch(_url("api-source-detail", tree, source_id=source.pk), {"author": "Vicar"}, format="json")
    assert patched.status_code == 200
    source.refresh_from_db()
    assert (source.title, source.author, source.repository) == ("Parish register", "Vicar", repository)
    detached = editor.patch(_url("api-source-detail", tree, source_id=source.pk), {"repository": None}, format="json")
    assert detached.json()["repository"] is None and Source.objects.get(pk=source.pk).repository is None

    listing = _client(small_tree.users[Role.VIEWER]).get(_url("api-source-list", tree)).json()
    assert listing["count"] == 1 and listing["results"][0]["title"] == "Parish register"
    renamed = editor.patch(
        _url("api-repository-detail", tree, repository_id=repository.pk), {"name": "Archive"}, format="json"
    )
    assert renamed.json() == {"id": repository.pk, "name": "Archive", "address": "Leeds"}
    assert editor.delete(_url("api-repository-detail", tree, repository_id=repository.pk)).status_code == 204
    assert not Repository.objects.exists() and Source.objects.filter(pk=source.pk).exists()


def test_source_refusals(small_tree):
    editor, tree = _client(small_tree.users[Role.EDITOR]), small_tree.tree
    untitled = editor.post(_url("api-source-list", tree), {"title": "  "}, format="json")
    assert untitled.status_code == 400 and "title" in untitled.json()["detail"]
    missing = editor.post(_url("api-source-list", tree), {"author": "x"}, format="json")
    assert missing.status_code == 400 and "title" in missing.json()
    other_owner = UserFactory(username="elsewhere")
    other = tree_create(name="Other", owner=other_owner)
    foreign = Repository.objects.create(tree=other, name="Theirs")
    answer = editor.post(_url("api-source-list", tree), {"title": "T", "repository": foreign.pk}, format="json")
    assert answer.status_code == 404
    assert not Source.objects.exists()
    viewer = _client(small_tree.users[Role.VIEWER])
    assert viewer.post(_url("api-source-list", tree), {"title": "T"}, format="json").status_code == 403
    assert viewer.post(_url("api-repository-list", tree), {"name": "R"}, format="json").status_code == 403
    assert not Source.objects.exists() and not Repository.objects.filter(tree=tree).exists()


def test_citations_on_a_fact_and_an_event(small_tree):
    owner = small_tree.owner_access
    editor, tree, father = _client(small_tree.users[Role.EDITOR]), small_tree.tree, small_tree.father
    source = source_create(access=owner, title="Census 1931")
    event = event_create(access=owner, person=father, tag="RESI", place="Leeds")
    on_birth = editor.post(
        _url("api-citation-list", tree),
        {"source": source.pk, "person": father.pk, "fact": "BIRT", "page": "f. 12", "quality": 3},
        format="json",
    )
    assert on_birth.status_code == 201, on_birth.json()
    on_event = editor.post(_url("api-citation-list", tree), {"source": source.pk, "event": event.pk}, format="json")
    assert on_event.status_code == 201, on_event.json()
    birth = Citation.objects.get(pk=on_birth.json()["id"])
    assert (birth.person, birth.fact, birth.page, birth.quality) == (father, "BIRT", "f. 12", 3)
    # The event's owner is the citation's owner, so the person's list finds it.
    assert Citation.objects.get(pk=on_event.json()["id"]).person == father
    change = RecordChange.objects.filter(record_type=RecordType.CITATION).order_by("-pk").first()
    assert (change.action, change.username) == ("create", "editor")

    by_person = editor.get(_url("api-citation-list", tree), {"person": father.pk}).json()
    assert sorted(c["id"] for c in by_person) == sorted([birth.pk, on_event.json()["id"]])
    by_event = editor.get(_url("api-citation-list", tree), {"event": event.pk}).json()
    assert [(c["id"], c["source_title"]) for c in by_event] == [(on_event.json()["id"], "Census 1931")]

    url = _url("api-citation-detail", tree, citation_id=birth.pk)
    bad = editor.patch(url, {"quality": 5}, format="json")
    assert bad.status_code == 400 and "quality" in bad.json()
    assert editor.patch(url, {"page": "f. 13", "quality": None}, format="json").status_code == 200
    birth.refresh_from_db()
    assert (birth.page, birth.quality, birth.fact, birth.source) == ("f. 13", None, "BIRT", source)
    moved = editor.patch(url, {"person": small_tree.grandfather.pk}, format="json")
    assert moved.status_code == 400 and Citation.objects.get(pk=birth.pk).person == father
    assert editor.delete(url).status_code == 204 and not Citation.objects.filter(pk=birth.pk).exists()
    assert Source.objects.filter(pk=source.pk).exists()
    assert editor.delete(_url("api-source-detail", tree, source_id=source.pk)).status_code == 204
    assert not Citation.objects.exists()


def test_citation_refusals_and_privacy(small_tree):
    owner = small_tree.owner_access
    editor, tree = _client(small_tree.users[Role.EDITOR]), small_tree.tree
    source = source_create(access=owner, title="Letters")
    event = event_create(access=owner, person=small_tree.father, tag="RESI")
    nobody = editor.post(_url("api-citation-list", tree), {"source": source.pk}, format="json")
    assert nobody.status_code == 400
    mixed = editor.post(
        _url("api-citation-list", tree),
        {"source": source.pk, "event": event.pk, "person": small_tree.mother.pk},
        format="json",
    )
    assert mixed.status_code == 400
    unknown = editor.post(
        _url("api-citation-list", tree), {"source": 10**9, "person": small_tree.father.pk}, format="json"
    )
    assert unknown.status_code == 404
    assert editor.get(_url("api-citation-list", tree)).status_code == 400
    assert not Citation.objects.exists()

    living = citation_create(access=owner, source=source, person=small_tree.mother, page="secret page")
    viewer = _client(small_tree.users[Role.VIEWER])
    for answer in (
        viewer.get(_url("api-citation-list", tree), {"person": small_tree.mother.pk}),
        viewer.get(_url("api-citation-detail", tree, citation_id=living.pk)),
    ):
        assert answer.status_code == 403 and "secret page" not in answer.content.decode()
    assert viewer.delete(_url("api-citation-detail", tree, citation_id=living.pk)).status_code == 403

    other_owner = UserFactory(username="elsewhere")
    other = tree_create(name="Other", owner=other_owner)
    theirs = source_create(access=tree_access_get(user=other_owner, tree_id=other.pk), title="Theirs")
    assert editor.get(_url("api-source-detail", tree, source_id=theirs.pk)).status_code == 404
    assert editor.delete(_url("api-source-detail", tree, source_id=theirs.pk)).status_code == 404
    assert editor.get(_url("api-source-list", other)).status_code == 404
    assert Source.objects.filter(pk=theirs.pk).exists() and Citation.objects.filter(pk=living.pk).exists()
