"""Editing pages for families, children, sources, repositories, citations and face tags: who may, and what they do."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import ChildLink, Citation, Event, Face, Family, Person, Repository, Role, Source
from cases.services.photos import photo_upload
from cases.services.repositories import repository_create
from cases.services.sources import citation_create, source_create
from tests.images import jpeg_bytes

EDITORS = [Role.OWNER, Role.EDITOR]
REFUSED = [Role.VIEWER, Role.CASEWORKER, Role.AUDITOR]


def _url(tree, name, **kwargs):
    return reverse(name, kwargs={"tree_id": tree.pk, **kwargs})


@pytest.fixture
def records(small_tree):
    """The small tree with a repository, a source, a citation and a child link to act on."""
    access = small_tree.owner_access
    small_tree.repository = repository_create(access=access, name="County Archives")
    small_tree.source = source_create(access=access, title="Parish register", repository=small_tree.repository)
    small_tree.citation = citation_create(
        access=access, source=small_tree.source, person=small_tree.child, fact="BIRT", page="f. 12"
    )
    small_tree.family = Family.objects.get(partner1=small_tree.father)
    small_tree.link = ChildLink.objects.get(family=small_tree.family)
    photo = photo_upload(access=access, data=jpeg_bytes(), persons=[small_tree.grandfather])
    small_tree.face = Face.objects.create(photo=photo, left=2, top=2, right=20, bottom=20)
    return small_tree


def _pages(t):
    """Every editing URL with a harmless POST body: (name, url, post data)."""
    return [
        ("lookup", _url(t.tree, "person-lookup") + "?q=Old", None),
        (
            "family-create",
            _url(t.tree, "family-create"),
            {"partner1": f"x #{t.grandfather.pk}", "family_type": "unknown"},
        ),
        (
            "family-edit",
            _url(t.tree, "family-edit", family_id=t.family.pk),
            {"partner1": f"x #{t.father.pk}", "partner2": f"x #{t.mother.pk}", "family_type": "married"},
        ),
        (
            "child-add",
            _url(t.tree, "family-child-add", family_id=t.family.pk),
            {"mode": "new", "given_names": "Zed", "pedigree": "birth"},
        ),
        (
            "child-change",
            _url(t.tree, "family-child-change", family_id=t.family.pk, link_id=t.link.pk),
            {"action": "pedigree", "pedigree": "foster"},
        ),
        ("source-create", _url(t.tree, "source-create"), {"title": "Census 1911"}),
        ("source-edit", _url(t.tree, "source-edit", source_id=t.source.pk), {"title": "Register"}),
        ("repository-create", _url(t.tree, "repository-create"), {"name": "Library"}),
        ("repository-edit", _url(t.tree, "repository-edit", repository_id=t.repository.pk), {"name": "Archives"}),
        ("repository-delete", _url(t.tree, "repository-delete", repository_id=t.repository.pk), {}),
        (
            "citation-create",
            _url(t.tree, "citation-create") + f"?person={t.child.pk}",
            {"person": t.child.pk, "source": t.source.pk},
        ),
        ("face-tag", _url(t.tree, "face-tag", face_id=t.face.pk), {"person": f"x #{t.grandfather.pk}"}),
        (
            "citation-edit",
            _url(t.tree, "citation-edit", citation_id=t.citation.pk),
            {"source": t.source.pk, "page": "f. 13", "target": "fact:BIRT"},
        ),
        # Deletions last: the rows above must still be there.
        ("citation-delete", _url(t.tree, "citation-delete", citation_id=t.citation.pk), {}),
        ("source-delete", _url(t.tree, "source-delete", source_id=t.source.pk), {}),
        ("family-delete", _url(t.tree, "family-delete", family_id=t.family.pk), {}),
    ]


def _snapshot():
    return (
        Family.objects.count(),
        Person.objects.count(),
        list(ChildLink.objects.values_list("pedigree", flat=True)),
        list(Source.objects.values_list("title", flat=True)),
        list(Repository.objects.values_list("name", flat=True)),
        list(Citation.objects.values_list("page", flat=True)),
        list(Face.objects.values_list("person", flat=True)),
    )


@pytest.mark.parametrize("role", REFUSED + ["outsider"])
def test_other_roles_are_refused_every_editing_page_and_nothing_changes(records, client, role):
    client.force_login(records.users[role])
    before = _snapshot()
    expected = 404 if role == "outsider" else 403
    for name, url, data in _pages(records):
        if name not in ("child-add", "child-change", "face-tag"):  # POST-only
            assert client.get(url).status_code == expected, name
        if data is not None:
            assert client.post(url, data).status_code == expected, name
    assert _snapshot() == before


def test_anonymous_users_are_sent_to_log_in(records, client):
    before = _snapshot()
    for name, url, data in _pages(records):
        response = client.post(url, data) if data is not None else client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"], name
    assert _snapshot() == before


@pytest.mark.parametrize("role", EDITORS)
def test_editors_may_use_every_editing_page(records, client, role):
    client.force_login(records.users[role])
    for name, url, data in _pages(records):
        if name not in ("child-add", "child-change", "face-tag"):
            assert client.get(url).status_code == 200, name
        if data is not None:
            assert client.post(url, data).status_code == 302, name
    assert Family.objects.filter(partner1=records.grandfather, partner2=None).exists()
    assert Person.objects.filter(given_names="Zed").exists()
    assert not Source.objects.filter(pk=records.source.pk).exists()
    assert not Repository.objects.filter(pk=records.repository.pk).exists()
    assert not Family.objects.filter(pk=records.family.pk).exists()
    assert Face.objects.get().person == records.grandfather


@pytest.mark.parametrize("role", REFUSED)
def test_viewing_roles_see_no_editing_controls(records, client, role):
    client.force_login(records.users[role])
    for url in (
        records.grandfather.get_absolute_url(),
        records.family.get_absolute_url(),
        _url(records.tree, "source-list"),
    ):
        html = client.get(url).content.decode()
        for control in (
            "Add a partner",
            "Cite a source",
            "Edit partners",
            "Add a child",
            "Add a source",
            "Tag the faces",
            "/edit/",
            "/delete/",
        ):
            assert control not in html, (url, control)


def test_editor_sees_the_controls(records, client):
    client.force_login(records.users[Role.EDITOR])
    person = client.get(records.father.get_absolute_url()).content.decode()
    family = client.get(records.family.get_absolute_url()).content.decode()
    assert "Add a partner or family" in person and "Cite a source" in person and "edit family" in person
    assert "Add a child" in family and "Edit partners, type and dates" in family and "Remove from family" in family


def test_family_form_explains_a_bad_date_and_an_ambiguous_name_and_keeps_what_was_typed(records, client):
    client.force_login(records.users[Role.OWNER])
    url = _url(records.tree, "family-create")
    response = client.post(
        url,
        {"partner1": f"Albert #{records.grandfather.pk}", "start_date": "sometime in spring", "family_type": "married"},
    )
    html = response.content.decode()
    assert response.status_code == 400 and "is not a date Kinship can read" in html and "sometime in spring" in html
    response = client.post(url, {"partner1": "Old", "family_type": "married"})
    assert response.status_code == 400 and "several persons match “Old”" in response.content.decode()
    response = client.post(url, {"partner1": "Nobody Atall", "family_type": "married"})
    assert "nobody in this tree is called" in response.content.decode()
    response = client.post(
        url, {"partner1": "Albert", "partner2": "Diana", "family_type": "married", "start_date": "ABT 1985"}
    )
    family = Family.objects.get(partner1=records.grandfather, partner2=records.mother)
    assert response.status_code == 302 and family.start_date == "ABT 1985" and family.start_date_start is not None


def test_children_are_added_reordered_changed_and_removed(records, client):
    client.force_login(records.users[Role.EDITOR])
    family = records.family
    add = _url(records.tree, "family-child-add", family_id=family.pk)
    client.post(add, {"mode": "new", "given_names": "Frank", "surname": "Old", "sex": "M", "pedigree": "adopted"})
    client.post(
        add, {"mode": "existing", "child": f"Albert #{records.grandfather.pk}", "pedigree": "birth"}, follow=True
    )
    frank = Person.objects.get(given_names="Frank")
    assert (frank.sex, frank.tree) == ("M", records.tree)
    assert [link.child.given_names for link in family.child_links.all()] == ["Eve", "Frank"]  # ancestor refused
    frank_link = ChildLink.objects.get(child=frank)
    assert frank_link.pedigree == "adopted"
    change = _url(records.tree, "family-child-change", family_id=family.pk, link_id=frank_link.pk)
    client.post(change, {"action": "up"})
    assert [link.child.given_names for link in family.child_links.all()] == ["Frank", "Eve"]
    client.post(change, {"action": "pedigree", "pedigree": "step"})
    frank_link.refresh_from_db()
    assert frank_link.pedigree == "step"
    page = client.post(change, {"action": "remove"}, follow=True).content.decode()
    assert "Frank Old is no longer a child" in page or "no longer a child" in page
    assert not ChildLink.objects.filter(child=frank).exists() and Person.objects.filter(pk=frank.pk).exists()


def test_citing_a_birth_shows_beside_the_birth_and_an_event_citation_beside_the_event(records, client):
    client.force_login(records.users[Role.OWNER])
    event = Event.objects.create(tree=records.tree, person=records.father, tag="OCCU", value="Miller", date="1955")
    url = _url(records.tree, "citation-create")
    client.post(
        url,
        {
            "person": records.father.pk,
            "target": f"event:{event.pk}",
            "source": records.source.pk,
            "page": "entry 7",
            "quality": "3",
        },
    )
    client.post(
        url, {"person": records.father.pk, "target": "fact:BIRT", "source": records.source.pk, "page": "entry 1"}
    )
    on_event = Citation.objects.get(event=event)
    assert (on_event.person, on_event.quality, on_event.fact) == (records.father, 3, "")
    assert Citation.objects.get(page="entry 1").fact == "BIRT"
    html = client.get(records.father.get_absolute_url()).content.decode()
    occupation = html.index("Occupation")
    birth = html.index("<strong>Birth</strong>")
    assert html.index("entry 7") > occupation and html.index("entry 1") < occupation and html.index("entry 1") > birth
    sources = html[html.index('id="sources"') :]
    assert "entry 7" not in sources and "entry 1" not in sources  # only whole-record citations there


def test_citation_form_needs_a_source_and_a_quality_in_range(records, client):
    client.force_login(records.users[Role.OWNER])
    url = _url(records.tree, "citation-create")
    response = client.post(url, {"person": records.child.pk, "source": ""})
    assert response.status_code == 400 and "Choose the source" in response.content.decode()
    response = client.post(url, {"person": records.child.pk, "source": records.source.pk, "quality": "7"})
    assert response.status_code == 400 and "between 0 and 3" in response.content.decode()


def test_source_list_shows_repository_and_counts(records, client):
    client.force_login(records.users[Role.VIEWER])
    html = client.get(_url(records.tree, "source-list")).content.decode()
    assert "Parish register" in html and "County Archives" in html and "1 citation<" in html


def test_lookup_returns_labels_the_form_reads_back(records, client):
    client.force_login(records.users[Role.OWNER])
    results = client.get(_url(records.tree, "person-lookup") + "?q=Albert").json()["results"]
    assert results == [{"id": records.grandfather.pk, "label": f"Albert Old (1890–1960) #{records.grandfather.pk}"}]


def test_a_refused_face_tag_returns_to_the_top_of_the_page_where_its_message_shows(records, client):
    client.force_login(records.users[Role.OWNER])
    page = records.grandfather.get_absolute_url()
    url = _url(records.tree, "face-tag", face_id=records.face.pk)
    refused = client.post(url, {"person": "nobody of that name", "next": f"{page}#photos"})
    assert refused.status_code == 302 and refused.url == page
    shown = client.get(page).content.decode()
    assert "The face was not tagged" in shown
    records.face.refresh_from_db()
    assert records.face.person is None
    tagged = client.post(url, {"person": f"x #{records.grandfather.pk}", "next": f"{page}#photos"})
    assert tagged.url == f"{page}#photos"
    records.face.refresh_from_db()
    assert records.face.person == records.grandfather
