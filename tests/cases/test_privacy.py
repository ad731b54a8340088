"""Living persons are hidden from members without the right, in pages, API and search;
scoped memberships see only relatives within N steps."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cases.access import relatives_within, tree_access_get
from cases.models import Membership, Role
from cases.services.photos import photo_upload
from cases.services.trees import membership_set
from tests.images import jpeg_bytes
from tests.pages import without_csrf_tokens


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_viewer_sees_living_person_without_details(small_tree):
    url = reverse("api-person-detail", kwargs={"tree_id": small_tree.tree.pk, "person_id": small_tree.mother.pk})
    hidden = _api(small_tree.users[Role.VIEWER]).get(url).json()
    assert hidden["private"] is True and hidden["display_name"] == "Living person"
    assert hidden["given_names"] is None and hidden["birth_date"] is None
    shown = _api(small_tree.users[Role.EDITOR]).get(url).json()
    assert shown["private"] is False and shown["given_names"] == "Diana"


def test_dead_persons_are_public_to_viewers(small_tree):
    url = reverse("api-person-detail", kwargs={"tree_id": small_tree.tree.pk, "person_id": small_tree.father.pk})
    data = _api(small_tree.users[Role.VIEWER]).get(url).json()
    assert data["private"] is False and data["given_names"] == "Charles" and data["living"] is False


def test_search_never_matches_hidden_living_names(small_tree):
    url = reverse("api-person-list", kwargs={"tree_id": small_tree.tree.pk})
    viewer = _api(small_tree.users[Role.VIEWER])
    assert viewer.get(url, {"q": "Diana"}).json()["count"] == 0
    assert viewer.get(url, {"q": "Charles"}).json()["count"] == 1
    assert _api(small_tree.users[Role.OWNER]).get(url, {"q": "Diana"}).json()["count"] == 1


def test_pages_hide_living_names_and_photos(small_tree, client):
    photo_upload(access=small_tree.owner_access, data=jpeg_bytes(), persons=[small_tree.mother])
    client.force_login(small_tree.users[Role.VIEWER])
    page = without_csrf_tokens(
        client.get(
            reverse("person-detail", kwargs={"tree_id": small_tree.tree.pk, "person_id": small_tree.mother.pk})
        ).content.decode()
    )
    assert "Diana" not in page and "Living person" in page and "<img" not in page
    chart = without_csrf_tokens(
        client.get(
            reverse("tree-chart", kwargs={"tree_id": small_tree.tree.pk}) + f"?focus={small_tree.father.pk}"
        ).content.decode()
    )
    assert "Charles Old" in chart and "Diana" not in chart and "Eve" not in chart
    listing = client.get(reverse("person-list", kwargs={"tree_id": small_tree.tree.pk})).content.decode()
    listing = without_csrf_tokens(listing)
    assert "Diana" not in listing and "Albert Old" in listing


def test_photo_of_living_person_is_not_served_to_viewer(small_tree):
    photo = photo_upload(access=small_tree.owner_access, data=jpeg_bytes(), persons=[small_tree.mother])
    viewer = _api(small_tree.users[Role.VIEWER])
    assert (
        viewer.get(
            reverse("api-photo-detail", kwargs={"tree_id": small_tree.tree.pk, "photo_id": photo.pk})
        ).status_code
        == 404
    )
    assert viewer.get(reverse("api-photo-list", kwargs={"tree_id": small_tree.tree.pk})).json() == []
    viewer.force_login(small_tree.users[Role.VIEWER])  # the file view is a page view (session auth)
    file_url = reverse(
        "photo-file", kwargs={"tree_id": small_tree.tree.pk, "photo_id": photo.pk, "variant": "original"}
    )
    assert viewer.get(file_url).status_code == 404
    owner = APIClient()
    owner.force_login(small_tree.users[Role.OWNER])
    assert owner.get(file_url).status_code == 200


def test_can_see_living_granted_explicitly(small_tree):
    Membership.objects.filter(user=small_tree.users[Role.VIEWER]).update(can_see_living=True)
    url = reverse("api-person-detail", kwargs={"tree_id": small_tree.tree.pk, "person_id": small_tree.mother.pk})
    assert _api(small_tree.users[Role.VIEWER]).get(url).json()["given_names"] == "Diana"


def test_age_limit_per_tree(small_tree):
    small_tree.tree.living_age_limit = 30  # the mother, born 1960, is now presumed dead
    small_tree.tree.save()
    url = reverse("api-person-detail", kwargs={"tree_id": small_tree.tree.pk, "person_id": small_tree.mother.pk})
    assert _api(small_tree.users[Role.VIEWER]).get(url).json()["private"] is False


def test_relatives_within_steps(small_tree):
    tree_id = small_tree.tree.pk
    assert relatives_within(tree_id, small_tree.child.pk, 0) == {small_tree.child.pk}
    assert relatives_within(tree_id, small_tree.child.pk, 1) == {
        small_tree.child.pk,
        small_tree.father.pk,
        small_tree.mother.pk,
    }
    two = relatives_within(tree_id, small_tree.child.pk, 2)
    assert small_tree.grandfather.pk in two and small_tree.grandmother.pk in two


def test_scoped_membership_sees_only_near_relatives(small_tree):
    scoped_user = small_tree.users[Role.EDITOR]
    membership_set(
        access=small_tree.owner_access, user=scoped_user, role=Role.EDITOR, scope_person=small_tree.child, scope_depth=1
    )
    client = _api(scoped_user)
    listed = client.get(reverse("api-person-list", kwargs={"tree_id": small_tree.tree.pk})).json()
    assert {p["id"] for p in listed["results"]} == {small_tree.child.pk, small_tree.father.pk, small_tree.mother.pk}
    grandpa = reverse(
        "api-person-detail", kwargs={"tree_id": small_tree.tree.pk, "person_id": small_tree.grandfather.pk}
    )
    assert client.get(grandpa).status_code == 404
    assert client.patch(grandpa, {"birth_place": "x"}, format="json").status_code == 404
    access = tree_access_get(user=scoped_user, tree_id=small_tree.tree.pk)
    assert not access.person_visible(small_tree.grandmother.pk)


def test_last_owner_cannot_be_demoted(small_tree):
    from cases.errors import Conflict

    with pytest.raises(Conflict):
        membership_set(access=small_tree.owner_access, user=small_tree.users[Role.OWNER], role=Role.VIEWER)


def test_filters_apply_to_public_persons_only(small_tree):
    url = reverse("api-person-list", kwargs={"tree_id": small_tree.tree.pk})
    viewer = _api(small_tree.users[Role.VIEWER])
    assert {p["given_names"] for p in viewer.get(url, {"sex": "F"}).json()["results"]} == {"Beatrice"}
    assert viewer.get(url, {"surname": "young"}).json()["count"] == 0  # Diana Young is living
    owner = _api(small_tree.users[Role.OWNER])
    assert {p["given_names"] for p in owner.get(url, {"sex": "F"}).json()["results"]} == {"Beatrice", "Diana", "Eve"}


def test_candidates_of_living_parents_are_hidden_from_viewers(small_tree):
    from cases.models import Face, GenerationJob

    photo = photo_upload(access=small_tree.owner_access, data=jpeg_bytes())
    face = Face.objects.create(photo=photo, left=0, top=0, right=10, bottom=10)
    living_family = small_tree.child.parent_links.get().family  # the mother is living
    dead_family = small_tree.father.parent_links.get().family  # both grandparents dead
    for family in (living_family, dead_family):
        GenerationJob.objects.create(
            tree=small_tree.tree,
            family=family,
            engine="offline",
            father_face=face,
            mother_face=face,
            params={"num_candidates": 1},
            seed=1,
            num_candidates=1,
        )
    url = reverse("api-job-list", kwargs={"tree_id": small_tree.tree.pk})
    seen = {j["family"] for j in _api(small_tree.users[Role.VIEWER]).get(url).json()["results"]}
    assert seen == {dead_family.pk}
    seen = {j["family"] for j in _api(small_tree.users[Role.EDITOR]).get(url).json()["results"]}
    assert seen == {living_family.pk, dead_family.pk}


def test_union_dates_hidden_while_a_partner_is_living_person(small_tree, client):
    """Issue 13 item 2: before, viewers read "FROM 1985" on the family API, family and person pages."""
    from cases.models import Family

    parents = small_tree.child.parent_links.get().family
    grandparents = small_tree.father.parent_links.get().family
    Family.objects.filter(pk=parents.pk).update(start_date="FROM 1985", end_date="2000")
    Family.objects.filter(pk=grandparents.pk).update(start_date="1925")
    tree_id = small_tree.tree.pk
    api = reverse("api-family-detail", kwargs={"tree_id": tree_id, "family_id": parents.pk})
    hidden = _api(small_tree.users[Role.VIEWER]).get(api).json()
    assert hidden["start_date"] is None and hidden["end_date"] is None
    listed = _api(small_tree.users[Role.VIEWER]).get(reverse("api-family-list", kwargs={"tree_id": tree_id})).json()
    dates = {f["id"]: f["start_date"] for f in listed["results"]}
    assert dates == {parents.pk: None, grandparents.pk: "1925"}
    assert _api(small_tree.users[Role.EDITOR]).get(api).json()["start_date"] == "FROM 1985"

    client.force_login(small_tree.users[Role.VIEWER])
    family_page = client.get(reverse("family-detail", kwargs={"tree_id": tree_id, "family_id": parents.pk}))
    father_page = client.get(reverse("person-detail", kwargs={"tree_id": tree_id, "person_id": small_tree.father.pk}))
    for page in (family_page, father_page):
        assert page.status_code == 200 and "1985" not in page.content.decode()
    assert (
        "1925"
        in client.get(
            reverse("family-detail", kwargs={"tree_id": tree_id, "family_id": grandparents.pk})
        ).content.decode()
    )
    client.force_login(small_tree.users[Role.EDITOR])
    assert (
        "FROM 1985"
        in client.get(
            reverse("person-detail", kwargs={"tree_id": tree_id, "person_id": small_tree.father.pk})
        ).content.decode()
    )
