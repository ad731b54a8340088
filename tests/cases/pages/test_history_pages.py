"""History pages: diffs with readable labels, revert for editors only, living persons' values hidden."""

from __future__ import annotations

from django.urls import reverse

from cases.models import Person, RecordChange, Role
from cases.services.persons import person_update


def test_owner_sees_diff_and_reverts_from_the_person_history(small_tree, client):
    person_update(access=small_tree.owner_access, person=small_tree.child, given_names="Evelyn")
    change = RecordChange.objects.order_by("-pk").first()
    client.force_login(small_tree.users[Role.OWNER])
    url = reverse("person-history", kwargs={"tree_id": small_tree.tree.pk, "person_id": small_tree.child.pk})
    page = client.get(url).content.decode()
    assert "Given names" in page and "Evelyn" in page and f'id="change-{change.pk}"' in page
    assert "Revert change" in page
    revert_url = reverse("change-revert", kwargs={"tree_id": small_tree.tree.pk, "change_id": change.pk})
    assert client.get(revert_url).status_code == 405
    response = client.post(revert_url, {"next": url}, follow=True)
    assert response.redirect_chain[-1][0] == url
    assert f"Change #{change.pk} reverted" in response.content.decode()
    assert Person.objects.get(pk=small_tree.child.pk).given_names == "Eve"
    refused = client.post(revert_url, {"next": "https://evil.example/"}, follow=True)
    assert refused.redirect_chain[-1][0] == reverse("tree-history", kwargs={"tree_id": small_tree.tree.pk})
    assert "already reverted" in refused.content.decode()


def test_person_page_links_to_its_history(small_tree, client):
    client.force_login(small_tree.users[Role.VIEWER])
    page = client.get(small_tree.grandfather.get_absolute_url()).content.decode()
    assert (
        reverse("person-history", kwargs={"tree_id": small_tree.tree.pk, "person_id": small_tree.grandfather.pk})
        in page
    )


def test_viewer_sees_no_revert_button_and_no_living_values(small_tree, client):
    person_update(access=small_tree.owner_access, person=small_tree.child, given_names="Hiddenname")
    person_update(access=small_tree.owner_access, person=small_tree.grandfather, given_names="Bert")
    client.force_login(small_tree.users[Role.VIEWER])
    page = client.get(reverse("tree-history", kwargs={"tree_id": small_tree.tree.pk})).content.decode()
    assert "Bert" in page and "Albert" in page
    assert "Hiddenname" not in page and "Diana" not in page and "Revert change" not in page
    assert "details hidden from your role" in page
    change = RecordChange.objects.order_by("-pk").first()
    response = client.post(reverse("change-revert", kwargs={"tree_id": small_tree.tree.pk, "change_id": change.pk}))
    assert response.status_code == 403
    assert Person.objects.get(pk=small_tree.grandfather.pk).given_names == "Bert"


def test_history_page_query_count_does_not_grow(small_tree, client, django_assert_max_num_queries):
    client.force_login(small_tree.users[Role.OWNER])
    url = reverse("tree-history", kwargs={"tree_id": small_tree.tree.pk})
    for index in range(12):
        person_update(access=small_tree.owner_access, person=small_tree.grandfather, given_names=f"Name {index}")
    with django_assert_max_num_queries(9):
        assert client.get(url).status_code == 200
