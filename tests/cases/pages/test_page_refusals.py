"""Pages moved onto page_access/action_reported say a refusal the way they did before: as a message on the page."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.urls import reverse

from cases.models import Person, Tree


def _said(response) -> list[str]:
    return [message.message for message in get_messages(response.wsgi_request)]


def test_creating_a_tree_without_a_name_says_why_and_stays_on_the_list(small_tree, client):
    user = small_tree.users["owner"]
    client.force_login(user)
    before = Tree.objects.count()
    response = client.post(reverse("tree-list"), {"name": "  "})
    assert response.status_code == 200 and Tree.objects.count() == before
    assert _said(response) == ["A tree needs a name."]
    created = client.post(reverse("tree-list"), {"name": "Second tree"})
    assert created.status_code == 302 and created.url == Tree.objects.get(name="Second tree").get_absolute_url()


def test_a_search_that_cannot_be_read_is_said_and_the_whole_list_shown(small_tree, client):
    client.force_login(small_tree.users["viewer"])
    response = client.get(reverse("person-list", kwargs={"tree_id": small_tree.tree.pk}), {"born_from": "soon"})
    assert response.status_code == 200
    assert [text for text in _said(response) if "year such as 1850" in text]
    assert len(response.context["rows"]) == Person.objects.filter(tree=small_tree.tree).count()


def test_a_refused_merge_is_said_on_the_review_page_and_nothing_merges(small_tree, client):
    client.force_login(small_tree.users["owner"])
    url = reverse("merge-review", kwargs={"tree_id": small_tree.tree.pk})
    response = client.post(url, {"keep": small_tree.father.pk, "remove": small_tree.child.pk})
    assert response.status_code == 200  # the review again, with the reason
    assert [text for text in _said(response) if text.startswith("The persons were not merged: ")]
    assert Person.objects.filter(pk=small_tree.child.pk).exists()
